package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimLog;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * The ARI event socket drops mid-call for longer than what the call waits for: the simulator
 * refuses the reconnect for the whole gap and loses its events, as Asterisk does. After the
 * reconnect every call finds out from Asterisk what ended in the gap: a finished playback runs
 * the next verb, a finished recording posts its action and callback, a caller who hung up (in a
 * {@code <Gather>}, while a leg rings or while bridged) ends the call with its final callback and
 * nothing is left on the simulator; a volunteer who hung up while bridged sends the caller to the
 * Dial action; a {@code <Gather>} whose caller is still there keeps waiting; a Local leg that
 * rings through the gap is not taken for an orphan (nor is its far half).
 */
class AriGapEndToEndTest {
  private static final Duration GAP = Duration.ofMillis(2500);
  private static final Duration STEADY = Duration.ofMillis(1500);
  private static E2eHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new E2eHarness(List.of(
        new DialRule("*+15550301001*", DialBehaviour.parse("no-answer")),
        new DialRule("*+15550301002*", DialBehaviour.parse("answer-after-300")),
        new DialRule("*alice*", DialBehaviour.parse("no-answer")),
        new DialRule("*sentinel*", DialBehaviour.parse("no-answer"))),
        Map.of("switchboard.dial.client-template", "Local/{identity}@volunteers"));
    byte[] tone = wav(Duration.ofMillis(1500));
    h.app.on("/audio/tone.wav", r -> Response.binary("audio/wav", tone));
    h.app.on("/voice", r -> switch (r.param("To")) {
      case "+15550009001" -> Response.twiml(
          "<Play>/audio/tone.wav</Play><Redirect>/after-play</Redirect>");
      case "+15550009002" -> Response.twiml("<Record maxLength=\"2\" playBeep=\"false\""
          + " action=\"/recorded\" recordingStatusCallback=\"/recording-status\"/>");
      case "+15550009003" -> Response.twiml(
          "<Dial timeout=\"90\" action=\"/dial-done\"><Number>+15550301001</Number></Dial>");
      case "+15550009004" -> Response.twiml(
          "<Dial action=\"/dial-done\"><Number>+15550301002</Number></Dial>");
      case "+15550009005" -> Response.twiml(
          "<Gather numDigits=\"1\" timeout=\"90\" action=\"/gathered\"/>");
      case "+15550009006" -> Response.twiml(
          "<Dial timeout=\"90\" action=\"/dial-done\"><Client>alice</Client></Dial>");
      default -> Response.twiml("<Hangup/>");
    });
    h.app.on("/after-play", r -> Response.twiml("<Hangup/>"));
    h.app.on("/recorded", r -> Response.twiml("<Hangup/>"));
    h.app.on("/dial-done", r -> Response.twiml("<Hangup/>"));
    h.app.on("/gathered", r -> Response.twiml("<Hangup/>"));
    warmUp();
  }

  /**
   * One ordinary call first, so the node's sharding is ready: a StasisStart that a cold node fails
   * to deliver makes the link restart and the call an orphan, which is not what these tests are
   * about.
   */
  private static void warmUp() {
    for (int attempt = 1; ; attempt++) {
      String sid = E2eHarness.callSid(h.call("+15557770900", "+15550009000"));
      try {
        h.app.await("/status", sid, E2eHarness.WAIT);
        h.awaitClean();
        return;
      } catch (AssertionError notYet) {
        if (attempt == 3) {
          throw notYet;
        }
      }
    }
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @AfterEach
  void clean() {
    h.awaitClean();
  }

  @Test
  void aPlaybackThatEndsInTheGapRunsTheNextVerbAfterTheReconnect() {
    String channel = h.call("+15557770901", "+15550009001");
    String sid = E2eHarness.callSid(channel);
    h.awaitTrue(() -> !h.sim.playbacks().isEmpty(), "the tone plays");
    dropLink();
    h.awaitTrue(() -> h.sim.playbacks().isEmpty(), "the tone ends during the gap");
    h.app.await("/after-play", sid, E2eHarness.WAIT);
    assertMissed("PlaybackFinished", channel);
    assertEquals("completed", h.app.await("/status", sid, E2eHarness.WAIT).param("CallStatus"));
  }

  @Test
  void aRecordingThatEndsInTheGapPostsItsActionAndItsCallback() {
    String channel = h.call("+15557770902", "+15550009002");
    String sid = E2eHarness.callSid(channel);
    h.awaitTrue(() -> !h.sim.liveRecordings().isEmpty(), "recording");
    h.sim.speak(channel, Duration.ofSeconds(5));
    dropLink();
    h.awaitTrue(() -> h.sim.liveRecordings().isEmpty(), "the recording ends during the gap");
    TestTwimlApp.Request action = h.app.await("/recorded", sid, E2eHarness.WAIT);
    assertTrue(Integer.parseInt(action.param("RecordingDuration")) >= 1,
        "the stored file's length: " + action.param("RecordingDuration"));
    TestTwimlApp.Request callback = h.app.await("/recording-status", sid, E2eHarness.WAIT);
    assertEquals("completed", callback.param("RecordingStatus"));
    assertEquals(action.param("RecordingSid"), callback.param("RecordingSid"));
    assertMissed("RecordingFinished", channel);
    assertEquals("completed", h.app.await("/status", sid, E2eHarness.WAIT).param("CallStatus"));
  }

  @Test
  void aCallerWhoHangsUpInTheGapWhileALegRingsEndsAndTheLegIsCancelled() {
    String channel = h.call("+15557770903", "+15550009003");
    String sid = E2eHarness.callSid(channel);
    h.awaitTrue(() -> leg().isPresent(), "the leg rings");
    hangUpDuringGap(channel);
    assertEquals("completed", h.app.await("/status", sid, E2eHarness.WAIT).param("CallStatus"));
    assertMissed("StasisEnd", channel);
  }

  @Test
  void aCallerWhoHangsUpInTheGapWhileBridgedEndsAndTheVolunteerIsHungUp() {
    String channel = h.call("+15557770904", "+15550009004");
    String sid = E2eHarness.callSid(channel);
    awaitBridged(channel);
    hangUpDuringGap(channel);
    assertEquals("completed", h.app.await("/status", sid, E2eHarness.WAIT).param("CallStatus"));
    assertMissed("StasisEnd", channel);
  }

  @Test
  void aVolunteerWhoHangsUpInTheGapSendsTheCallerToTheDialAction() {
    String channel = h.call("+15557770905", "+15550009004");
    String sid = E2eHarness.callSid(channel);
    awaitBridged(channel);
    hangUpDuringGap(leg().orElseThrow().id());
    TestTwimlApp.Request action = h.app.await("/dial-done", sid, E2eHarness.WAIT);
    assertEquals("completed", action.param("DialCallStatus"));
    assertEquals("completed", h.app.await("/status", sid, E2eHarness.WAIT).param("CallStatus"));
  }

  @Test
  void aCallerWhoHangsUpInTheGapDuringAGatherEnds() {
    String channel = h.call("+15557770906", "+15550009005");
    String sid = E2eHarness.callSid(channel);
    awaitAnswered(channel);
    hangUpDuringGap(channel);
    assertEquals("completed", h.app.await("/status", sid, E2eHarness.WAIT).param("CallStatus"));
  }

  @Test
  void aGatherWhoseCallerStaysKeepsWaitingThroughTheGap() {
    String channel = h.call("+15557770907", "+15550009005");
    String sid = E2eHarness.callSid(channel);
    awaitAnswered(channel);
    dropLink();
    awaitReconnected();
    h.sim.pressDtmf(channel, "4");
    assertEquals("4", h.app.await("/gathered", sid, E2eHarness.WAIT).param("Digits"));
  }

  /**
   * A leg dialled as a Local channel ({@code Local/alice@volunteers}) has a far half that Asterisk
   * names {@code <leg>;2}; after the reconnect the orphan sweep passes it by (a channel no call
   * owns, created with it, is hung up meanwhile), and the leg answers and is bridged as usual.
   */
  @Test
  void aLocalLegRingingThroughTheGapKeepsItsFarHalf() {
    String channel = h.call("+15557770908", "+15550009006");
    String sid = E2eHarness.callSid(channel);
    h.awaitTrue(() -> h.sim.channels().stream().anyMatch(c -> c.id().endsWith(";2")),
        "the Local leg rings");
    String far = h.sim.channels().stream().map(AriSimulator.ChannelView::id)
        .filter(id -> id.endsWith(";2")).findFirst().orElseThrow();
    String leg = far.substring(0, far.length() - 2);
    String orphan = "sb-sentinel" + Long.toHexString(System.nanoTime());
    assertEquals(200, h.rest("POST", "/channels?endpoint=PJSIP/sentinel&app=switchboard&channelId="
        + orphan).status());
    dropLink();
    awaitReconnected();
    h.awaitTrue(() -> hangups(orphan) == 1, "the orphan sweep hangs up the channel no call owns");
    h.sim.answerLeg(leg);
    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().containsAll(
        List.of(channel, leg))), "the caller bridged with the leg");
    h.sim.callerHangup(leg);
    TestTwimlApp.Request action = h.app.await("/dial-done", sid, E2eHarness.WAIT);
    assertEquals("completed", action.param("DialCallStatus"));
    assertEquals("completed", h.app.await("/status", sid, E2eHarness.WAIT).param("CallStatus"));
    assertEquals(0, hangups(far), "the leg's far half is no orphan");
  }

  private static long hangups(String channel) {
    return h.sim.log().requests().stream()
        .filter(r -> r.method().equals("DELETE") && java.net.URLDecoder.decode(r.path(),
            java.nio.charset.StandardCharsets.UTF_8).endsWith("/channels/" + channel))
        .count();
  }

  /**
   * Drops the link for {@link #GAP} once it has been up for a while: the reconnect backoff only
   * starts again from its minimum after a connection that lasted longer than that minimum (1 s).
   */
  private static void dropLink() {
    h.awaitTrue(() -> {
      LinkStatus link = h.node.ari().links().get(E2eHarness.SERVER);
      return link.connected() && link.since().isBefore(Instant.now().minus(STEADY));
    }, "the link is steady");
    h.sim.dropSockets(GAP);
  }

  private static void awaitReconnected() {
    h.awaitTrue(() -> h.sim.applications().contains("switchboard"), "the app reconnects");
  }

  /** Drops the link and hangs {@code channel} up while it is down. */
  private static void hangUpDuringGap(String channel) {
    dropLink();
    h.awaitTrue(() -> !h.sim.applications().contains("switchboard"), "the link is down");
    h.sim.callerHangup(channel);
    assertTrue(h.sim.channels().stream().noneMatch(c -> c.id().equals(channel)),
        "hung up while no socket is connected");
  }

  private static void awaitAnswered(String channel) {
    h.awaitTrue(() -> h.sim.channels().stream()
        .anyMatch(c -> c.id().equals(channel) && "Up".equals(c.state())), "answered");
  }

  private static void awaitBridged(String channel) {
    h.awaitTrue(() -> h.sim.bridges().stream()
        .anyMatch(b -> b.channels().contains(channel) && b.channels().size() == 2), "bridged");
  }

  /** The outbound leg: the one channel the simulator's inbound call did not create. */
  private static java.util.Optional<AriSimulator.ChannelView> leg() {
    return h.sim.channels().stream()
        .filter(c -> !c.id().startsWith("sim-call-") && !c.id().startsWith("sim-phone-")).findFirst();
  }

  private static void assertMissed(String type, String channel) {
    List<SimLog.Event> missed = h.sim.log().missed();
    assertTrue(missed.stream().anyMatch(e -> e.type().equals(type) && e.json().contains(channel)),
        "the gap swallowed " + type + " of " + channel + ": "
            + missed.stream().map(SimLog.Event::type).toList());
  }

  /** A 440 Hz tone as an 8 kHz mono 16-bit WAV. */
  /** A 440 Hz tone of {@code length} as an 8 kHz 16-bit mono WAV file. */
  static byte[] wav(Duration length) {
    int samples = (int) (8 * length.toMillis());
    ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      pcm.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0)));
    }
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes())
        .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes()).putInt(samples * 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.array());
    out.writeBytes(pcm.array());
    return out.toByteArray();
  }
}
