package org.switchboard.engine.hotline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.testing.FakeAriPort;
import org.switchboard.engine.testing.FakeWebhookPort;
import org.switchboard.engine.twiml.verb.Method;

/**
 * Recordings of a live call through the REST API on a fake Asterisk: one snoop per channel (the
 * party's voice {@code spy=in} as channel 1, what it hears {@code spy=out} as channel 2) for a
 * dual-channel recording, one {@code spy=in} snoop for the inbound track alone, and a dual
 * recording of which Asterisk kept one channel registered as that one channel, not lost.
 */
class LiveRecordingsTest {
  static final ActorTestKit kit = ActorTestKit.create("LiveRecordingsTest");
  static final Duration WAIT = Duration.ofSeconds(5);
  static final ChannelRef CHANNEL = new ChannelRef("ast1", "sb-1");

  final FakeAriPort ari = FakeAriPort.manual();
  final FakeWebhookPort web = new FakeWebhookPort();
  final RecordingIndex index = new RecordingIndex();
  final TestProbe<CallCommand> call = kit.createTestProbe();
  final LiveRecordings recordings = new LiveRecordings(kit.system(), ari, web, index,
      sid -> URI.create("https://sb.test/recordings/" + sid), "AC1", Clock.systemUTC(),
      sid -> call.ref());
  final LiveRecordings.Callback callback = new LiveRecordings.Callback(
      Optional.of(URI.create("https://app.test/rec")), Method.POST,
      Set.of("in-progress", "completed"));

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aDualRecordingIsOneSnoopPerPartyAndKeepsTheChannelAsteriskKept() throws Exception {
    CompletableFuture<LiveRecordings.Live> started = recordings.start("CA1", CHANNEL, callback,
        new LiveRecordings.Options("both", true, LiveRecordings.OUTBOUND_API))
        .toCompletableFuture();
    Map<String, String> spyOfSnoop = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      FakeAriPort.Command snoop = ari.expect("snoop", WAIT);
      assertEquals(CHANNEL, snoop.arg(0));
      spyOfSnoop.put(snoop.arg(1), snoop.arg(2));
      snoop.succeed();
    }
    assertEquals(Set.of("in", "out"), Set.copyOf(spyOfSnoop.values()));
    Map<String, String> spyOfName = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      FakeAriPort.Command record = ari.expect("record", WAIT);
      ChannelRef snoop = record.arg(0);
      AriPort.RecordRequest request = record.arg(1);
      spyOfName.put(request.name(), spyOfSnoop.get(snoop.channelId()));
      record.succeed();
    }
    LiveRecordings.Live live = started.get(5, TimeUnit.SECONDS);
    String sid = live.recordingSid();
    assertEquals(Map.of(sid + "-1", "in", sid + "-2", "out"), spyOfName,
        "the party's voice is channel 1");
    assertEquals(2, live.channels());
    FakeWebhookPort.Seen inProgress = web.nextNotify(WAIT);
    assertEquals("in-progress", inProgress.param("RecordingStatus"));
    assertEquals("2", inProgress.param("RecordingChannels"));
    assertEquals("OutboundAPI", inProgress.param("RecordingSource"));
    call.expectMessageClass(CallCommand.WatchEnd.class);

    CompletableFuture<Optional<RecordingIndex.Entry>> stopped =
        recordings.stop(live).toCompletableFuture();
    for (int i = 0; i < 2; i++) {
      ari.expect("stopRecording", WAIT).succeed();
    }
    for (int i = 0; i < 4; i++) {
      FakeAriPort.Command c = ari.next(WAIT);
      if (c.op().equals("storedRecording")) {
        String name = c.arg(1);
        c.succeed(name.endsWith("-1")
            ? Optional.of(new AriPort.StoredRecording(name, "wav", 3)) : Optional.empty());
      } else {
        assertEquals("hangup", c.op(), "the snoops hung up");
        c.succeed();
      }
    }
    RecordingIndex.Entry entry = stopped.get(5, TimeUnit.SECONDS).orElseThrow();
    assertEquals(1, entry.channels(), "the channel Asterisk kept, alone");
    assertEquals(sid + "-1", entry.storedName());
    assertEquals(List.of(sid + "-1"), entry.channelFiles());
    assertEquals(Optional.of(entry), index.find(sid));
    FakeWebhookPort.Seen completed = web.nextNotify(WAIT);
    assertEquals("completed", completed.param("RecordingStatus"));
    assertEquals("1", completed.param("RecordingChannels"));
    assertEquals("3", completed.param("RecordingDuration"));
  }

  @Test
  void theInboundTrackIsOneSpyInSnoopWhateverTheChannelsAsked() throws Exception {
    CompletableFuture<LiveRecordings.Live> started = recordings.start("CA2", CHANNEL, callback,
        new LiveRecordings.Options("inbound", true, LiveRecordings.SOURCE)).toCompletableFuture();
    FakeAriPort.Command snoop = ari.expect("snoop", WAIT);
    assertEquals("in", snoop.arg(2));
    snoop.succeed();
    FakeAriPort.Command record = ari.expect("record", WAIT);
    record.succeed();
    LiveRecordings.Live live = started.get(5, TimeUnit.SECONDS);
    assertEquals(live.recordingSid(), ((AriPort.RecordRequest) record.arg(1)).name());
    assertEquals(1, live.channels());
    assertEquals("inbound", web.nextNotify(WAIT).param("RecordingTrack"));
  }
}
