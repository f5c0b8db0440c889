package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.http.audio.AudioSettings;
import org.switchboard.http.api.MetricsRegistry;
import org.switchboard.http.audio.G711;
import org.switchboard.http.stream.StreamParams.Track;
import org.switchboard.http.stream.codec.AudioFormat;
import org.switchboard.http.stream.codec.FormatConverter;

/** The media stream relay over real sockets: a WebSocket application and a UDP "Asterisk". */
class MediaStreamSessionTest {

  static ActorTestKit testKit;
  static final AudioSettings.Stream SETTINGS =
      new AudioSettings.Stream("127.0.0.1", 3000, Duration.ofSeconds(10));

  TestApp app;
  FakeAsterisk asterisk;
  ManualTicks ticks;
  LinkedBlockingQueue<StreamEvent> events;

  @BeforeAll
  static void startKit() {
    testKit = ActorTestKit.create();
  }

  @AfterAll
  static void stopKit() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() throws Exception {
    app = new TestApp(testKit.system());
    asterisk = new FakeAsterisk();
    ticks = new ManualTicks();
    events = new LinkedBlockingQueue<>();
  }

  @AfterEach
  void tearDown() {
    asterisk.close();
  }

  @Test
  void ulawFramesReachTheAppAndAppAudioReturnsAsRtp() throws Exception {
    MediaStreamSession session = session(true, MediaEncoding.ULAW);
    InetSocketAddress rtp = start(session);

    JsonNode connected = app.next();
    assertEquals("connected", connected.path("event").asText());
    assertEquals("Call", connected.path("protocol").asText());
    JsonNode start = app.next();
    assertEquals("start", start.path("event").asText());
    assertEquals("1", start.path("sequenceNumber").asText());
    String sid = start.path("streamSid").asText();
    assertTrue(sid.matches("MZ[0-9a-f]{32}"), sid);
    assertEquals("CA123", start.path("start").path("callSid").asText());
    assertEquals("AC456", start.path("start").path("accountSid").asText());
    assertEquals("[\"inbound\"]", start.path("start").path("tracks").toString());
    assertEquals("audio/x-mulaw", start.path("start").path("mediaFormat").path("encoding").asText());
    assertEquals(8000, start.path("start").path("mediaFormat").path("sampleRate").asInt());
    assertEquals("Jane", start.path("start").path("customParameters").path("FirstName").asText());
    assertEquals(StreamEvent.Type.STARTED, events.poll(10, TimeUnit.SECONDS).type());

    for (int i = 0; i < 3; i++) {
      asterisk.send(rtp, 0, frame(i + 1), 160);
    }
    for (int i = 0; i < 3; i++) {
      JsonNode media = app.next();
      assertEquals("media", media.path("event").asText());
      assertEquals(String.valueOf(i + 2), media.path("sequenceNumber").asText());
      assertEquals(sid, media.path("streamSid").asText());
      assertEquals("inbound", media.path("media").path("track").asText());
      assertEquals(String.valueOf(i + 1), media.path("media").path("chunk").asText());
      assertEquals(String.valueOf(i * 20), media.path("media").path("timestamp").asText());
      assertArrayEquals(frame(i + 1), payload(media));
    }

    app.send(media(concat(frame(7), frame(8))));
    await(() -> session.queuedFrames() == 2, "two frames queued");
    ticks.tick();
    RtpPacket first = asterisk.receive();
    ticks.tick();
    RtpPacket second = asterisk.receive();

    assertEquals(0, first.payloadType());
    assertTrue(first.marker());
    assertArrayEquals(frame(7), first.payload());
    assertArrayEquals(frame(8), second.payload());
    assertEquals((first.sequence() + 1) & 0xFFFF, second.sequence());
    assertEquals((first.timestamp() + 160) & 0xFFFFFFFFL, second.timestamp());
    assertEquals(first.ssrc(), second.ssrc());
    session.stop();
  }

