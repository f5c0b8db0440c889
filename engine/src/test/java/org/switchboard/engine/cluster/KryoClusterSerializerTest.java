package org.switchboard.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.switchboard.engine.conference.ConferenceActor;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.protocol.ClusterMessage;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.protocol.AmdOptions;
import org.switchboard.engine.twiml.verb.MachineDetection;
import org.switchboard.engine.queue.QueueActor;
import org.switchboard.engine.queue.QueueMember;
import org.switchboard.engine.queue.QueueNotice;
import org.switchboard.engine.queue.QueueStats;
import org.switchboard.engine.twiml.verb.Method;

/** Every ClusterMessage implementation survives a Kryo round trip through Pekko serialization. */
class KryoClusterSerializerTest {
  static final ActorTestKit kit = ActorTestKit.create("Kryo", ConfigFactory.load());
  static final ActorRef<Done> ackRef = kit.<Done>createTestProbe().ref();
  static final ActorRef<LegReport> reportRef = kit.<LegReport>createTestProbe().ref();
  static final ActorRef<CallSnapshot> snapshotRef = kit.<CallSnapshot>createTestProbe().ref();
  static final ActorRef<QueueNotice> noticeRef = kit.<QueueNotice>createTestProbe().ref();
  static final ActorRef<QueueNotice.MemberReply> memberRef =
      kit.<QueueNotice.MemberReply>createTestProbe().ref();
  static final ActorRef<QueueActor.JoinReply> joinRef = kit.<QueueActor.JoinReply>createTestProbe().ref();
  static final ActorRef<QueueActor.DequeueReply> dequeueRef =
      kit.<QueueActor.DequeueReply>createTestProbe().ref();
  static final ActorRef<QueueActor.PositionReply> positionRef =
      kit.<QueueActor.PositionReply>createTestProbe().ref();
  static final ActorRef<QueueStats> statsRef = kit.<QueueStats>createTestProbe().ref();
  static final ActorRef<ConferenceActor.Notice> confNoticeRef =
      kit.<ConferenceActor.Notice>createTestProbe().ref();
  static final ActorRef<ConferenceActor.JoinReply> confReplyRef =
      kit.<ConferenceActor.JoinReply>createTestProbe().ref();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static Stream<ClusterMessage> messages() {
    Instant t = Instant.parse("2024-05-01T10:00:00.123Z");
    ChannelRef channel = new ChannelRef("ast1", "1700.1");
    ChannelEvent.ChannelInfo info = new ChannelEvent.ChannelInfo("1700.1", "PJSIP/a", "Ring",
        new ChannelEvent.Party("+1555", "A"), new ChannelEvent.Party("", ""), "ctx", "100",
        "call-id", "en", t);
    LegSpec spec = new LegSpec("ast1", "leg.1", "PJSIP/100", "+1555", "+1666", 30,
        Optional.of("CA1"), Optional.of(new LegSpec.TwimlSource(URI.create("https://a/w"), Method.GET)),
        Optional.of(new LegSpec.StatusCallback(URI.create("https://a/s"), List.of("completed"),
            Method.POST)), Map.of("X", "1"));
    QueueActor.Member member = new QueueActor.Member("CA3", channel, noticeRef, t);
    ConferenceActor.Participant participant = new ConferenceActor.Participant(true, "onEnter",
        true, false, Optional.of("agent"), true, 10, Optional.of(URI.create("https://a/c")),
        Method.POST, Set.of("start", "end"));
    Stream<ClusterMessage> queuesAndRooms = Stream.of(
        new QueueActor.Join("CA3", channel, noticeRef, OptionalInt.of(5), joinRef),
        new QueueActor.Join("CA3", channel, noticeRef, OptionalInt.empty(), joinRef),
        new QueueActor.Leave("CA3", QueueActor.LeaveReason.REDIRECTED),
        new QueueActor.Resize(25),
        new QueueActor.Requeue(member),
        new QueueActor.Rejoin(new QueueActor.Join("CA3", channel, noticeRef, OptionalInt.of(5),
            joinRef), Instant.parse("2026-01-01T10:00:00Z")),
        new QueueActor.DequeueFront("CA4", Duration.ofSeconds(30), dequeueRef),
        new QueueActor.CancelDequeue("CA4"),
        new QueueActor.GetPosition("CA3", positionRef),
        new QueueActor.GetStats(statsRef),
        new QueueActor.Joined("QU1", 1, 1, 10),
        new QueueActor.Full("QU1", 10, 10),
        new QueueActor.Dequeued("QU1", "support", member, 12),
        new QueueActor.NoMember("QU1"),
        new QueueActor.Position("QU1", 2, 3, 10, 40, 30),
        new QueueActor.NotQueued("QU1"),
        new QueueNotice.Dequeued("QU1", "support", "CA4",
            Optional.of(new LegSpec.TwimlSource(URI.create("https://a/q"), Method.POST)), 12, memberRef),
        new QueueNotice.DequeueAborted("QU1"),
        new QueueNotice.BridgeEnded("QU1", "bridged", 12, 60),
        new QueueNotice.MemberReady("CA3", channel),
        new QueueNotice.MemberGone("CA3"),
        new QueueStats("QU1", "support", 1, 1000, 30, List.of(new QueueMember("CA3", 1, 12, t))),
        new ConferenceActor.Join("CA5", channel, participant, confNoticeRef, confReplyRef),
        new ConferenceActor.Leave("CA5", "hangup"),
        new ConferenceActor.Joined("CF1"),
        new ConferenceActor.Refused("full"),
        new ConferenceActor.Ended("CF1", "last-participant-left"),
        new ConferenceActor.Announce("CF1", Optional.of("CA5"), List.of("sound:beep"),
            kit.<Boolean>createTestProbe().ref()),
        new ConferenceActor.Waiting("CF1"),
        new ConferenceActor.Started("CF1"),
        new ConferenceActor.Speaking("CA5", true),
        new ConferenceActor.ParticipantAudio("CF1", Optional.of(URI.create("https://a/hold")),
            Method.GET),
        new ConferenceActor.UpdateParticipant("CF1", "CA5", Optional.of(true), Optional.empty(),
            kit.<Optional<ConferenceActor.ParticipantState>>createTestProbe().ref(),
            new org.switchboard.engine.conference.ParticipantChanges(
                Optional.of(URI.create("https://a/hold")), Method.GET, Optional.empty(),
                Method.POST, Optional.of(true), Optional.empty(), Optional.of(true),
                Optional.of("CA6"))),
        new ConferenceActor.Join("CA6", channel, new ConferenceActor.Participant(false, "true",
            true, false, Optional.empty(), false, 250, Optional.empty(), Method.POST,
            Set.of("speaker"), Optional.of(new org.switchboard.engine.conference.ConferenceRecorder
                .Settings(true, Optional.of(URI.create("https://a/r")), Method.GET,
                    Set.of("completed"))), Optional.of("CA5")), confNoticeRef, confReplyRef),
        new CallCommand.StartLeg(new LegSpec("ast1", "sb-1", "PJSIP/1", "+1", "+2", 20,
            Optional.of("CA1"), Optional.of(new LegSpec.TwimlSource(URI.create("https://a/r"),
                Method.POST, Optional.of("<Response/>"), Optional.of(URI.create("https://a/f")),
                Method.GET)), Optional.empty(), Map.of(), true), reportRef));
    return Stream.concat(queuesAndRooms, Stream.of(
        new CallCommand.Deliver(new ChannelEvent.StasisEntered("ast1", t, info, List.of("a"),
            Optional.empty()), ackRef),
        new CallCommand.Deliver(new ChannelEvent.PlaybackFinished("ast1", t, "p1",
            Optional.of("1700.1"), Optional.empty(), true), ackRef),
        new CallCommand.Deliver(new ChannelEvent.RecordingFinished("ast1", t, "RE1",
            Optional.empty(), Optional.of("b1"), 7), ackRef),
        new CallCommand.Deliver(new ChannelEvent.DtmfReceived("ast1", t, "1700.1", "#", 90), ackRef),
        new CallCommand.Deliver(new ChannelEvent.ChannelDestroyed("ast1", t, "1700.1", 16, "Normal"),
            ackRef),
        new CallCommand.StartLeg(spec, reportRef),
        new CallCommand.CancelLeg(LegCancelCause.ANSWERED_ELSEWHERE),
        new CallCommand.HangUp("api"),
        new CallCommand.Redirect(Optional.of(URI.create("https://a/x?y=1")), Method.GET,
            Optional.empty()),
        new CallCommand.GetSnapshot(snapshotRef),
        new CallCommand.DialFinished(Map.of("DialCallStatus", "completed", "DialCallDuration", "3")),
        new CallCommand.QueueWaiting(Map.of("QueuePosition", "2")),
        new CallCommand.QueueDequeued(Map.of()),
        new CallCommand.QueueLeft("bridged", Map.of("QueueTime", "4")),
        new CallCommand.StreamClosed(Map.of()),
        new CallCommand.Reconcile("ast1", "1700.9", false),
        new CallCommand.ServerResynced("ast1", java.util.Set.of("1700.9", "sb-2")),
        new CallCommand.Recover("ast1"),
        new CallCommand.WatchEnd(kit.<org.switchboard.engine.protocol.CallEnded>createTestProbe().ref()),
        new org.switchboard.engine.protocol.CallEnded("CA1"),
        new CallSnapshot("CA1", Optional.empty(), channel, "+1", "+2", "in-progress", "inbound", t,
            Optional.of(t), Optional.empty()),
        new LegReport.LegRinging("CA2"),
        new LegReport.LegAnswered("CA2", channel),
        new LegReport.LegPickedUp("CA2"),
        new LegReport.LegEnded("CA2", "busy", 0, Optional.of(486)),
        new CallCommand.StartLeg(spec.withMachineDetection(Optional.of(new AmdOptions(
            new MachineDetection(MachineDetection.Mode.DETECT_MESSAGE_END, 12, 3000, 800, 4000,
                Optional.of(URI.create("https://a/amd")), Method.GET), true, false))), reportRef),
        new CallSnapshot("CA1", Optional.empty(), channel, "+1", "+2", "completed",
            "outbound-api", t, Optional.of(t), Optional.of(t), Optional.of("machine_end_silence"))));
  }

  @ParameterizedTest
  @MethodSource("messages")
  void roundTrip(ClusterMessage message) {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    Serializer serializer = serialization.findSerializerFor(message);
    assertTrue(serializer instanceof KryoClusterSerializer, "bound to " + serializer);
    byte[] bytes = serializer.toBinary(message);
    Object back = serialization.deserialize(bytes, serializer.identifier(), "").get();
    assertEquals(message, back);
  }
}
