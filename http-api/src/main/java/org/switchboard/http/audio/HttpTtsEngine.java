package org.switchboard.http.audio;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;

/**
 * {@code <Say>} through an external HTTP TTS service: the URL (and, for POST, the body) is a
 * template with {@code {text}}, {@code {voice}}, {@code {language}} and {@code {textType}}
 * ({@code ssml} when {@code {text}} is the SSML document of a {@code <Say>} with SSML elements,
 * else {@code text}, as Amazon Polly's {@code TextType}); configured headers are
 * added; the response body (WAV, MP3, .au) is normalized like any other audio.
 */
public final class HttpTtsEngine extends CachingTtsEngine {

  private final AudioSettings.HttpTts settings;
  private final ActorSystem<?> system;
  private final Materializer materializer;

  /** An engine configured by {@code settings}, storing into {@code store}. */
  public HttpTtsEngine(
      AudioSettings settings, MediaStore store, ActorSystem<?> system, Executor executor) {
    super(store, new AudioNormalizer(settings.sampleRate()), executor);
    if (settings.httpTts().urlTemplate().isBlank()) {
      throw new IllegalArgumentException("switchboard.audio.tts.http.url-template is empty");
    }
    this.settings = settings.httpTts();
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
  }

  @Override
  protected String engineName() {
    // The template may carry credentials: name the engine by its hash, never the text.
    return "http-tts:" + MediaStore.hashOf(settings.urlTemplate(), settings.method(),
        settings.bodyTemplate()).substring(0, 12);
  }

  @Override
  protected String voiceKey(String voice, String language) {
    return voice == null ? "" : voice;
  }

  @Override
  protected String languageKey(String voice, String language) {
    return language == null || language.isBlank() ? VoiceMap.DEFAULT_LANGUAGE : language;
  }

  @Override
  protected CompletionStage<byte[]> synthesize(String text, String voice, String language) {
    String v = voiceKey(voice, language);
    String lang = languageKey(voice, language);
    HttpRequest request;
    try {
      request = buildRequest(text, v, lang);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new TtsException("bad HTTP TTS request: " + e, e));
    }
    long timeoutMs = settings.timeout().toMillis();
    return Http.get(system).singleRequest(request)
        .thenCompose(this::readBody)
        .toCompletableFuture()
        .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(wrap(e, request)));
  }

  private HttpRequest buildRequest(String text, String voice, String language) {
    String url = fill(settings.urlTemplate(), text, voice, language, Escape.URL);
    HttpRequest request = HttpRequest.create(url)
        .withMethod(HttpMethods.lookup(settings.method().toUpperCase(Locale.ROOT))
            .orElseThrow(() -> new IllegalArgumentException("unknown method " + settings.method())));
    if (!settings.bodyTemplate().isBlank()) {
      String type = settings.bodyContentType().toLowerCase(Locale.ROOT);
      Escape escape = type.contains("json") ? Escape.JSON
          : type.contains("x-www-form-urlencoded") ? Escape.URL : Escape.NONE;
      String body = fill(settings.bodyTemplate(), text, voice, language, escape);
      request = request.withEntity(HttpEntities.create(
          ContentTypes.parse(settings.bodyContentType()), body.getBytes(StandardCharsets.UTF_8)));
    }
    for (var header : settings.headers().entrySet()) {
      request = request.addHeader(RawHeader.create(header.getKey(), header.getValue()));
    }
    return request;
  }

  private CompletionStage<byte[]> readBody(HttpResponse response) {
    long timeoutMs = settings.timeout().toMillis();
    return response.entity().withSizeLimit(settings.maxBytes())
        .toStrict(timeoutMs, materializer)
        .thenApply(strict -> {
          byte[] body = strict.getData().toArray();
          if (!response.status().isSuccess()) {
            String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
            throw new TtsException("TTS service answered " + response.status().intValue() + ": "
                + text.strip());
          }
          return body;
        });
  }

  private Throwable wrap(Throwable error, HttpRequest request) {
    Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (e instanceof TtsException) {
      return e;
    }
    if (e instanceof java.util.concurrent.TimeoutException) {
      return new TtsException("TTS service timed out after " + settings.timeout().toMillis()
          + " ms: " + request.getUri(), e);
    }
    return new TtsException("TTS service request failed (" + request.getUri() + "): " + e, e);
  }

  private enum Escape { URL, JSON, NONE }

  private static String fill(String template, String text, String voice, String language, Escape e) {
    String textType = text.startsWith("<speak") ? "ssml" : "text";
    return template.replace("{textType}", textType)
        .replace("{text}", escape(text, e))
        .replace("{voice}", escape(voice, e))
        .replace("{language}", escape(language, e));
  }

  private static String escape(String value, Escape escape) {
    return switch (escape) {
      case URL -> URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
      case JSON -> jsonEscape(value);
      case NONE -> value;
    };
  }

  private static String jsonEscape(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 16);
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
