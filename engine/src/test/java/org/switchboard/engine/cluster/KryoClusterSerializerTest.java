package org.switchboard.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.switchboard.engine.call.CallCommand;
import org.switchboard.engine.call.CallSnapshot;
import org.switchboard.engine.call.LegCancelCause;
import org.switchboard.engine.call.LegReport;
import org.switchboard.engine.call.LegSpec;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.WebhookPort.Method;

/** Every ClusterMessage implementation survives a Kryo round trip through Pekko serialization. */
class KryoClusterSerializerTest {
  static final ActorTestKit kit = ActorTestKit.create("Kryo", ConfigFactory.load());
  static final ActorRef<Done> ackRef = kit.<Done>createTestProbe().ref();
  static final ActorRef<LegReport> reportRef = kit.<LegReport>createTestProbe().ref();
  static final ActorRef<CallSnapshot> snapshotRef = kit.<CallSnapshot>createTestProbe().ref();

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
    return Stream.of(
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
        new CallSnapshot("CA1", Optional.empty(), channel, "+1", "+2", "in-progress", "inbound", t,
            Optional.of(t), Optional.empty()),
        new LegReport.LegRinging("CA2"),
        new LegReport.LegAnswered("CA2", channel),
        new LegReport.LegEnded("CA2", "busy", 0, Optional.of(486)));
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
