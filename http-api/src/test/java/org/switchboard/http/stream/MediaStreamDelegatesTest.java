package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.http.stream.StreamCallFixture.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.CallRouting;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.Parameter;
import org.switchboard.engine.twiml.verb.Start;
import org.switchboard.engine.twiml.verb.Stream;
import org.switchboard.http.audio.AudioSettings;
import org.switchboard.http.stream.StreamParams.Track;

/**
 * {@code <Connect><Stream>} end to end: the delegate on a stand-in call actor, the real ARI client
 * against the ARI simulator (RTP over UDP) and a WebSocket application, all on 127.0.0.1.
 */
class MediaStreamDelegatesTest {

  static final URI STATUS = URI.create("http://127.0.0.1:9/stream-status");
  static final Instant NOW = Instant.parse("2026-01-01T00:00:05Z");
  static ActorTestKit testKit;

  StreamCallFixture f;
  TestApp app;
  ManualTicks ticks;
  MediaStreamDelegates delegates;

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
    f = new StreamCallFixture(testKit);
    app = new TestApp(testKit.system());
    ticks = new ManualTicks();
    delegates = new MediaStreamDelegates(CallDelegates.unsupported(), f.ari, f.webhooks(),
        new AudioSettings.Stream("127.0.0.1", 3000, Duration.ofSeconds(10), "ulaw"), ticks,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void connectRelaysAudioUnchangedBothWaysAndCleansUpOnHangup() throws Exception {
    StreamRelay relay = (StreamRelay) f.run(c -> delegates.connect(c, connect(app.url())));
    MediaStreamSession session = relay.session();
    assertEquals("connected", app.next().path("event").asText());
    JsonNode start = app.next();
    assertEquals("start", start.path("event").asText());
    assertEquals(f.callSid, start.path("start").path("callSid").asText());
    assertEquals("AC0123", start.path("start").path("accountSid").asText());
    assertEquals("Jane", start.path("start").path("customParameters").path("FirstName").asText());
    String sid = start.path("streamSid").asText();
    String em = CallRouting.channelId(f.callSid, "em", 1);
    String bridge = f.callSid + "-br-stream-1";
    await(() -> f.bridgeMembers(bridge).containsAll(List.of(f.callerId, em)),
        "caller and ExternalMedia channel in the stream bridge");
    Map<String, String> started = f.nextCallback();
    assertEquals("stream-started", started.get("StreamEvent"));
    assertEquals(sid, started.get("StreamSid"));
    assertEquals("talk", started.get("StreamName"));
    assertEquals(f.callSid, started.get("CallSid"));
    assertEquals("2026-01-01T00:00:05Z", started.get("Timestamp"));
    assertEquals(STATUS.toString(), started.get("#url"));

    // App audio plays before the caller says a word: the RTP address came from the channelvars.
    assertTrue(session.knowsAsteriskAddress(Track.INBOUND));
    byte[] a = concat(frame(1), frame(2));
    byte[] b = frame(3);
    app.send(media(a));
    app.send(mark("a"));
    app.send(media(b));
    app.send(mark("b"));
    await(() -> session.queuedFrames() == 3 && session.queuedMarks() == 2, "audio and marks queued");
    ticks.tick();
    assertEquals(2, session.queuedMarks());
    ticks.tick();
    assertEquals("a", markName(app.next()));
    assertEquals(1, session.queuedMarks());
    ticks.tick();
    assertEquals("b", markName(app.next()));
    await(() -> f.sim.rtp(em).received().length == 480, "three frames at the simulator");
    assertArrayEquals(concat(a, b), f.sim.rtp(em).received());

    // clear drops what is queued: the next tick plays nothing of it.
    app.send(media(concat(frame(4), frame(5), frame(6))));
    app.send(mark("c"));
    await(() -> session.queuedFrames() == 3 && session.queuedMarks() == 1, "three frames queued");
    ticks.tick();
    app.send("{\"event\":\"clear\",\"streamSid\":\"" + sid + "\"}");
    assertEquals("c", markName(app.next()));
    assertEquals(0, session.queuedFrames());
    ticks.tick();
    app.send(media(frame(9)));
    await(() -> session.queuedFrames() == 1, "the frame after clear queued");
    ticks.tick();
    await(() -> f.sim.rtp(em).received().length == 800, "five frames at the simulator");
    assertArrayEquals(concat(a, b, frame(4), frame(9)), f.sim.rtp(em).received());

    // The caller speaks: the app gets exactly the bytes the simulator sent.
    f.sim.speak(f.callerId, Duration.ofMillis(100));
    f.advance(100);
    byte[] sent = f.sim.rtp(em).sent();
    assertTrue(sent.length >= 3 * 160, "the simulator sent " + sent.length + " bytes");
    ByteArrayOutputStream heard = new ByteArrayOutputStream();
    for (int chunk = 1; heard.size() < sent.length; chunk++) {
      JsonNode m = app.next();
      assertEquals("media", m.path("event").asText(), m.toString());
      assertEquals("inbound", m.path("media").path("track").asText());
      assertEquals(String.valueOf(chunk), m.path("media").path("chunk").asText());
      heard.writeBytes(Base64.getDecoder().decode(m.path("media").path("payload").asText()));
    }
    assertArrayEquals(sent, heard.toByteArray());

    // DTMF from the caller, as the call actor passes it on.
    f.sim.pressDtmf(f.callerId, "7");
    f.advance(1000);
    relay.onEvent(f.awaitEvent(e -> e instanceof ChannelEvent.DtmfReceived d
        && d.id().equals(f.callerId)));
    JsonNode dtmf = app.next();
    assertEquals("dtmf", dtmf.path("event").asText());
    assertEquals("7", dtmf.path("dtmf").path("digit").asText());

    // Hangup: the call stops the delegation.
    f.sim.callerHangup(f.callerId);
    f.awaitEvent(e -> e instanceof ChannelEvent.StasisLeft l && l.id().equals(f.callerId));
    relay.stop("hangup");
    JsonNode stop = app.next();
    assertEquals("stop", stop.path("event").asText());
    assertEquals(f.callSid, stop.path("stop").path("callSid").asText());
    app.closedBySession.get(10, TimeUnit.SECONDS);
    relay.released().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertFalse(f.hasChannel(em), "ExternalMedia channel hung up");
    assertFalse(f.hasBridge(bridge), "stream bridge destroyed");
    assertEquals("stream-stopped", f.nextCallback().get("StreamEvent"));
    f.callProbe.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void connectEndsWhenTheAppClosesTheSocketAndTheCallGoesOn() throws Exception {
    StreamRelay relay = (StreamRelay) f.run(c -> delegates.connect(c, connect(app.url())));
    app.next();
    String sid = app.next().path("streamSid").asText();
    String em = CallRouting.channelId(f.callSid, "em", 1);
    String bridge = f.callSid + "-br-stream-1";
    await(() -> f.bridgeMembers(bridge).size() == 2, "stream bridge built");

    app.close();
    CallCommand.StreamClosed closed = f.callProbe.expectMessageClass(CallCommand.StreamClosed.class);
    assertEquals(Map.of("StreamSid", sid), closed.params());
    relay.released().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertFalse(f.hasChannel(em));
    assertFalse(f.hasBridge(bridge));
    assertTrue(f.hasChannel(f.callerId), "the caller stays for the next verb");
    assertNull(bridgeOf(f.callerId), "the caller left the stream bridge");
    relay.stop("hangup");
    f.callProbe.expectNoMessage(Duration.ofMillis(200));
  }

  /**
   * The ExternalMedia channel over chan_websocket: created with {@code transport=websocket&
   * connection_type=server}, Switchboard connects to {@code /media/<connection id>}, audio flows
   * both ways as raw frames with no RTP port.
   */
  @Test
  void connectCarriesAudioBothWaysOverTheWebSocketChannel() throws Exception {
    MediaStreamDelegates overWebSocket = webSocketDelegates();
    StreamRelay relay = (StreamRelay) f.run(c -> overWebSocket.connect(c, new Connect(
        Optional.empty(), Method.POST, new Stream(URI.create(app.url()), Optional.empty(),
            Stream.Track.INBOUND_TRACK, Optional.empty(), Method.POST,
            List.of(new Parameter("audioFormat", "audio/pcm;rate=8000"))))));
    MediaStreamSession session = relay.session();
    assertEquals("connected", app.next().path("event").asText());
    assertEquals("audio/pcm", app.next().path("start").path("mediaFormat").path("encoding")
        .asText());
    String em = CallRouting.channelId(f.callSid, "em", 1);
    await(() -> f.bridgeMembers(f.callSid + "-br-stream-1").containsAll(List.of(f.callerId, em)),
        "caller and the WebSocket channel in the stream bridge");
    assertTrue(session.knowsAsteriskAddress(StreamParams.Track.INBOUND));

    // the app's PCM16 reaches the channel as µ-law frames over the socket
    byte[] silence = new byte[320];
    app.send("{\"event\":\"media\",\"streamSid\":\"x\",\"media\":{\"payload\":\""
        + Base64.getEncoder().encodeToString(silence) + "\"}}");
    await(() -> f.sim.mediaQueued(em) == 1 && session.unplayedFrames() == 1,
        "one µ-law frame in the channel's queue at once, without waiting for a tick");
    f.advance(20);
    assertEquals(160, f.sim.rtp(em).received().length, "played at the channel's next tick");
    byte[] ulawSilence = new byte[160];
    java.util.Arrays.fill(ulawSilence, (byte) 0xFF);
    assertArrayEquals(ulawSilence, f.sim.rtp(em).received());

    // the caller speaks: the app gets what the channel sent, as PCM16
    f.sim.speak(f.callerId, Duration.ofMillis(100));
    f.advance(100);
    byte[] sent = f.sim.rtp(em).sent();
    assertTrue(sent.length >= 3 * 160, "the simulator sent " + sent.length + " bytes");
    ByteArrayOutputStream heard = new ByteArrayOutputStream();
    while (heard.size() < 2 * sent.length) {
      JsonNode m = app.next();
      assertEquals("media", m.path("event").asText(), m.toString());
      heard.writeBytes(Base64.getDecoder().decode(m.path("media").path("payload").asText()));
    }
    byte[] pcm = heard.toByteArray();
    for (int i = 0; i < sent.length; i++) {
      short expected = org.switchboard.http.audio.G711.ulawToLinear(sent[i]);
      short got = (short) ((pcm[2 * i] & 0xFF) | (pcm[2 * i + 1] << 8));
      assertEquals(expected, got, "sample " + i);
    }

    relay.stop("hangup");
    assertEquals("stop", app.next().path("event").asText());
    relay.released().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertFalse(f.hasChannel(em), "WebSocket channel hung up");
  }

  /**
   * Over chan_websocket the application's audio is paced by Asterisk's marks: ten frames in the
   * channel's queue at once, one more for each frame it plays; a {@code mark} is echoed once the
   * audio before it has played there, not when it was sent; {@code clear} flushes the channel's
   * queue ({@code FLUSH_MEDIA}) and echoes the marks of everything it dropped, in order.
   */
  @Test
  void overTheWebSocketChannelAppAudioIsPacedByAsteriskAndClearFlushesIt() throws Exception {
    MediaStreamDelegates overWebSocket = webSocketDelegates();
    StreamRelay relay = (StreamRelay) f.run(c -> overWebSocket.connect(c, connect(app.url())));
    MediaStreamSession session = relay.session();
    assertEquals("connected", app.next().path("event").asText());
    assertEquals("start", app.next().path("event").asText());
    String em = CallRouting.channelId(f.callSid, "em", 1);
    await(() -> f.bridgeMembers(f.callSid + "-br-stream-1").containsAll(List.of(f.callerId, em))
        && session.knowsAsteriskAddress(Track.INBOUND), "the WebSocket channel bridged");

    byte[][] frames = new byte[16][];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = frame(i + 1);
    }
    app.send(media(concat(java.util.Arrays.copyOf(frames, 15))));
    app.send(mark("after-15"));
    app.send(media(frames[15]));
    app.send(mark("after-16"));
    await(() -> f.sim.mediaQueued(em) == 10 && session.unplayedFrames() == 10
        && session.queuedFrames() == 6 && session.queuedMarks() == 2,
        "ten frames in the channel's queue, six waiting with both marks");
    for (int played = 1; played <= 14; played++) {
      playOne(em, session, played, Math.min(10, 16 - played));
    }
    assertEquals(List.of(), marksWithin(100), "no mark before its audio has played");
    playOne(em, session, 15, 1);
    assertEquals("after-15", nextMark());
    playOne(em, session, 16, 0);
    assertEquals("after-16", nextMark());
    assertArrayEquals(concat(frames), f.sim.rtp(em).received(), "every frame played, in order");

    app.send(media(concat(frame(20), frame(21), frame(22))));
    await(() -> session.unplayedFrames() == 3, "three frames in the channel's queue");
    app.send(mark("c1"));
    app.send(media(concat(java.util.Arrays.copyOf(frames, 10))));
    app.send(mark("c2"));
    await(() -> f.sim.mediaQueued(em) == 10 && session.queuedFrames() == 3
        && session.queuedMarks() == 1, "c1 behind frame 3 in Asterisk, c2 behind the queue");
    app.send("{\"event\":\"clear\",\"streamSid\":\"x\"}");
    assertEquals("c1", nextMark());
    assertEquals("c2", nextMark());
    await(() -> f.sim.mediaQueued(em) == 0 && session.unplayedFrames() == 0
        && session.queuedFrames() == 0, "the channel's queue flushed");
    f.advance(60);
    assertEquals(16 * 160, f.sim.rtp(em).received().length, "nothing played after the clear");

    relay.stop("hangup");
    relay.released().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Lets the channel play frame {@code played}; the session tops its queue up to {@code left}. */
  private void playOne(String em, MediaStreamSession session, int played, int left) {
    f.advance(20);
    await(() -> f.sim.rtp(em).received().length == played * 160
        && session.unplayedFrames() == left && f.sim.mediaQueued(em) == left,
        played + " frames played, " + left + " in the channel's queue");
  }

  /** The next mark the application receives (media is skipped). */
  private String nextMark() throws InterruptedException {
    while (true) {
      JsonNode message = app.next();
      if (!"media".equals(message.path("event").asText())) {
        return markName(message);
      }
    }
  }

  /** The marks the application receives within {@code millis} (media is skipped). */
  private List<String> marksWithin(long millis) throws InterruptedException {
    List<String> marks = new java.util.ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (JsonNode m = app.poll(millis); m != null;
        m = app.poll(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))) {
      if (!"media".equals(m.path("event").asText())) {
        marks.add(markName(m));
      }
    }
    return marks;
  }

  private MediaStreamDelegates webSocketDelegates() {
    return new MediaStreamDelegates(CallDelegates.unsupported(), f.ari, f.webhooks(),
        new AudioSettings.Stream("127.0.0.1", 3000, Duration.ofSeconds(10), "ulaw"), ticks,
        Clock.fixed(NOW, ZoneOffset.UTC), RelayDelays.NONE,
        MediaStreamDelegates.mediaSockets(List.of(StreamCallFixture.SERVER),
            Map.of(StreamCallFixture.SERVER, f.sim.baseUrl() + "/ari")));
  }

  @Test
  void theAudioFormatParameterChoosesTheAppFormatAndABadOneIsRefused() throws Exception {
    StreamRelay relay = (StreamRelay) f.run(c -> delegates.connect(c, new Connect(Optional.empty(),
        Method.POST, new Stream(URI.create(app.url()), Optional.empty(), Stream.Track.INBOUND_TRACK,
            Optional.empty(), Method.POST,
            List.of(new Parameter("audioFormat", "audio/pcm;rate=16000"))))));
    assertEquals("connected", app.next().path("event").asText());
    JsonNode format = app.next().path("start").path("mediaFormat");
    assertEquals("audio/pcm", format.path("encoding").asText());
    assertEquals(16000, format.path("sampleRate").asInt());
    relay.stop("test over");
    relay.released().toCompletableFuture().get(10, TimeUnit.SECONDS);

    f.run(c -> delegates.connect(c, new Connect(Optional.empty(), Method.POST,
        new Stream(URI.create(app.url()), Optional.empty(), Stream.Track.INBOUND_TRACK,
            Optional.empty(), Method.POST, List.of(new Parameter("audioFormat", "opus"))))));
    CallCommand.StreamClosed closed = f.callProbe.expectMessageClass(CallCommand.StreamClosed.class,
        Duration.ofSeconds(15));
    assertTrue(closed.params().get("StreamError").contains("audioFormat"), closed.toString());
    assertTrue(closed.params().get("StreamError").contains("opus"), closed.toString());
  }

  @Test
  void connectToAnUnreachableAppEndsWithAnErrorAndCreatesNothing() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    StreamRelay relay = (StreamRelay) f.run(
        c -> delegates.connect(c, connect("ws://127.0.0.1:" + port + "/nobody")));
    CallCommand.StreamClosed closed = f.callProbe.expectMessageClass(CallCommand.StreamClosed.class,
        Duration.ofSeconds(15));
    String url = "ws://127.0.0.1:" + port + "/nobody";
    assertTrue(closed.params().get("StreamError").contains(url), closed.toString());
    Map<String, String> error = f.nextCallback();
    assertEquals("stream-error", error.get("StreamEvent"));
    assertTrue(error.get("StreamError").contains(url), error.toString());
    relay.released().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(f.sim.bridges().isEmpty());
    assertFalse(f.hasChannel(CallRouting.channelId(f.callSid, "em", 1)));
  }

