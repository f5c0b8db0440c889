package org.switchboard.http.audio;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Settings and helpers shared by the audio tests. */
final class AudioTestSupport {

  private AudioTestSupport() {}

  /** Reference settings with the cache in {@code dir}. */
  static AudioSettings settings(Path dir) {
    return AudioSettings.fromConfig(ConfigFactory.parseString(
        "switchboard.audio.cache-dir = \"" + dir.toString().replace("\\", "/") + "\"\n"
            + "switchboard.audio.public-base-url = \"http://media.test:8080/\"\n"
            + "switchboard.audio.fetch.max-bytes = 2m\n")
        .withFallback(ConfigFactory.defaultReference()).resolve());
  }

  /** The hash in a {@code sound:http://…/media/<hash>.wav} URI. */
  static String hashOf(String mediaUri) {
    String name = mediaUri.substring(mediaUri.lastIndexOf('/') + 1);
    return name.substring(0, name.indexOf('.'));
  }

  /** GET {@code url} with the JDK client (an independent client for the route under test). */
  static HttpResponse<byte[]> get(String url, String ifNoneMatch) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10));
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A sine tone of {@code seconds} at {@code rate}, amplitude 10000. */
  static short[] tone(int rate, double seconds, double hz) {
    short[] s = new short[(int) (rate * seconds)];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (10000 * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return s;
  }

  /** {@code settings} with another espeak-ng executable. */
  static AudioSettings withEspeak(AudioSettings good, String executable) {
    return new AudioSettings(good.cacheDir(), good.publicBaseUrl(), good.delivery(),
        good.soundsDir(), good.sampleRate(), good.ttsEngine(), good.prerenderLanguages(),
        new AudioSettings.Espeak(executable, good.espeak().timeout(), 1, 160),
        good.httpTts(), good.fetch(), good.stream());
  }
}
