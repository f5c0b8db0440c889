package org.switchboard.http.speech;

import com.typesafe.config.Config;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code switchboard.speech}: which recogniser {@code <Gather input="speech">} uses and how the
 * caller's speech is captured on Asterisk.
 *
 * @param engine {@code pocketsphinx}, {@code http} or {@code none}
 * @param recordFormat the Asterisk format of the capture ({@code wav16}: 16 kHz)
 * @param autoSilenceMs the silence that ends speech for {@code speechTimeout="auto"}
 * @param talkThreshold TALK_DETECT's energy threshold (Asterisk's default 256)
 * @param maxSpeechSeconds the longest capture (Twilio: 60 s)
 */
public record SpeechSettings(
    String engine,
    String recordFormat,
    int autoSilenceMs,
    int talkThreshold,
    int maxSpeechSeconds,
    Pocketsphinx pocketsphinx,
    Http http) {

  /** The embedded engine. */
  public record Pocketsphinx(String executable, Path dictionary, Duration timeout, int processes) {}

  /** The HTTP engine: {@code url} is the transcription endpoint. */
  public record Http(URI url, String model, Optional<String> apiKey, Duration timeout) {}

  public static SpeechSettings fromConfig(Config root) {
    Config c = root.getConfig("switchboard.speech");
    Config p = c.getConfig("pocketsphinx");
    Config h = c.getConfig("http");
    String key = h.getString("api-key");
    return new SpeechSettings(
        c.getString("engine"),
        c.getString("record-format"),
        (int) c.getDuration("auto-silence").toMillis(),
        c.getInt("talk-threshold"),
        c.getInt("max-speech-seconds"),
        new Pocketsphinx(p.getString("executable"), Path.of(p.getString("dictionary")),
            p.getDuration("timeout"), p.getInt("processes")),
        new Http(HttpSpeechRecognizer.endpoint(h.getString("url")), h.getString("model"),
            key.isBlank() ? Optional.empty() : Optional.of(key), h.getDuration("timeout")));
  }
}
