package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.http.stream.MediaStreamDelegatesTest.start;
import static org.switchboard.http.stream.StreamCallFixture.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.SimLog;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.CallRouting;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.twiml.verb.Stream;
import org.switchboard.http.audio.AudioSettings;

/**
 * {@code <Start><Stream>} end to end: snoop channels on the caller feed ExternalMedia channels;
 * the caller itself is never bridged. The simulator does not copy a caller's voice into a snoop
 * channel, so these tests make the snoop channel itself "speak" (what a real snoop hears).
 */
class MediaStreamForkTest {

  static ActorTestKit testKit;

  StreamCallFixture f;
  TestApp app;
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
    delegates = new MediaStreamDelegates(CallDelegates.unsupported(), f.ari, f.webhooks(),
        new AudioSettings.Stream("127.0.0.1", 3000, Duration.ofSeconds(10), "ulaw"),
        new ManualTicks(), Clock.fixed(MediaStreamDelegatesTest.NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void inboundForkStreamsWhatTheCallerSaysUntilStop() throws Exception {
    StreamRelay relay = (StreamRelay) f.run(
        c -> delegates.startStream(c, start(app.url(), Stream.Track.INBOUND_TRACK)));
    assertEquals("connected", app.next().path("event").asText());
    JsonNode startMessage = app.next();
    assertEquals("[\"inbound\"]", startMessage.path("start").path("tracks").toString());
    String snoop = CallRouting.channelId(f.callSid, "snoop", 1);
    String em = CallRouting.channelId(f.callSid, "em", 1);
    String bridge = f.callSid + "-br-stream-1";
    await(() -> f.bridgeMembers(bridge).containsAll(List.of(snoop, em)),
        "snoop and ExternalMedia channel bridged");
    assertTrue(snoopRequested(f.callerId, snoop, "in"), "snoop with spy=in");
    assertNull(bridgeOf(f.callerId), "the caller is not bridged by a fork");
    assertEquals("stream-started", f.nextCallback().get("StreamEvent"));

    f.sim.speak(snoop, Duration.ofMillis(100));
    f.advance(100);
    byte[] sent = f.sim.rtp(em).sent();
    assertTrue(sent.length >= 3 * 160, "the simulator sent " + sent.length + " bytes");
    assertArrayEquals(sent, heard(app, "inbound", sent.length));

    // A fork plays nothing back and reports no DTMF.
    relay.onEvent(new ChannelEvent.DtmfReceived(StreamCallFixture.SERVER,
        MediaStreamDelegatesTest.NOW, f.callerId, "5", 100));
    app.send(MediaStreamDelegatesTest.media(MediaStreamDelegatesTest.frame(1)));

    relay.stop("stopped");
    JsonNode stop = app.next();
    assertEquals("stop", stop.path("event").asText(), "no dtmf before stop: " + stop);
    relay.released().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertFalse(f.hasChannel(snoop), "snoop channel hung up");
    assertFalse(f.hasChannel(em), "ExternalMedia channel hung up");
    assertFalse(f.hasBridge(bridge), "bridge destroyed");
    assertTrue(f.hasChannel(f.callerId), "the call goes on");
    assertEquals(0, f.sim.rtp(em).packetsReceived(), "nothing was played to the caller");
    assertEquals("stream-stopped", f.nextCallback().get("StreamEvent"));
  }

  @Test
  void bothTracksGetASnoopEachAndEndWithTheCall() throws Exception {
    StreamRelay relay = (StreamRelay) f.run(
        c -> delegates.startStream(c, start(app.url(), Stream.Track.BOTH_TRACKS)));
    app.next();
    JsonNode startMessage = app.next();
    assertEquals("[\"inbound\",\"outbound\"]", startMessage.path("start").path("tracks").toString());
    String outSnoop = CallRouting.channelId(f.callSid, "snoop", 2);
    String outEm = CallRouting.channelId(f.callSid, "em", 2);
    await(() -> f.bridgeMembers(f.callSid + "-br-stream-1")
            .containsAll(List.of(CallRouting.channelId(f.callSid, "snoop", 1), CallRouting.channelId(f.callSid, "em", 1)))
            && f.bridgeMembers(f.callSid + "-br-stream-2").containsAll(List.of(outSnoop, outEm)),
        "two snoops, each bridged with its own ExternalMedia channel");
    assertTrue(snoopRequested(f.callerId, CallRouting.channelId(f.callSid, "snoop", 1), "in"));
    assertTrue(snoopRequested(f.callerId, outSnoop, "out"));

    f.sim.speak(outSnoop, Duration.ofMillis(60));
    f.advance(60);
    byte[] sent = f.sim.rtp(outEm).sent();
    assertTrue(sent.length >= 2 * 160, "the simulator sent " + sent.length + " bytes");
    assertArrayEquals(sent, heard(app, "outbound", sent.length));

    f.sim.callerHangup(f.callerId);
    f.awaitEvent(e -> e instanceof ChannelEvent.StasisLeft l && l.id().equals(f.callerId));
    relay.stop("hangup");
    assertEquals("stop", app.next().path("event").asText());
    relay.released().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(f.sim.bridges().isEmpty(), "bridges destroyed: " + f.sim.bridges());
    assertFalse(f.sim.channels().stream().anyMatch(c -> c.id().startsWith(f.callSid)),
        "no stream channel left: " + f.sim.channels());
  }

  private boolean snoopRequested(String channel, String snoopId, String spy) {
    return f.sim.log().requests().stream().anyMatch((SimLog.Request r) ->
        r.method().equals("POST") && r.path().endsWith("/channels/" + channel + "/snoop")
            && r.query().contains("snoopId=" + snoopId) && r.query().contains("spy=" + spy)
            && r.status() == 200);
  }

  private String bridgeOf(String channelId) {
    return f.sim.channels().stream().filter(c -> c.id().equals(channelId)).findFirst()
        .map(c -> c.bridgeId()).orElse(null);
  }

  /** Concatenated payloads of the next media messages of {@code track}, up to {@code length}. */
  private static byte[] heard(TestApp app, String track, int length) throws Exception {
    ByteArrayOutputStream heard = new ByteArrayOutputStream();
    while (heard.size() < length) {
      JsonNode m = app.next();
      assertEquals("media", m.path("event").asText(), m.toString());
      assertEquals(track, m.path("media").path("track").asText());
      heard.writeBytes(Base64.getDecoder().decode(m.path("media").path("payload").asText()));
    }
    return heard.toByteArray();
  }
}
