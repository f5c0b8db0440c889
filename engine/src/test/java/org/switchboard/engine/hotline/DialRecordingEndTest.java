package org.switchboard.engine.hotline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.hotline.HotlineHarness.APP;

import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.testing.FakeWebhookPort;

/**
 * A recorded {@code <Dial>} whose callee hangs up: the bridge's recording is stopped and its end
 * awaited before the bridge is destroyed (Asterisk emits {@code RecordingFinished} of a bridge
 * destroyed first to no one), and when the end never comes the stored file's length still makes
 * the recording callback.
 */
class DialRecordingEndTest {
  static final ActorTestKit kit = ActorTestKit.create("DialRecordingEndTest", ConfigFactory.load());
  static final HotlineHarness h = new HotlineHarness(kit);

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** A recorded dial: the callee's channel, the bridge and the recording's name. */
  private record Recorded(String leg, String bridge, String name) {}

  /** Caller {@code in-<n>} dials a recorded number whose leg answers and is recorded. */
  private static Recorded recordedDial(String n) {
    h.web.twiml(APP + "/" + n + "/voice", "<Response><Dial record=\"record-from-answer\""
        + " recordingStatusCallback=\"/" + n + "/rec\" action=\"/" + n + "/done\">"
        + "<Number>+1555000" + n + "</Number></Dial></Response>");
    h.web.twiml(APP + "/" + n + "/done", "<Response><Hangup/></Response>");
    h.inbound("in-" + n, n);
    String leg = h.originated("1555000" + n).channelId();
    h.legAnswers(leg);
    String bridge = h.command("bridge", c -> c.op().equals("addToBridge")).arg(1);
    h.deliver(new ChannelEvent.EnteredBridge(HotlineHarness.SERVER, Instant.now(), "in-" + n, bridge));
    h.deliver(new ChannelEvent.EnteredBridge(HotlineHarness.SERVER, Instant.now(), leg, bridge));
    AriPort.RecordRequest record =
        h.command("bridge recording", c -> c.op().equals("recordBridge")).arg(2);
    h.deliver(new ChannelEvent.RecordingStarted(HotlineHarness.SERVER, Instant.now(), record.name(),
        Optional.empty(), Optional.of(bridge)));
    return new Recorded(leg, bridge, record.name());
  }

  @Test
  void theRecordingIsStoppedAndItsEndAwaitedBeforeTheBridgeIsDestroyed() {
    Recorded d = recordedDial("401");
    String bridge = d.bridge();
    String name = d.name();
    h.hangsUp(d.leg());
    h.command("stop of the recording",
        c -> c.op().equals("stopRecording") && name.equals(c.arg(1)));
    assertTrue(h.ari.history().stream().noneMatch(c -> c.startsWith("destroyBridge[ast1, " + bridge)),
        "the bridge must outlive its recording: " + h.ari.history());

    assertEquals("4", finishedAndCalledBack(d, "401", 4).param("RecordingDuration"));
    FakeWebhookPort.Seen done = h.fetch("/401/done");
    assertEquals("4", done.param("RecordingDuration"));
    assertEquals(name, done.param("RecordingSid"));
    h.hangsUp("in-401");
  }

  /** The recording's end arrives: the bridge goes; returns the {@code completed} callback. */
  private static FakeWebhookPort.Seen finishedAndCalledBack(Recorded d, String n, int seconds) {
    h.deliver(new ChannelEvent.RecordingFinished(HotlineHarness.SERVER, Instant.now(), d.name(),
        Optional.empty(), Optional.of(d.bridge()), seconds));
    h.command("bridge destroyed", c -> c.op().equals("destroyBridge") && d.bridge().equals(c.arg(1)));
    return h.notified("/" + n + "/rec", s -> "completed".equals(s.param("RecordingStatus")));
  }

  @Test
  void theRecordingEndReachesTheDialAfterTheCallerHungUp() {
    Recorded d = recordedDial("403");
    String name = d.name();
    h.hangsUp("in-403");
    h.command("stop of the recording",
        c -> c.op().equals("stopRecording") && name.equals(c.arg(1)));
    assertEquals("9", finishedAndCalledBack(d, "403", 9).param("RecordingDuration"));
    assertTrue(h.ari.history().stream().noneMatch(c -> c.startsWith("storedRecording[ast1, " + name)),
        "the recording's own end is used, not the stored file: " + h.ari.history());
    h.hangsUp(d.leg());
  }

  @Test
  void withoutRecordingFinishedTheStoredRecordingStillMakesTheCallback() {
    Recorded d = recordedDial("402");
    String bridge = d.bridge();
    String name = d.name();
    h.ari.answerQuery("storedRecording", Optional.of(new AriPort.StoredRecording(name, "wav", 6)));
    h.hangsUp(d.leg());
    h.command("stop of the recording",
        c -> c.op().equals("stopRecording") && name.equals(c.arg(1)));
    // No RecordingFinished: after the recording grace the bridge goes and the file is read.
    h.command("bridge destroyed", c -> c.op().equals("destroyBridge") && bridge.equals(c.arg(1)));
    h.command("stored recording",
        c -> c.op().equals("storedRecording") && name.equals(c.arg(1)));
    FakeWebhookPort.Seen rec =
        h.notified("/402/rec", s -> "completed".equals(s.param("RecordingStatus")));
    assertEquals("6", rec.param("RecordingDuration"));
    FakeWebhookPort.Seen done = h.fetch("/402/done");
    assertEquals("6", done.param("RecordingDuration"));
    assertEquals(List.of(name), List.of(done.param("RecordingSid")));
    h.hangsUp("in-402");
  }
}