  @Test
  void aFailingMediaPathEndsTheStreamAndReleasesWhatWasBuilt() throws Exception {
    f.sim.callerHangup(f.callerId);
    f.awaitEvent(e -> e instanceof ChannelEvent.StasisLeft l && l.id().equals(f.callerId));
    await(() -> !f.hasChannel(f.callerId), "caller gone");
    StreamRelay relay = (StreamRelay) f.run(c -> delegates.connect(c, connect(app.url())));
    assertEquals("connected", app.next().path("event").asText());
    assertEquals("start", app.next().path("event").asText());
    assertEquals("stop", app.next().path("event").asText());
    CallCommand.StreamClosed closed = f.callProbe.expectMessageClass(CallCommand.StreamClosed.class);
    assertTrue(closed.params().get("StreamError").contains("cannot set up the media path"),
        closed.toString());
    relay.released().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertFalse(f.hasChannel(CallRouting.channelId(f.callSid, "em", 1)), "ExternalMedia channel released");
    assertFalse(f.hasBridge(f.callSid + "-br-stream-1"), "bridge released");
  }

  @Test
  void asteriskAddressComesFromTheChannelVariablesUnlessWildcard() {
    assertEquals(Optional.of(new java.net.InetSocketAddress("127.0.0.1", 4000)),
        StreamRelay.asteriskAddress(Map.of("UNICASTRTP_LOCAL_ADDRESS", "127.0.0.1",
            "UNICASTRTP_LOCAL_PORT", "4000")));
    assertEquals(Optional.empty(), StreamRelay.asteriskAddress(Map.of(
        "UNICASTRTP_LOCAL_ADDRESS", "0.0.0.0", "UNICASTRTP_LOCAL_PORT", "4000")));
    assertEquals(Optional.empty(), StreamRelay.asteriskAddress(Map.of(
        "UNICASTRTP_LOCAL_ADDRESS", "127.0.0.1", "UNICASTRTP_LOCAL_PORT", "x")));
    assertEquals(Optional.empty(), StreamRelay.asteriskAddress(Map.of()));
  }

