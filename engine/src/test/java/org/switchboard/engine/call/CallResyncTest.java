package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.call.CallFixture.APP;
import static org.switchboard.engine.call.CallFixture.CHANNEL;
import static org.switchboard.engine.call.CallFixture.SERVER;
import static org.switchboard.engine.call.CallFixture.WAIT;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.testing.FakeWebhookPort;

/**
 * A call told {@link CallCommand.ServerResynced} after an ARI gap asks Asterisk about its channel,
 * playbacks and recordings and acts on what ended while the events were lost.
 */
class CallResyncTest {
  static final ActorTestKit kit =
      ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  static final ManualTime time = ManualTime.get(kit.system());

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /**
   * Sends {@link CallCommand.ServerResynced} once the call has handled what it was doing: a
   * snapshot round trip lets the acknowledgement of the last play or record command in first.
   */
  private static void resynced(CallFixture f, java.util.Set<String> listed) {
    var probe = kit.<CallSnapshot>createTestProbe();
    f.call.tell(new CallCommand.GetSnapshot(probe.ref()));
    probe.receiveMessage(WAIT);
    f.call.tell(new CallCommand.ServerResynced(SERVER, listed));
  }

  private static CallFixture playing(String twiml) {
    CallFixture f = new CallFixture(kit);
    f.web.twiml(APP + "/voice", twiml);
    f.start();
    f.web.nextFetch(WAIT);
    return f;
  }

  @Test
  void aPlaybackThatFinishedDuringTheGapLetsTheNextVerbRun() {
    CallFixture f = playing("<Response><Play>https://media.test/a.wav</Play>"
        + "<Play>https://media.test/b.wav</Play></Response>");
    String first = f.expectPlay();
    f.ari.answerQuery("playbackExists", false);
    resynced(f, java.util.Set.of());
    assertEquals(CHANNEL, f.ari.expect("channel", WAIT).<org.switchboard.engine.port.ChannelRef>arg(0)
        .channelId());
    assertEquals(first, f.ari.expect("playbackExists", WAIT).arg(1));
    assertEquals(List.of("sound:https://media.test/b.wav"), f.expectPlayMedia());
  }

  @Test
  void aChannelTheSnapshotListedIsNotLookedUp() {
    CallFixture f = playing("<Response><Play>https://media.test/a.wav</Play>"
        + "<Play>https://media.test/b.wav</Play></Response>");
    String first = f.expectPlay();
    resynced(f, java.util.Set.of(CHANNEL));
    assertEquals(first, f.ari.expect("playbackExists", WAIT).arg(1));
    assertTrue(f.ari.history().stream().noneMatch(c -> c.startsWith("channel")),
        f.ari.history().toString());
  }

  @Test
  void aPlaybackStillRunningIsLeftAlone() {
    CallFixture f = playing("<Response><Play>https://media.test/a.wav</Play>"
        + "<Play>https://media.test/b.wav</Play></Response>");
    String first = f.expectPlay();
    resynced(f, java.util.Set.of());
    f.ari.expect("playbackExists", WAIT);
    f.ari.expectNone(Duration.ofMillis(300));
    f.playbackFinished(first);
    assertEquals(List.of("sound:https://media.test/b.wav"), f.expectPlayMedia());
  }

  @Test
  void aCallerWhoHungUpDuringTheGapEndsTheCallWithItsFinalCallback() {
    CallFixture f = playing("<Response><Gather timeout=\"30\" action=\"/g\"/></Response>");
    f.ari.expect("answer", WAIT);
    f.ari.answerQuery("channel", Optional.empty());
    resynced(f, java.util.Set.of());
    FakeWebhookPort.Seen last = f.expectFinalStatus();
    assertEquals("completed", last.param("CallStatus"));
    assertFalse(f.ari.history().stream().anyMatch(c -> c.startsWith("hangup")),
        "a vanished channel is not hung up: " + f.ari.history());
    assertEquals(0, f.active.count(), "the call is no longer live");
  }

