package org.switchboard.engine.call;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.MediaPort;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.EntityEnd;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.script.MediaRef;
import org.switchboard.engine.script.ScriptSettings;
import org.switchboard.engine.testing.FakeAriPort;
import org.switchboard.engine.testing.FakeWebhookPort;
import org.switchboard.engine.twiml.verb.Method;

/** One inbound call under test: fake ports, a scripted application, event helpers. */
final class CallFixture {
  static final String SERVER = "ast1";
  static final String CHANNEL = "1700000000.42";
  static final Duration WAIT = Duration.ofSeconds(5);
  static final String APP = "https://app.test";

  final ActorTestKit kit;
  final FakeAriPort ari = FakeAriPort.autoComplete();
  final FakeWebhookPort web = new FakeWebhookPort();
  final ActiveCalls active = new ActiveCalls();
  final RecordingIndex recordings = new RecordingIndex();
  MediaPort media = url -> CompletableFuture.completedFuture("sound:" + url);
  final TestProbe<Done> acks;
  final String callSid =
      org.switchboard.engine.port.CallSid.forChannel(
          new org.switchboard.engine.port.ChannelRef(SERVER, CHANNEL));
  ActorRef<CallCommand> call;
  int maxDocuments = 25;
  Optional<URI> fallback = Optional.empty();
  Duration orphanGrace = Duration.ofSeconds(5);

  CallFixture(ActorTestKit kit) {
    this.kit = kit;
    this.acks = kit.createTestProbe();
  }

  /** A test kit whose timers fire only when the test lets time pass ({@link ManualTime}). */
  static ActorTestKit manualTimeKit() {
    return ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  }

  /**
   * The call entity of {@code channel}'s CallSid, unclaimed until its first message, starting
   * legs with {@code legs} and passivating through {@code shard}.
   */
  ActorRef<CallCommand> entity(String channel, LegBehaviorFactory legs,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    String sid = CallSid.forChannel(new ChannelRef(SERVER, channel));
    return kit.spawn(CallEntity.create(sid, services(), legs, Optional.of(shard)));
  }

  CallServices services() {
    VoiceApplication app =
        new VoiceApplication(URI.create(APP + "/voice"), Method.POST, fallback, Method.POST,
            Optional.of(URI.create(APP + "/status")), Method.POST,
            Set.of("initiated", "ringing", "answered", "completed"));
    ScriptSettings script =
        new ScriptSettings(maxDocuments, new MediaRef.Native("sound:app-error"),
            sid -> URI.create("https://sb.test/recordings/" + sid), () -> "RE0000000000000000000000000000001",
            false, Clock.systemUTC());
    CallSettings settings =
        new CallSettings("AC11111111111111111111111111111111", Duration.ofHours(4), CallStatus.NO_ANSWER,
            Duration.ofSeconds(5), Duration.ofSeconds(30), orphanGrace, script);
    return new CallServices(ari, web,
        (text, voice, lang) -> CompletableFuture.completedFuture(List.of("sound:tts/" + text)),
        media, ApplicationDirectory.fixed(app), CallDelegates.unsupported(), settings, active,
        Clock.systemUTC(), new CallHistory(), recordings);
  }

  static ChannelEvent.StasisEntered stasisStart() {
    return stasisStart(CHANNEL);
  }

  /** The StasisStart of an inbound call on {@code channel}. */
  static ChannelEvent.StasisEntered stasisStart(String channel) {
    return new ChannelEvent.StasisEntered(SERVER, Instant.now(),
        new ChannelEvent.ChannelInfo(channel, "PJSIP/trunk-0001", "Ring",
            new ChannelEvent.Party("15551230001", "Alice"), new ChannelEvent.Party("", ""),
            "from-trunk", "+15559870000", "abc@10.0.0.1", "en", Instant.now()),
        List.of(), Optional.empty());
  }

  CallFixture start() {
    call = kit.spawn(CallActor.create(callSid, stasisStart(), services(), EntityEnd.STOP));
    return this;
  }

  void deliver(ChannelEvent event) {
    deliver(call, event);
  }

  /** Tells {@code entity} {@code event} and waits for its acknowledgement. */
  void deliver(ActorRef<CallCommand> entity, ChannelEvent event) {
    entity.tell(new CallCommand.Deliver(event, acks.ref()));
    acks.expectMessage(WAIT, Done.getInstance());
  }

  void digit(String d) {
    deliver(new ChannelEvent.DtmfReceived(SERVER, Instant.now(), CHANNEL, d, 100));
  }

  void playbackFinished(String id) {
    deliver(new ChannelEvent.PlaybackFinished(SERVER, Instant.now(), id, Optional.of(CHANNEL),
        Optional.empty(), false));
  }

  void callerHangsUp() {
    deliver(new ChannelEvent.HangupRequested(SERVER, Instant.now(), CHANNEL, 16, false));
  }

  /** Waits for the next play command and returns its playback id. */
  String expectPlay() {
    return ari.expect("play", WAIT).arg(1);
  }

  List<String> expectPlayMedia() {
    return ari.expect("play", WAIT).arg(2);
  }

  /** Takes callbacks until the final one; asserts nothing follows it. */
  FakeWebhookPort.Seen expectFinalStatus() {
    while (true) {
      FakeWebhookPort.Seen s = web.nextNotify(WAIT);
      if (s.url().toString().equals(APP + "/status") && "completed".equals(s.request().purpose()
          .replace("status-", ""))) {
        web.expectNoNotify(Duration.ofMillis(300));
        return s;
      }
    }
  }
}
