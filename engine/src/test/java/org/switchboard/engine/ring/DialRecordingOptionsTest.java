package org.switchboard.engine.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.ring.LegHarness.SERVER;
import static org.switchboard.engine.ring.LegHarness.T0;
import static org.switchboard.engine.ring.RecordingWebhooks.param;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.MediaPort;
import org.switchboard.engine.port.SoundSpan;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.testing.FakeAriPort;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.Number;
import org.switchboard.engine.twiml.verb.RecordingEvent;
import org.switchboard.engine.twiml.verb.RecordingStatusCallback;
import org.switchboard.engine.twiml.verb.Trim;

/**
 * {@code <Dial recordingTrack>} (one side of the call, one channel, a snoop of the caller) and
 * {@code <Dial trim>} (the finished recording measured and reported, and served, without its
 * leading and trailing silence).
 */
class DialRecordingOptionsTest {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static final ChannelRef PARENT = new ChannelRef(SERVER, "parent");

  private final LegHarness h = new LegHarness();
  private final TestProbe<DialEnded> ended = h.kit.createTestProbe();
  /** The callee legs dialled, in order. */
  private final List<String> legs = new java.util.ArrayList<>();
  /** The stored recordings measured, with the span each one has. */
  private final Map<String, SoundSpan> spans = new ConcurrentHashMap<>();
  private final List<String> measured = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final MediaPort media = new MediaPort() {
    @Override
    public CompletionStage<String> mediaFor(URI url) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public CompletionStage<Optional<SoundSpan>> soundSpan(String serverId, String name) {
      measured.add(name);
      return CompletableFuture.completedFuture(Optional.ofNullable(spans.get(name)));
    }
  };
  private final DialContext ctx = new DialContext(h.ari, h.webhooks,
      new DialPlan("PJSIP/{number}@trunk", "trunk", "PJSIP/{identity}", Map.of()), h.settings,
      h::entity, name -> null, sid -> URI.create("https://sb.example/recordings/" + sid), media);

  @AfterEach
  void close() {
    h.close();
  }

  private ActorRef<DialSession.Command> start(Dial.Record record, Dial.RecordingTrack track,
      Trim trim) {
    var callback = new RecordingStatusCallback(Optional.of(URI.create("https://app.example/rec")),
        Method.POST, Set.of(RecordingEvent.COMPLETED));
    Dial dial = new Dial(Optional.empty(), Method.POST, 30, false, 14_400, Optional.empty(),
        record, track, trim, callback, false, Optional.empty(), false, Optional.empty(),
        Method.POST, List.of(Number.of("+15551230001")));
    ParentCall parent = new ParentCall("CAparent", PARENT, "+15550001111", "+15559998888", true, 0);
    ActorRef<DialSession.Command> session =
        h.kit.spawn(DialSession.create(parent, dial, ctx, ended.ref()));
    String leg = h.ari.expect("originate", WAIT).<AriPort.OriginateRequest>arg(0).channelId();
    h.answer(leg, T0.plusSeconds(5));
    h.ari.expect("addToBridge", WAIT);
    legs.add(leg);
    return session;
  }

  private static void event(ActorRef<DialSession.Command> session, ChannelEvent event) {
    session.tell(new DialSession.ParentEvent(event));
  }

  private WebhookPort.WebhookRequest completedCallback() {
    var callback = h.webhooks.next(WAIT);
    while (!callback.purpose().startsWith("dial-recording-")) {
      callback = h.webhooks.next(WAIT);
    }
    return callback;
  }