  @Test
  void marksReturnInOrderAfterTheirAudio() throws Exception {
    MediaStreamSession session = session(true, MediaEncoding.ULAW);
    InetSocketAddress rtp = startAndSkipHandshake(session);
    asterisk.send(rtp, 0, frame(1), 160);
    assertEquals("media", app.next().path("event").asText());

    app.send(mark("now"));
    assertEquals("now", markName(app.next()));

    app.send(media(frame(2)));
    app.send(mark("a"));
    app.send(media(frame(3)));
    app.send(mark("b"));
    await(() -> session.queuedFrames() == 2 && session.queuedMarks() == 2, "audio and marks queued");

    ticks.tick();
    assertArrayEquals(frame(2), asterisk.receive().payload());
    assertEquals("a", markName(app.next()));
    ticks.tick();
    assertArrayEquals(frame(3), asterisk.receive().payload());
    assertEquals("b", markName(app.next()));
    session.stop();
  }

  @Test
  void clearDropsQueuedAudioAndReturnsPendingMarks() throws Exception {
    MediaStreamSession session = session(true, MediaEncoding.ULAW);
    InetSocketAddress rtp = startAndSkipHandshake(session);
    asterisk.send(rtp, 0, frame(1), 160);
    assertEquals("media", app.next().path("event").asText());

    app.send(media(concat(frame(2), frame(3), frame(4))));
    app.send(mark("end-of-prompt"));
    await(() -> session.queuedFrames() == 3 && session.queuedMarks() == 1, "prompt queued");
    ticks.tick();
    assertArrayEquals(frame(2), asterisk.receive().payload());

    app.send("{\"event\":\"clear\",\"streamSid\":\"x\"}");
    assertEquals("end-of-prompt", markName(app.next()));
    assertEquals(0, session.queuedFrames());
    app.send(media(frame(9)));
    await(() -> session.queuedFrames() == 1, "new audio queued");
    ticks.tick();
    assertArrayEquals(frame(9), asterisk.receive().payload());
    session.stop();
  }

  @Test
  void dtmfReachesTheApp() throws Exception {
    MediaStreamSession session = session(true, MediaEncoding.ULAW);
    startAndSkipHandshake(session);

    session.dtmf('5');

    JsonNode dtmf = app.next();
    assertEquals("dtmf", dtmf.path("event").asText());
    assertEquals("5", dtmf.path("dtmf").path("digit").asText());
    assertEquals("inbound_track", dtmf.path("dtmf").path("track").asText());
    session.stop();
  }

  @Test
  void stopSendsStopAndClosesBothSockets() throws Exception {
    MediaStreamSession session = session(true, MediaEncoding.ULAW);
    InetSocketAddress rtp = startAndSkipHandshake(session);

    StreamEnd end = session.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);

