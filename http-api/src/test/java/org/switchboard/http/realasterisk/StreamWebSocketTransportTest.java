package org.switchboard.http.realasterisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.switchboard.http.audio.AudioSettings;
import org.switchboard.http.audio.G711;
import org.switchboard.http.stream.MediaEncoding;
import org.switchboard.http.stream.MediaStreamSession;
import org.switchboard.http.stream.StreamParams;
import org.switchboard.http.stream.StreamParams.Track;
import org.switchboard.http.stream.TestApp;
import org.switchboard.http.stream.TickSource;
import org.switchboard.http.stream.codec.AudioFormat;
import org.switchboard.http.stream.codec.FormatConverter;

/**
 * A media stream whose ExternalMedia channel uses Asterisk 22's WebSocket channel driver
 * (chan_websocket) instead of RTP, on a real Asterisk: the application's audio goes to Asterisk,
 * through the {@code echo} phone and back to the application.
 */
@Tag(RealAsterisk.TAG)
class StreamWebSocketTransportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ActorTestKit testKit;
  private static RealAsterisk asterisk;

  @BeforeAll
  static void start() {
    asterisk = RealAsterisk.shared();
    testKit = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
  }

  @Test
  void pcm16AppAudioGoesToAsteriskOverChanWebsocketAndComesBackThroughTheEcho() throws Exception {
    TestApp app = new TestApp(testKit.system());
    List<Runnable> tickers = new CopyOnWriteArrayList<>();
    TickSource ticks = onTick -> {
      tickers.add(onTick);
      return () -> tickers.remove(onTick);
    };
    String id = "ws-" + System.nanoTime();
    try (AriSession ari = new AriSession(asterisk.ariUrl(), asterisk.user(), asterisk.password(),
        RealAsterisk.APP)) {
      assertEquals(200, asterisk.rest("POST", "/channels", Map.of("endpoint", "Local/echo@phones",
          "app", RealAsterisk.APP, "channelId", id + "-echo")).status());
      ari.await("StasisStart", id + "-echo");

      StreamParams params = new StreamParams(URI.create(app.url()), StreamParams.newStreamSid(),
          "AC1", "CA1", Optional.empty(), List.of(Track.INBOUND), Map.of(), true,
          MediaEncoding.SLIN16, AudioFormat.PCM16_16K, StreamParams.Transport.WEBSOCKET);
      MediaStreamSession session = MediaStreamSession.create(testKit.system(),
          new AudioSettings.Stream("127.0.0.1", 3000, Duration.ofSeconds(10), "slin16",
              AudioFormat.PCM16_16K), params, ticks, e -> { }, Clock.systemUTC());
      session.start().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals("connected", app.next().path("event").asText());
      assertEquals("audio/pcm", app.next().path("start").path("mediaFormat").path("encoding")
          .asText());

      RealAsterisk.Reply media = asterisk.rest("POST", "/channels/externalMedia", Map.of(
          "app", RealAsterisk.APP, "channelId", id + "-em", "external_host", "INCOMING",
          "transport", "websocket", "encapsulation", "none", "format", "slin16",
          "connection_type", "server", "direction", "both"));
      assertEquals(200, media.status(), media.body());
      String connection = JSON.readTree(media.body()).path("channelvars")
          .path("MEDIA_WEBSOCKET_CONNECTION_ID").asText();
      session.connectAsterisk(Track.INBOUND,
          URI.create("ws://127.0.0.1:" + asterisk.httpPort() + "/media/" + connection))
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(200, asterisk.rest("POST", "/bridges/" + id,
          Map.of("type", "mixing")).status());
      assertEquals(204, asterisk.rest("POST", "/bridges/" + id + "/addChannel",
          Map.of("channel", id + "-echo," + id + "-em")).status());

      // 1 s of a 1 kHz tone at 16 kHz, PCM16 little-endian, fed at the 20 ms pace
      byte[] tone = FormatConverter.encode(tone(16000, 1000, 1.0), AudioFormat.Encoding.PCM16_LE);
      app.send("{\"event\":\"media\",\"streamSid\":\"x\",\"media\":{\"payload\":\""
          + Base64.getEncoder().encodeToString(tone) + "\"}}");
      double loudest = 0;
      int frames = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      long nextTick = System.nanoTime();
      while (loudest < 3000 && System.nanoTime() < deadline) {
        if (System.nanoTime() >= nextTick) {
          tickers.forEach(Runnable::run);
          nextTick += TimeUnit.MILLISECONDS.toNanos(20);
        }
        JsonNode message = app.poll(5);
        if (message != null && "media".equals(message.path("event").asText())) {
          byte[] pcm = Base64.getDecoder().decode(message.path("media").path("payload").asText());
          assertEquals(640, pcm.length, "20 ms of PCM16 at 16 kHz");
          frames++;
          loudest = Math.max(loudest, rms(FormatConverter.decode(pcm, AudioFormat.PCM16_16K)));
        }
      }
      assertTrue(frames > 0, "no media from Asterisk over chan_websocket");
      // a 10000-peak tone has rms 7071; silence (nothing echoed) stays near 0
      assertTrue(loudest >= 3000, "echoed tone rms " + loudest + " after " + frames + " frames");
      session.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
      asterisk.rest("DELETE", "/bridges/" + id, Map.of());
      asterisk.rest("DELETE", "/channels/" + id + "-echo", Map.of());
    }
  }

  private static short[] tone(int rate, double freq, double seconds) {
    short[] out = new short[(int) (rate * seconds)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (short) (10000 * Math.sin(2 * Math.PI * freq * i / rate));
    }
    return out;
  }

  private static double rms(short[] s) {
    double sum = 0;
    for (short v : s) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum / Math.max(1, s.length));
  }
}