  /** One side: one snoop, one channel, whatever the -dual form asks. */
  private void recordsOneSide(Dial.RecordingTrack track, String spy) {
    var session = start(Dial.Record.RECORD_FROM_ANSWER_DUAL, track, Trim.DO_NOT_TRIM);
    FakeAriPort.Command snoop = h.ari.expect("snoop", WAIT);
    assertEquals(List.of(PARENT, spy), List.of(snoop.arg(0), snoop.arg(2)));
    String snoopId = snoop.arg(1);
    assertTrue(snoopId.startsWith("CAparent-dialrec-"), snoopId);
    FakeAriPort.Command record = h.ari.expect("record", WAIT);
    assertEquals(snoopId, record.<ChannelRef>arg(0).channelId());
    String sid = record.<AriPort.RecordRequest>arg(1).name();
    assertTrue(sid.matches("RE[0-9a-f]{32}"), "one recording, named by its sid: " + sid);
    assertTrue(h.ari.history().stream().noneMatch(c -> c.startsWith("recordBridge")),
        h.ari.history().toString());
    assertEquals(1, h.ari.history().stream().filter(c -> c.startsWith("snoop")).count(),
        "a single snoop: " + h.ari.history());
    event(session, new ChannelEvent.RecordingStarted(SERVER, T0, sid, Optional.of(snoopId),
        Optional.empty()));
    h.destroyed(legs.get(0), 16, T0.plusSeconds(30));
    assertEquals(List.of(SERVER, sid), h.ari.expect("stopRecording", WAIT).args());
    event(session, new ChannelEvent.RecordingFinished(SERVER, T0, sid, Optional.of(snoopId),
        Optional.empty(), 24));
    DialEnded.Recording recording = ended.receiveMessage(WAIT).recording().orElseThrow();
    assertEquals(sid, recording.sid());
    assertEquals(1, recording.channels());
    assertEquals(OptionalInt.of(24), recording.durationSeconds());
    WebhookPort.WebhookRequest callback = completedCallback();
    assertEquals("1", param(callback, "RecordingChannels"));
    assertEquals("24", param(callback, "RecordingDuration"));
    assertTrue(h.ari.history().stream().anyMatch(c -> c.startsWith("hangup") && c.contains(snoopId)),
        "the snoop hung up: " + h.ari.history());
    assertTrue(measured.isEmpty(), "do-not-trim measures nothing: " + measured);
  }

  @Test
  void inboundRecordsWhatTheCallerSaysInOneChannel() {
    recordsOneSide(Dial.RecordingTrack.INBOUND, "in");
  }

  @Test
  void outboundRecordsWhatTheCallerHearsInOneChannel() {
    recordsOneSide(Dial.RecordingTrack.OUTBOUND, "out");
  }

  /**
   * A trimmed bridge recording whose file has {@code span} (none: it cannot be measured) ends
   * after 24 s; the dial's end.
   */
  private DialEnded trimmedRecordingEnds(Optional<SoundSpan> span) {
    var session = start(Dial.Record.RECORD_FROM_ANSWER, Dial.RecordingTrack.BOTH,
        Trim.TRIM_SILENCE);
    String sid = h.ari.expect("recordBridge", WAIT).<AriPort.RecordRequest>arg(2).name();
    span.ifPresent(s -> spans.put(sid, s));
    event(session, new ChannelEvent.RecordingStarted(SERVER, T0, sid, Optional.empty(),
        Optional.of("CAparent-br-0")));
    h.destroyed(legs.get(0), 16, T0.plusSeconds(30));
    h.ari.expect("stopRecording", WAIT);
    event(session, new ChannelEvent.RecordingFinished(SERVER, T0, sid, Optional.empty(),
        Optional.of("CAparent-br-0"), 24));
    DialEnded end = ended.receiveMessage(WAIT);
    assertEquals(List.of(sid), measured);
    return end;
  }

  @Test
  void trimSilenceReportsAndKeepsTheSpanFromTheFirstSoundToTheLast() {
    DialEnded end = trimmedRecordingEnds(Optional.of(new SoundSpan(1_500, 4_700)));
    DialEnded.Recording recording = end.recording().orElseThrow();
    assertEquals(OptionalInt.of(3), recording.durationSeconds(), "4.7 s - 1.5 s, whole seconds");
    assertEquals(Optional.of(new SoundSpan(1_500, 4_700)), recording.kept());
    assertTrue(end.actionParams().contains(Map.entry("RecordingDuration", "3")));
    assertEquals("3", param(completedCallback(), "RecordingDuration"));
  }

  @Test
  void trimSilenceOfARecordingThatCannotBeMeasuredKeepsItWhole() {
    DialEnded.Recording recording =
        trimmedRecordingEnds(Optional.empty()).recording().orElseThrow();
    assertEquals(OptionalInt.of(24), recording.durationSeconds());
    assertEquals(Optional.empty(), recording.kept());
  }
}
