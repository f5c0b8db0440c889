package org.switchboard.engine.hotline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.switchboard.engine.hotline.HotlineHarness.APP;
import static org.switchboard.engine.hotline.HotlineHarness.SERVER;
import static org.switchboard.engine.hotline.HotlineHarness.WAIT;

import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.testing.FakeAriPort;

/**
 * Plays whose answer comes after their owner moved on (the caller dequeued and bridged while its
 * wait music's play was on its way, a callee answering while the ringback's play was, a
 * conference starting while the wait document's was, a queue announcement whose play got no
 * answer): the stop sent at once reached Asterisk before the play ({@code 404}), so the playback
 * is stopped again when its answer or its start shows that it runs.
 */
class LatePlaysFlowTest {
  static final ActorTestKit kit = ActorTestKit.create("LatePlaysFlowTest", ConfigFactory.load());
  static final HotlineHarness h = new HotlineHarness(kit);

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** The channels of the running test, hung up after it (so the node stops in time). */
  private final List<String> channels = new ArrayList<>();

  @AfterEach
  void release() {
    h.ari.stopHolding("play");
    h.ari.stopFailing("stopPlayback");
    channels.forEach(h::hangsUp);
  }

  private String inbound(String number) {
    channels.add("in-" + number);
    return h.inbound("in-" + number, number);
  }

  private static AriCommandException notFound() {
    return new AriCommandException(SERVER, "DELETE /playbacks/{id}", 404, "Playback not found");
  }

  /** The play of a playback whose id starts with {@code prefix}, held by the test. */
  private static FakeAriPort.Command heldPlay(String prefix) {
    return h.command("play " + prefix, c -> c.op().equals("play")
        && c.<String>arg(1).startsWith(prefix));
  }

  private static FakeAriPort.Command stop(String playbackId) {
    return h.command("stop of " + playbackId,
        c -> c.op().equals("stopPlayback") && c.arg(1).equals(playbackId));
  }

  /**
   * The owner stopped {@code play} while it was on its way and the stop found nothing (404):
   * once the play is answered, the playback is stopped again.
   */
  private static void stoppedAgainWhenAnswered(FakeAriPort.Command play) {
    String id = play.arg(1);
    stop(id);
    h.ari.stopFailing("stopPlayback");
    play.succeed();
    stop(id);
  }

  /** From now on plays wait for the test, and stops find nothing (they overtook the play). */
  private static void holdPlaysAndLoseStops() {
    h.ari.holdAll("play");
    h.ari.failAll("stopPlayback", notFound());
  }

  /**
   * The caller of {@code first} waits with a held play ({@code <CallSid><idAfterSid>…}); the
   * caller of {@code second} moves it on: the play, answered then, is stopped again.
   */
  private void secondCallerMovesTheFirstOn(String first, String second, String idAfterSid) {
    holdPlaysAndLoseStops();
    String waiting = inbound(first);
    FakeAriPort.Command wait = heldPlay(waiting + idAfterSid);
    inbound(second);
    stoppedAgainWhenAnswered(wait);
  }

  @Test
  void waitMusicAnsweredAfterTheCallerWasDequeuedIsStopped() {
    h.web.twiml(APP + "/300/voice",
        "<Response><Enqueue waitUrl=\"/300/wait\">late-music</Enqueue></Response>");
    h.web.twiml(APP + "/300/wait", "<Response><Play>https://app.test/hold.wav</Play></Response>");
    h.web.twiml(APP + "/301/voice", "<Response><Dial><Queue>late-music</Queue></Dial></Response>");
    secondCallerMovesTheFirstOn("300", "301", "-playback-");
  }

  @Test
  void ringbackAnsweredAfterTheCalleeAnsweredIsStopped() {
    h.web.twiml(APP + "/310/voice",
        "<Response><Dial ringTone=\"us\"><Number>+15550003100</Number></Dial></Response>");
    holdPlaysAndLoseStops();
    inbound("310");
    FakeAriPort.Command ringback = heldPlay("sb-rb-");
    String leg = h.originated("15550003100").channelId();
    channels.add(leg);

    h.legAnswers(leg);
    stoppedAgainWhenAnswered(ringback);
  }

  @Test
  void conferenceWaitDocumentAnsweredAfterTheConferenceStartedIsStopped() {
    h.web.twiml(APP + "/320/voice", "<Response><Dial><Conference startConferenceOnEnter=\"false\""
        + " waitUrl=\"/320/wait\">late-room</Conference></Dial></Response>");
    h.web.twiml(APP + "/320/wait", "<Response><Say>Please wait</Say></Response>");
    h.web.twiml(APP + "/321/voice",
        "<Response><Dial><Conference>late-room</Conference></Dial></Response>");
    secondCallerMovesTheFirstOn("320", "321", "-announce-wait-");
  }

  @Test
  void queueAnnouncementWhosePlayGotNoAnswerIsStoppedWhenItStartsLate() {
    h.web.twiml(APP + "/330/voice",
        "<Response><Enqueue waitUrl=\"/330/wait\">late-announce</Enqueue></Response>");
    h.web.twiml(APP + "/330/wait", "<Response><Pause length=\"30\"/></Response>");
    h.web.twiml(APP + "/331/voice", "<Response><Dial><Queue url=\"/331/announce\">late-announce"
        + "</Queue></Dial></Response>");
    h.web.twiml(APP + "/331/announce", "<Response><Say>Connecting you</Say></Response>");
    holdPlaysAndLoseStops();
    String caller = inbound("330");
    h.fetch("/330/wait");

    inbound("331");
    FakeAriPort.Command announcement = heldPlay(caller + "-announce-");
    String id = announcement.arg(1);
    announcement.fail(new AriCommandException(SERVER, "POST /channels/{id}/play",
        new TimeoutException("no answer within 10000 ms")));
    stop(id);
    h.ari.stopFailing("stopPlayback");

    h.deliver(new ChannelEvent.PlaybackStarted(SERVER, Instant.now(), id, Optional.of("in-330"),
        Optional.empty()));
    stop(id);
  }
}
