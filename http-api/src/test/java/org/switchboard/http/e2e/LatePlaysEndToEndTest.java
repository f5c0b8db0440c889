package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.SimFault;
import org.switchboard.asterisk.sim.SimLog;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * A play that Asterisk carries out after its owner moved on ({@link SimFault#late}: the first
 * channel play is held, then runs and is answered, well within the request timeout): the stop
 * the owner sent at once found nothing ({@code 404}), so the playback is stopped again when the
 * play's answer comes. The caller dequeued and bridged does not hear the wait music on, the
 * caller bridged to its callee does not hear the ringback on, a conference that started does
 * not play the wait document on.
 */
class LatePlaysEndToEndTest extends LateCommandsFixture {
  /** Long enough for the owner to move on before the play runs; shorter than the 10 s timeout. */
  private static final Duration LATE = Duration.ofMillis(4000);
  private static final Pattern PLAYBACK_ID = Pattern.compile("playbackId=([^&]+)");

  @BeforeAll
  static void start() throws Exception {
    // Commands over HTTP: the simulator runs one event socket's requests in order, so there a
    // stop never overtakes its play; on separate connections it does.
    startHarness("+15550601001", Map.of("switchboard.ari.rest-transport", "http"));
    serveTone("/audio/music.wav", Duration.ofSeconds(60));
    h.app.on("/voice", r -> switch (r.param("To")) {
      case "+15550006001" -> Response.twiml("<Enqueue waitUrl=\"/wait\">late-music</Enqueue>");
      case "+15550006002" -> Response.twiml("<Dial><Queue>late-music</Queue></Dial>");
      case "+15550006003" -> Response.twiml(
          "<Dial ringTone=\"us\"><Number>+15550601001</Number></Dial>");
      case "+15550006004" -> Response.twiml("<Dial><Conference startConferenceOnEnter=\"false\""
          + " beep=\"false\" waitUrl=\"/wait\">late-room</Conference></Dial>");
      case "+15550006005" -> Response.twiml(
          "<Dial><Conference beep=\"false\">late-room</Conference></Dial>");
      default -> Response.twiml("<Hangup/>");
    });
    h.app.on("/wait", r -> Response.twiml("<Play>/audio/music.wav</Play>"));
    // The simulator reads a sound's length once, before the request runs: known from now on.
    String warm = h.call("+15557772000", "+15550006001");
    h.app.await("/wait", E2eHarness.callSid(warm), E2eHarness.WAIT);
    h.awaitTrue(() -> playOf(warm).isPresent(), "the warm-up music playing");
    h.callerHangsUp(warm);
    h.awaitClean();
  }

  @Test
  void waitMusicThatStartsAfterTheCallerWasBridgedIsStopped() {
    secondCallerMovesTheFirstOn("1", "2");
  }

  @Test
  void ringbackThatStartsAfterTheCalleeAnsweredIsStopped() {
    h.sim.injectFault(SimFault.late("POST", "channels/*/play", 1, LATE));
    String caller = h.call("+15557772003", "+15550006003");
    h.awaitBridged(caller);

    stoppedAfterItRanLate(caller);
    hangUp(caller);
  }

  @Test
  void conferenceWaitMusicThatStartsAfterTheConferenceStartedIsStopped() {
    secondCallerMovesTheFirstOn("4", "5");
  }

  /**
   * The caller to {@code +1555000600<first>} waits with its music's play held by the simulator,
   * the caller to {@code +1555000600<second>} moves it on (takes it out of the queue, starts the
   * conference).
   */
  private static void secondCallerMovesTheFirstOn(String first, String second) {
    h.sim.injectFault(SimFault.late("POST", "channels/*/play", 1, LATE));
    String waiting = h.call("+1555777200" + first, "+1555000600" + first);
    h.awaitTrue(() -> h.sim.faultsLeft() == 0, "the wait music's play held by the simulator");
    String mover = h.call("+1555777200" + second, "+1555000600" + second);
    h.awaitBridged(waiting);

    stoppedAfterItRanLate(waiting);
    hangUp(waiting, mover);
  }

  /**
   * The held play on {@code channel} ran after its stop was answered 404, and was stopped again
   * (204) while the channel is still bridged: not played on.
   */
  private static void stoppedAfterItRanLate(String channel) {
    h.awaitTrue(() -> playOf(channel).isPresent(), "the held play on " + channel + " ran");
    String id = playOf(channel).orElseThrow();
    h.awaitTrue(() -> stops(id).stream().anyMatch(s -> s.status() == 204),
        "playback " + id + " stopped after it ran");
    List<SimLog.Request> stops = stops(id);
    assertEquals(404, stops.get(0).status(),
        "the first stop came before the play ran: " + stops);
    assertTrue(!h.sim.playbacks().contains(id), "still playing: " + h.leftovers());
    assertTrue(h.sim.bridges().stream().anyMatch(b -> b.channels().contains(channel)),
        "stopped while bridged, not by the call's end: " + h.leftovers());
  }

  private static void hangUp(String... channels) {
    for (String c : channels) {
      h.callerHangsUp(c);
    }
    h.awaitClean();
  }

  /** The playback id of the first answered play on {@code channel}. */
  private static Optional<String> playOf(String channel) {
    return h.sim.log().requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().endsWith("/channels/" + channel + "/play")
            && r.status() / 100 == 2)
        .map(r -> PLAYBACK_ID.matcher(r.query()))
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .findFirst();
  }

  private static List<SimLog.Request> stops(String playbackId) {
    return h.sim.log().requests().stream()
        .filter(r -> r.method().equals("DELETE") && r.path().endsWith("/playbacks/" + playbackId))
        .toList();
  }
}
