package org.switchboard.http.audio;

import org.switchboard.engine.port.Failures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.MediaPort;

/**
 * {@code <Play>}: fetches an http(s) media URL once, keeps the normalized WAV in the
 * {@link MediaStore} and answers the ARI media URI Asterisk plays.
 *
 * <p>HTTP caching: a fresh entry (max-age / Expires, else {@code default-max-age}) is used without
 * a request; a stale one, or one marked {@code no-cache}, is revalidated with {@code If-None-Match}
 * / {@code If-Modified-Since} and reused on 304; {@code no-store} responses are transcoded for
 * this use but not remembered. Concurrent requests for one URL share one fetch. Redirects are
 * followed; bodies over {@code max-bytes} are refused. Failures (HTTP errors, timeouts, undecodable
 * audio) complete the stage with a {@link MediaFetchException} saying what happened.
 */
public final class MediaFetcher implements MediaPort {

  private static final Logger log = LoggerFactory.getLogger(MediaFetcher.class);

  private final AudioSettings.Fetch settings;
  private final MediaStore store;
  private final AudioNormalizer normalizer;
  private final ActorSystem<?> system;
  private final Materializer materializer;
  private final Executor executor;
  private final Clock clock;
  private final Path metaDir;
  private final Coalescer<String, String> inFlight = new Coalescer<>();

  /** A fetcher configured by {@code settings}, transcoding on {@code executor}. */
  public MediaFetcher(AudioSettings settings, MediaStore store, ActorSystem<?> system,
      Executor executor, Clock clock) {
    this.settings = settings.fetch();
    this.store = store;
    this.normalizer = new AudioNormalizer(settings.sampleRate());
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    this.executor = executor;
    this.clock = clock;
    this.metaDir = settings.cacheDir().resolve("fetched");
    try {
      Files.createDirectories(metaDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + metaDir, e);
    }
  }

  @Override
  public CompletionStage<String> mediaFor(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return CompletableFuture.failedFuture(
          new MediaFetchException("cannot fetch " + url + ": only http and https URLs are played"));
    }
    String key = url.toString();
    return inFlight.run(key, () -> resolve(url));
  }

  private CompletionStage<String> resolve(URI url) {
    Path metaFile = metaDir.resolve(MediaStore.hashOf(url.toString()) + ".properties");
    Optional<CachedMedia> cached = CachedMedia.read(metaFile)
        .filter(c -> c.url().equals(url.toString()) && store.isDelivered(c.hash()));
    if (cached.isPresent() && cached.get().isFresh(clock.instant())) {
      return CompletableFuture.completedFuture(store.mediaUri(cached.get().hash()));
    }
    HttpRequest request = HttpRequest.GET(url.toString());
    if (cached.isPresent()) {
      CachedMedia c = cached.get();
      if (c.etag().isPresent()) {
        request = request.addHeader(RawHeader.create("If-None-Match", c.etag().get()));
      }
      if (c.lastModified().isPresent()) {
        request = request.addHeader(RawHeader.create("If-Modified-Since", c.lastModified().get()));
      }
    }
    return send(request, url, settings.maxRedirects())
        .thenCompose(response -> handle(url, response, cached, metaFile))
        .toCompletableFuture()
        .orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(describe(url, e)));
  }

  private CompletionStage<HttpResponse> send(HttpRequest request, URI url, int redirectsLeft) {
    return Http.get(system).singleRequest(request.withUri(url.toString())).thenCompose(response -> {
      int status = response.status().intValue();
      Optional<String> location = header(response, "Location");
      if (status >= 300 && status < 400 && status != 304 && location.isPresent()) {
        response.discardEntityBytes(materializer);
        if (redirectsLeft <= 0) {
          throw new MediaFetchException("too many redirects fetching " + url);
        }
        return send(request, url.resolve(location.get()), redirectsLeft - 1);
      }
      return CompletableFuture.completedFuture(response);
    });
  }

  private CompletionStage<String> handle(
      URI url, HttpResponse response, Optional<CachedMedia> cached, Path metaFile) {
    int status = response.status().intValue();
    Instant now = clock.instant();
    CachePolicy policy = CachePolicy.of(header(response, "Cache-Control"),
        header(response, "Expires"), now, settings.defaultMaxAge());
    if (status == 304 && cached.isPresent()) {
      response.discardEntityBytes(materializer);
      CachedMedia c = cached.get();
      remember(metaFile, new CachedMedia(c.url(), c.hash(),
          header(response, "ETag").or(c::etag), header(response, "Last-Modified").or(c::lastModified),
          policy.noCache(), policy.freshUntil()));
      log.debug("{} not modified: reusing {}", url, c.hash());
      return CompletableFuture.completedFuture(store.mediaUri(c.hash()));
    }
    if (!response.status().isSuccess()) {
      response.discardEntityBytes(materializer);
      throw new MediaFetchException("GET " + url + " answered " + status + " "
          + response.status().reason());
    }
    Optional<Long> length = response.entity().getContentLengthOption().isPresent()
        ? Optional.of(response.entity().getContentLengthOption().getAsLong()) : Optional.empty();
    if (length.isPresent() && length.get() > settings.maxBytes()) {
      response.discardEntityBytes(materializer);
      throw new MediaFetchException(url + " is " + length.get() + " bytes, over the limit of "
          + settings.maxBytes());
    }
    String contentType = response.entity().getContentType().toString();
    return response.entity().withSizeLimit(settings.maxBytes())
        .toStrict(settings.timeout().toMillis(), materializer)
        .thenApplyAsync(strict -> {
          try {
            byte[] wav = normalizer.normalize(strict.getData().toArray(), contentType);
            String hash = MediaStore.hashOf(wav);
            String uri = store.store(hash, wav);
            if (policy.noStore()) {
              Files.deleteIfExists(metaFile);
            } else {
              remember(metaFile, new CachedMedia(url.toString(), hash, header(response, "ETag"),
                  header(response, "Last-Modified"), policy.noCache(), policy.freshUntil()));
            }
            log.debug("fetched {} ({}) as {}", url, contentType, hash);
            return uri;
          } catch (AudioFormatException e) {
            throw new MediaFetchException(url + " is not playable audio: " + e.getMessage(), e);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot store media fetched from " + url, e);
          }
        }, executor);
  }

  private void remember(Path metaFile, CachedMedia entry) {
    try {
      entry.write(metaFile);
    } catch (IOException e) {
      log.warn("cannot write cache entry {}: {}", metaFile, e.toString());
    }
  }

  private MediaFetchException describe(URI url, Throwable error) {
    Throwable e = Failures.cause(error);
    if (e instanceof MediaFetchException m) {
      return m;
    }
    if (e instanceof TimeoutException) {
      return new MediaFetchException("fetching " + url + " timed out after "
          + settings.timeout().toMillis() + " ms", e);
    }
    if (e.getClass().getSimpleName().equals("EntityStreamSizeException")) {
      return new MediaFetchException(url + " is over the size limit of " + settings.maxBytes()
          + " bytes", e);
    }
    return new MediaFetchException("fetching " + url + " failed: " + e, e);
  }

  private static Optional<String> header(HttpResponse response, String name) {
    return response.getHeader(name).map(HttpHeader::value);
  }

  /** A {@code <Play>} URL that could not be turned into playable media. */
  public static final class MediaFetchException extends RuntimeException {

    /** With a message for the call's log. */
    public MediaFetchException(String message) {
      super(message);
    }

    /** With a message and cause. */
    public MediaFetchException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