  String bridgeOf(String channelId) {
    return f.sim.channels().stream().filter(c -> c.id().equals(channelId)).findFirst()
        .map(c -> c.bridgeId()).orElse(null);
  }

  static Connect connect(String url) {
    return new Connect(Optional.empty(), Method.POST, stream(url, Stream.Track.INBOUND_TRACK));
  }

  static Start start(String url, Stream.Track track) {
    return new Start(Optional.empty(), Method.POST, stream(url, track));
  }

  static Stream stream(String url, Stream.Track track) {
    return new Stream(URI.create(url), Optional.of("talk"), track, Optional.of(STATUS),
        Method.POST, List.of(new Parameter("FirstName", "Jane")));
  }

  static byte[] frame(int n) {
    byte[] frame = new byte[160];
    for (int i = 0; i < frame.length; i++) {
      frame[i] = (byte) (n * 37 + i);
    }
    return frame;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static String media(byte[] ulaw) {
    return "{\"event\":\"media\",\"streamSid\":\"x\",\"media\":{\"payload\":\""
        + Base64.getEncoder().encodeToString(ulaw) + "\"}}";
  }

  static String mark(String name) {
    return "{\"event\":\"mark\",\"streamSid\":\"x\",\"mark\":{\"name\":\"" + name + "\"}}";
  }

  static String markName(JsonNode message) {
    assertEquals("mark", message.path("event").asText(), message.toString());
    return message.path("mark").path("name").asText();
  }
}
