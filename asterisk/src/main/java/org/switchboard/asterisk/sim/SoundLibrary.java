package org.switchboard.asterisk.sim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long a media URI plays. {@code sound:} names come from the configured table (or the
 * default), {@code sound:http(s)://} URLs on loopback are fetched once and measured from their WAV
 * header, {@code recording:} from the stored file, {@code tone:}/{@code digits:}/{@code number:}/
 * {@code characters:} get rough durations; an unknown scheme never ends.
 */
final class SoundLibrary {
  private static final System.Logger LOG = System.getLogger(SoundLibrary.class.getName());
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  /** A media's fate: a duration, missing (playback fails), or never ending. */
  record Outcome(Duration duration, boolean missing) {
    static final Outcome MISSING = new Outcome(null, true);
    static final Outcome NEVER = new Outcome(null, false);
  }

  private final SimConfig config;
  private final Map<String, Optional<Duration>> urlCache = new ConcurrentHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  SoundLibrary(SimConfig config) {
    this.config = config;
  }

  /** Fetches the HTTP media among {@code uris} that are not cached yet. */
  CompletionStage<Void> prefetch(List<String> uris) {
    CompletableFuture<?>[] fetches = uris.stream()
        .filter(u -> u.startsWith("sound:http://") || u.startsWith("sound:https://"))
        .map(u -> u.substring("sound:".length()))
        .filter(u -> !urlCache.containsKey(u))
        .map(this::fetch)
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(fetches);
  }

  private CompletableFuture<Void> fetch(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.WARNING, "bad media URL {0}", url);
      urlCache.put(url, Optional.empty());
      return CompletableFuture.completedFuture(null);
    }
    if (uri.getHost() == null || !LOOPBACK.contains(uri.getHost())) {
      LOG.log(System.Logger.Level.WARNING, "media URL {0} is not on loopback; not fetched", url);
      urlCache.put(url, Optional.empty());
      return CompletableFuture.completedFuture(null);
    }
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray())
        .handle((resp, err) -> {
          Optional<Duration> d = Optional.empty();
          if (err != null) {
            LOG.log(System.Logger.Level.WARNING, "fetching {0} failed: {1}", url, err.toString());
          } else if (resp.statusCode() != 200) {
            LOG.log(System.Logger.Level.WARNING, "fetching {0}: HTTP {1}", url, resp.statusCode());
          } else {
            d = WavFile.duration(resp.body());
            if (d.isEmpty()) {
              LOG.log(System.Logger.Level.WARNING, "{0} is not a WAV file", url);
            }
          }
          urlCache.put(url, d);
          return null;
        });
  }

  Outcome resolve(String uri) {
    int colon = uri.indexOf(':');
    String scheme = colon > 0 ? uri.substring(0, colon) : "";
    String rest = uri.substring(colon + 1);
    switch (scheme) {
      case "sound":
        if (rest.startsWith("http://") || rest.startsWith("https://")) {
          return urlCache.getOrDefault(rest, Optional.empty())
              .map(d -> new Outcome(d, false)).orElse(Outcome.MISSING);
        }
        if (rest.isEmpty() || rest.matches(config.missingSoundPattern())) {
          return Outcome.MISSING;
        }
        return new Outcome(config.soundDurations().getOrDefault(rest,
            config.defaultSoundDuration()), false);
      case "recording":
        return storedDuration(rest);
      case "tone":
        return new Outcome(Duration.ofSeconds(5), false);
      case "digits":
      case "characters":
        return new Outcome(Duration.ofMillis(500L * Math.max(1, rest.length())), false);
      case "number":
        return new Outcome(Duration.ofMillis(700L * Math.max(1, rest.length())), false);
      default:
        return Outcome.NEVER;
    }
  }

  private Outcome storedDuration(String name) {
    Path p = config.recordingsDir().resolve(name + ".wav").normalize();
    if (!p.startsWith(config.recordingsDir()) || !Files.isRegularFile(p)) {
      return Outcome.MISSING;
    }
    try {
      return WavFile.duration(Files.readAllBytes(p)).map(d -> new Outcome(d, false))
          .orElse(Outcome.MISSING);
    } catch (java.io.IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot read recording {0}: {1}", p, e.toString());
      return Outcome.MISSING;
    }
  }
}