  @Test
  void aGatherKeepsWaitingWhenNothingChanged() {
    CallFixture f = playing("<Response><Gather numDigits=\"1\" timeout=\"30\" action=\"/g\"/>"
        + "</Response>");
    f.web.twiml(APP + "/g", "<Response><Hangup/></Response>");
    f.ari.expect("answer", WAIT);
    resynced(f, java.util.Set.of());
    f.ari.expect("channel", WAIT);
    f.digit("7");
    FakeWebhookPort.Seen gathered = f.web.nextFetch(WAIT);
    assertEquals("7", gathered.param("Digits"));
  }

  @Test
  void aRecordingThatFinishedDuringTheGapPostsTheActionAndTheRecordingCallback() {
    CallFixture f = playing("<Response><Record action=\"/rec\" recordingStatusCallback=\"/rcb\"/>"
        + "</Response>");
    f.web.twiml(APP + "/rec", "<Response><Hangup/></Response>");
    String sid = f.ari.expect("record", WAIT).<AriPort.RecordRequest>arg(1).name();
    f.deliver(new ChannelEvent.RecordingStarted(SERVER, Instant.now(), sid, Optional.of(CHANNEL),
        Optional.empty()));
    f.ari.answerQuery("liveRecordingExists", false);
    f.ari.answerQuery("storedRecording", Optional.of(new AriPort.StoredRecording(sid, "wav", 3)));
    resynced(f, java.util.Set.of());
    assertEquals(sid, f.ari.expect("storedRecording", WAIT).arg(1));
    FakeWebhookPort.Seen action = f.web.nextFetch(WAIT);
    assertEquals(URI.create(APP + "/rec"), action.url());
    assertEquals("3", action.param("RecordingDuration"));
    assertEquals(sid, action.param("RecordingSid"));
    FakeWebhookPort.Seen recording = f.web.nextNotify(WAIT);
    while (!recording.url().toString().equals(APP + "/rcb")) {
      recording = f.web.nextNotify(WAIT);
    }
    assertEquals("completed", recording.param("RecordingStatus"));
    assertEquals("3", recording.param("RecordingDuration"));
  }

  @Test
  void anotherServersReconnectAsksNothing() {
    CallFixture f = playing("<Response><Play>https://media.test/a.wav</Play></Response>");
    f.expectPlay();
    f.call.tell(new CallCommand.ServerResynced("ast2", java.util.Set.of()));
    f.ari.expectNone(Duration.ofMillis(300));
    assertTrue(f.ari.history().stream().noneMatch(c -> c.startsWith("channel")));
  }

  @Test
  void aBridgeThatLostTheChannelDuringTheGapIsReportedAsLeft() throws Exception {
    org.switchboard.engine.testing.FakeAriPort ari =
        org.switchboard.engine.testing.FakeAriPort.autoComplete();
    org.switchboard.engine.port.ChannelRef channel =
        new org.switchboard.engine.port.ChannelRef(SERVER, CHANNEL);
    ari.answerQuery("bridgeChannels", Optional.of(List.of(CHANNEL, "leg-1")));
    assertEquals(List.of(), CallResync.missedEvents(ari, channel, true, java.util.Set.of(),
        java.util.Set.of(), Optional.of("CA1-br-1"), Instant.EPOCH).toCompletableFuture().get());
    ari.answerQuery("bridgeChannels", Optional.empty());
    assertEquals(List.of(new ChannelEvent.LeftBridge(SERVER, Instant.EPOCH, CHANNEL, "CA1-br-1")),
        CallResync.missedEvents(ari, channel, true, java.util.Set.of(), java.util.Set.of(),
            Optional.of("CA1-br-1"), Instant.EPOCH).toCompletableFuture().get());
    ari.answerQuery("bridgeChannels", Optional.of(List.of("leg-1")));
    assertEquals(1, CallResync.missedEvents(ari, channel, true, java.util.Set.of(), java.util.Set.of(),
        Optional.of("CA1-br-1"), Instant.EPOCH).toCompletableFuture().get().size());
  }
}