    JsonNode stop = app.next();
    assertEquals("stop", stop.path("event").asText());
    assertEquals("CA123", stop.path("stop").path("callSid").asText());
    assertEquals("AC456", stop.path("stop").path("accountSid").asText());
    assertEquals(StreamEnd.Reason.STOPPED, end.reason());
    app.closedBySession.get(10, TimeUnit.SECONDS);
    try (DatagramSocket rebound = new DatagramSocket(rtp)) {
      assertTrue(rebound.isBound(), "the RTP port was released");
    }
    assertEquals(0, ticks.subscribers());
    assertEquals(StreamEvent.Type.STARTED, events.poll(10, TimeUnit.SECONDS).type());
    StreamEvent stopped = events.poll(10, TimeUnit.SECONDS);
    assertEquals(StreamEvent.Type.STOPPED, stopped.type());
    assertTrue(stopped.isoTimestamp().endsWith("Z"), stopped.isoTimestamp());
  }

  @Test
  void appClosingTheSocketEndsTheStream() throws Exception {
    MediaStreamSession session = session(true, MediaEncoding.ULAW);
    startAndSkipHandshake(session);

    app.close();

    StreamEnd end = session.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(StreamEnd.Reason.APP_CLOSED, end.reason());
    assertEquals(StreamEvent.Type.STARTED, events.poll(10, TimeUnit.SECONDS).type());
    assertEquals(StreamEvent.Type.STOPPED, events.poll(10, TimeUnit.SECONDS).type());
  }

  @Test
  void shortRtpPacketsReachTheAppAsWholeTwentyMillisecondFrames() throws Exception {
    MediaStreamSession session = session(false, MediaEncoding.ULAW);
    InetSocketAddress rtp = startAndSkipHandshake(session);
    java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
    for (int len : new int[] {160, 41, 160, 160, 39, 160, 120}) {
      byte[] packet = java.util.Arrays.copyOf(concat(frame(len), frame(len + 1)), len);
      sent.writeBytes(packet);
      asterisk.send(rtp, 0, packet, len);
    }
    java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 5; i++) {
      JsonNode media = app.next();
      assertEquals("media", media.path("event").asText());
      assertEquals(String.valueOf(i + 1), media.path("media").path("chunk").asText());
      assertEquals(String.valueOf(i * 20), media.path("media").path("timestamp").asText());
      assertEquals(String.valueOf(i + 2), media.path("sequenceNumber").asText());
      byte[] ulaw = payload(media);
      assertEquals(160, ulaw.length, "frame " + i);
      received.writeBytes(ulaw);
    }
    assertArrayEquals(java.util.Arrays.copyOf(sent.toByteArray(), 800), received.toByteArray());
    session.stop();
  }

  @Test
  void slin16IsTranscodedToAndFromMulaw() throws Exception {
    MediaStreamSession session = session(true, MediaEncoding.SLIN16);
    InetSocketAddress rtp = startAndSkipHandshake(session);

    for (int i = 0; i < 5; i++) {
      asterisk.send(rtp, 118, slin16Tone(i), 320);
    }
    double level = 0;
    for (int i = 0; i < 5; i++) {
      byte[] ulaw = payload(app.next());
      assertEquals(160, ulaw.length);
      level = rms(G711.decodeUlaw(ulaw, 0, ulaw.length));
    }
    assertTrue(level > 4000, "the tone survived, rms " + level);

    app.send(media(G711.encodeUlaw(tone8k())));
    await(() -> session.queuedFrames() == 1, "frame queued");
    ticks.tick();
    RtpPacket out = asterisk.receive();
    assertEquals(118, out.payloadType());
    assertEquals(640, out.payload().length);
    session.stop();
  }

  @Test
  void pcm16At16kHzTravelsBothWaysOverSlin16WithoutMulaw() throws Exception {
    MediaStreamSession session = MediaStreamSession.create(testKit.system(), SETTINGS,
        params(MediaEncoding.SLIN16, AudioFormat.PCM16_16K), ticks, events::add, Clock.systemUTC());
    InetSocketAddress rtp = start(session);
    assertEquals("connected", app.next().path("event").asText());
    JsonNode format = app.next().path("start").path("mediaFormat");
    assertEquals("audio/pcm", format.path("encoding").asText());
    assertEquals(16000, format.path("sampleRate").asInt());
    assertEquals(1, format.path("channels").asInt());

    for (int i = 0; i < 3; i++) {
      asterisk.send(rtp, 118, slin16Tone(i), 320);
    }
    for (int i = 0; i < 3; i++) {
      JsonNode media = app.next();
      assertEquals(String.valueOf(i * 20), media.path("media").path("timestamp").asText());
      assertArrayEquals(swapBytes(slin16Tone(i)), payload(media), "frame " + i + " as PCM16 LE");
    }

    app.send(media(swapBytes(slin16Tone(7))));
    await(() -> session.queuedFrames() == 1, "frame queued");
    ticks.tick();
    RtpPacket out = asterisk.receive();
    assertEquals(118, out.payloadType());
    assertArrayEquals(slin16Tone(7), out.payload());
    session.stop();
  }

  @Test
  void pcm16At24kHzIsResampledToAndFromUlaw() throws Exception {
    MediaStreamSession session = MediaStreamSession.create(testKit.system(), SETTINGS,
        params(MediaEncoding.ULAW, AudioFormat.PCM16_24K), ticks, events::add, Clock.systemUTC());
    InetSocketAddress rtp = startAndSkipHandshake(session);
    for (int i = 0; i < 5; i++) {
      asterisk.send(rtp, 0, G711.encodeUlaw(tone8k()), 160);
    }
    double level = 0;
    for (int i = 0; i < 5; i++) {
      byte[] pcm = payload(app.next());
      assertEquals(960, pcm.length);
      level = rms(FormatConverter.decode(pcm, AudioFormat.PCM16_24K));
    }
    // a 10000-peak sine has rms 7071; µ-law and the filter keep it within a few percent
    assertEquals(7071, level, 250);

    app.send(media(FormatConverter.encode(new short[480], AudioFormat.Encoding.PCM16_LE)));
    await(() -> session.queuedFrames() == 1, "frame queued");
    ticks.tick();
    RtpPacket out = asterisk.receive();
    assertEquals(0, out.payloadType());
    assertEquals(160, out.payload().length);
    session.stop();
  }

  @Test
  void eachFrameReportsItsTimeInsideSwitchboardBothWays() throws Exception {
    MetricsRegistry registry = new MetricsRegistry();
    RelayDelays histogram = RelayDelays.registeredIn(registry);
    List<RelayDelays.Direction> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Long> nanos = new java.util.concurrent.CopyOnWriteArrayList<>();
    RelayDelays delays = (direction, n) -> {
      seen.add(direction);
      nanos.add(n);
      histogram.observe(direction, n);
    };
    MediaStreamSession session = MediaStreamSession.create(testKit.system(), SETTINGS,
        params(true, MediaEncoding.ULAW, app.url()), ticks, events::add, Clock.systemUTC(), delays);
    InetSocketAddress rtp = startAndSkipHandshake(session);
    for (int i = 0; i < 3; i++) {
      asterisk.send(rtp, 0, frame(i + 1), 160);
      app.next();
    }
    await(() -> seen.size() == 3, "three inbound delays");
    assertEquals(List.of(RelayDelays.Direction.INBOUND, RelayDelays.Direction.INBOUND,
        RelayDelays.Direction.INBOUND), seen);

    app.send(media(frame(9)));
    await(() -> session.queuedFrames() == 1, "frame queued");
    ticks.tick();
    asterisk.receive();
    await(() -> seen.size() == 4, "one outbound delay");
    assertEquals(RelayDelays.Direction.OUTBOUND, seen.get(3));
    assertTrue(nanos.stream().allMatch(n -> n > 0 && n < TimeUnit.SECONDS.toNanos(10)), nanos.toString());
    String exposition = registry.scrape();
    assertTrue(exposition.contains(
        "switchboard_stream_relay_delay_seconds_count{direction=\"inbound\"} 3"), exposition);
    assertTrue(exposition.contains(
        "switchboard_stream_relay_delay_seconds_count{direction=\"outbound\"} 1"), exposition);
    session.stop();
  }

  @Test
  void unreachableAppFailsTheStartWithAStreamError() throws Exception {
    int closedPort;
    try (DatagramSocket probe = new DatagramSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    StreamParams params = params(true, MediaEncoding.ULAW, "ws://127.0.0.1:" + closedPort + "/x");
    MediaStreamSession session = MediaStreamSession.create(testKit.system(), SETTINGS, params,
        ticks, events::add, Clock.systemUTC());

    ExecutionException e = assertThrows(ExecutionException.class,
        () -> session.start().toCompletableFuture().get(20, TimeUnit.SECONDS));

    assertTrue(e.getCause().getMessage().contains("cannot connect"), e.getCause().getMessage());
    StreamEnd end = session.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(StreamEnd.Reason.ERROR, end.reason());
    StreamEvent error = events.poll(10, TimeUnit.SECONDS);
    assertEquals(StreamEvent.Type.ERROR, error.type());
    assertFalse(error.error().orElse("").isEmpty());
  }

  private MediaStreamSession session(boolean bidirectional, MediaEncoding encoding) {
    return MediaStreamSession.create(testKit.system(), SETTINGS,
        params(bidirectional, encoding, app.url()), ticks, events::add, Clock.systemUTC());
  }

  private static StreamParams params(boolean bidirectional, MediaEncoding encoding, String url) {
    return new StreamParams(URI.create(url), StreamParams.newStreamSid(), "AC456", "CA123",
        Optional.empty(), List.of(Track.INBOUND), Map.of("FirstName", "Jane"), bidirectional,
        encoding);
  }

  private StreamParams params(MediaEncoding encoding, AudioFormat appFormat) {
    return new StreamParams(URI.create(app.url()), StreamParams.newStreamSid(), "AC456", "CA123",
        Optional.empty(), List.of(Track.INBOUND), Map.of(), true, encoding, appFormat);
  }

  private static byte[] swapBytes(byte[] pcm) {
    byte[] out = new byte[pcm.length];
    for (int i = 0; i + 1 < pcm.length; i += 2) {
      out[i] = pcm[i + 1];
      out[i + 1] = pcm[i];
    }
    return out;
  }

  private static InetSocketAddress start(MediaStreamSession session) throws Exception {
    return session.start().toCompletableFuture().get(20, TimeUnit.SECONDS).get(Track.INBOUND);
  }

  private InetSocketAddress startAndSkipHandshake(MediaStreamSession session) throws Exception {
    InetSocketAddress rtp = start(session);
    assertEquals("connected", app.next().path("event").asText());
    assertEquals("start", app.next().path("event").asText());
    return rtp;
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  private static byte[] frame(int n) {
    byte[] f = new byte[160];
    for (int i = 0; i < f.length; i++) {
      f[i] = (byte) (n * 31 + i);
    }
    return f;
  }

  private static byte[] concat(byte[]... parts) {
    byte[] out = new byte[0];
    for (byte[] p : parts) {
      int at = out.length;
      out = Arrays.copyOf(out, at + p.length);
      System.arraycopy(p, 0, out, at, p.length);
    }
    return out;
  }

  private static String media(byte[] ulaw) {
    return "{\"event\":\"media\",\"streamSid\":\"x\",\"media\":{\"payload\":\""
        + Base64.getEncoder().encodeToString(ulaw) + "\"}}";
  }

  private static String mark(String name) {
    return "{\"event\":\"mark\",\"streamSid\":\"x\",\"mark\":{\"name\":\"" + name + "\"}}";
  }

  private static String markName(JsonNode message) {
    assertEquals("mark", message.path("event").asText(), message.toString());
    return message.path("mark").path("name").asText();
  }

  private static byte[] payload(JsonNode media) {
    return Base64.getDecoder().decode(media.path("media").path("payload").asText());
  }

  private static byte[] slin16Tone(int frameIndex) {
    byte[] out = new byte[640];
    for (int i = 0; i < 320; i++) {
      int n = frameIndex * 320 + i;
      short s = (short) (10000 * Math.sin(2 * Math.PI * 440 * n / 16000.0));
      out[2 * i] = (byte) (s >> 8);
      out[2 * i + 1] = (byte) s;
    }
    return out;
  }

  private static short[] tone8k() {
    short[] s = new short[160];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (10000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
    }
    return s;
  }

  private static double rms(short[] s) {
    double sum = 0;
    for (short v : s) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum / s.length);
  }
}
