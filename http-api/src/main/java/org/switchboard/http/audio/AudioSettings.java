package org.switchboard.http.audio;

import org.switchboard.http.stream.codec.AudioFormat;

import com.typesafe.config.Config;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.http.stream.WebSocketClient;

/**
 * Settings of the audio area, read from {@code switchboard.audio} (see reference.conf).
 *
 * @param cacheDir where rendered and transcoded files live
 * @param publicBaseUrl base URL under which Asterisk reaches the {@code /media/} route
 * @param delivery how Asterisk gets the files
 * @param soundsDir directory shared with Asterisk, for {@link Delivery#SOUNDS_DIR}
 * @param sampleRate 8000 or 16000
 * @param ttsEngine "espeak" or "http"
 * @param prerenderLanguages languages {@code scripts/prerender} renders each phrase in
 * @param espeak espeak-ng engine settings
 * @param httpTts external HTTP TTS settings
 * @param fetch {@code <Play>} fetch settings
 * @param stream media stream settings
 */
public record AudioSettings(
    Path cacheDir,
    URI publicBaseUrl,
    Delivery delivery,
    Optional<Path> soundsDir,
    int sampleRate,
    String ttsEngine,
    List<String> prerenderLanguages,
    Espeak espeak,
    HttpTts httpTts,
    Fetch fetch,
    Stream stream) {

  /** How the files reach Asterisk. */
  public enum Delivery {
    /** {@code sound:<public-base-url>/media/<hash>.wav}, fetched by res_http_media_cache. */
    HTTP,
    /** {@code sound:<sounds-dir>/<hash>}, read from a directory Asterisk shares. */
    SOUNDS_DIR
  }

  /** espeak-ng subprocess settings. */
  public record Espeak(String executable, Duration timeout, int maxConcurrent, int speed) {}

  /** External HTTP TTS service settings; placeholders {text}, {voice}, {language}. */
  public record HttpTts(
      String urlTemplate,
      String method,
      String bodyTemplate,
      String bodyContentType,
      Map<String, String> headers,
      Duration timeout,
      long maxBytes) {}

  /** {@code <Play>} fetch settings. */
  public record Fetch(Duration timeout, long maxBytes, int maxRedirects, Duration defaultMaxAge) {}

  /**
   * Media stream settings.
   *
   * @param rtpHost the address the RTP sockets bind to (given to Asterisk as {@code external_host})
   * @param maxQueuedFrames application audio buffered before the oldest frame is dropped
   * @param connectTimeout how long the application's WebSocket may take to open
   * @param format the ExternalMedia RTP format: {@code ulaw} or {@code slin16}
   * @param appFormat the default audio format on the application's socket (a {@code <Stream>}'s
   *     {@code audioFormat} parameter overrides it)
   * @param webSocketClient the client of the application's and chan_websocket's sockets
   */
  public record Stream(String rtpHost, int maxQueuedFrames, Duration connectTimeout, String format,
      AudioFormat appFormat, WebSocketClient webSocketClient) {

    /** Validates the format. */
    public Stream {
      if (!format.equals("ulaw") && !format.equals("slin16")) {
        throw new IllegalArgumentException(
            "switchboard.audio.stream.format must be ulaw or slin16, was '" + format + "'");
      }
      if (appFormat == null) {
        throw new IllegalArgumentException("switchboard.audio.stream.app-format is missing");
      }
      if (webSocketClient == null) {
        throw new IllegalArgumentException("switchboard.audio.stream.websocket-client is missing");
      }
    }

    /** Settings on the JDK's WebSocket client. */
    public Stream(String rtpHost, int maxQueuedFrames, Duration connectTimeout, String format,
        AudioFormat appFormat) {
      this(rtpHost, maxQueuedFrames, connectTimeout, format, appFormat, WebSocketClient.JDK);
    }

    /** Settings with the application speaking µ-law 8 kHz. */
    public Stream(String rtpHost, int maxQueuedFrames, Duration connectTimeout, String format) {
      this(rtpHost, maxQueuedFrames, connectTimeout, format, AudioFormat.MULAW_8K);
    }

    /** Settings with the {@code ulaw} format. */
    public Stream(String rtpHost, int maxQueuedFrames, Duration connectTimeout) {
      this(rtpHost, maxQueuedFrames, connectTimeout, "ulaw");
    }
  }

  private static AudioFormat appFormat(String name) {
    try {
      return AudioFormat.parse(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("switchboard.audio.stream.app-format: " + e.getMessage(), e);
    }
  }

  /** Validates the values. */
  public AudioSettings {
    if (sampleRate != 8000 && sampleRate != 16000) {
      throw new IllegalArgumentException("switchboard.audio.sample-rate must be 8000 or 16000");
    }
    if (delivery == Delivery.SOUNDS_DIR && soundsDir.isEmpty()) {
      throw new IllegalArgumentException("delivery = sounds-dir needs switchboard.audio.sounds-dir");
    }
  }

  /** Reads the settings from the root config (the {@code switchboard.audio} block). */
  public static AudioSettings fromConfig(Config root) {
    Config c = root.getConfig("switchboard.audio");
    String soundsDir = c.getString("sounds-dir");
    Config e = c.getConfig("tts.espeak");
    Config h = c.getConfig("tts.http");
    Map<String, String> headers = new LinkedHashMap<>();
    h.getConfig("headers").entrySet().forEach(en -> headers.put(
        stripQuotes(en.getKey()), String.valueOf(en.getValue().unwrapped())));
    Config f = c.getConfig("fetch");
    Config s = c.getConfig("stream");
    return new AudioSettings(
        Path.of(c.getString("cache-dir")),
        URI.create(stripSlash(c.getString("public-base-url"))),
        parseDelivery(c.getString("delivery")),
        soundsDir.isBlank() ? Optional.empty() : Optional.of(Path.of(soundsDir)),
        c.getInt("sample-rate"),
        c.getString("tts.engine"),
        List.copyOf(c.getStringList("tts.prerender-languages")),
        new Espeak(e.getString("executable"), e.getDuration("timeout"),
            e.getInt("max-concurrent"), e.getInt("speed")),
        new HttpTts(h.getString("url-template"), h.getString("method"),
            h.getString("body-template"), h.getString("body-content-type"), Map.copyOf(headers),
            h.getDuration("timeout"), h.getBytes("max-bytes")),
        new Fetch(f.getDuration("timeout"), f.getBytes("max-bytes"), f.getInt("max-redirects"),
            f.getDuration("default-max-age")),
        new Stream(s.getString("rtp-host"), s.getInt("max-queued-frames"),
            s.getDuration("connect-timeout"), s.getString("format"),
            appFormat(s.getString("app-format")),
            WebSocketClient.parse(s.getString("websocket-client"))));
  }

  /** Asterisk's file format name for the configured rate: "wav" or "wav16". */
  public String fileExtension() {
    return sampleRate == 16000 ? "wav16" : "wav";
  }

  private static Delivery parseDelivery(String value) {
    return switch (value) {
      case "http" -> Delivery.HTTP;
      case "sounds-dir" -> Delivery.SOUNDS_DIR;
      default -> throw new IllegalArgumentException(
          "switchboard.audio.delivery must be http or sounds-dir, not " + value);
    };
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String stripQuotes(String key) {
    return key.startsWith("\"") && key.endsWith("\"") ? key.substring(1, key.length() - 1) : key;
  }
}
