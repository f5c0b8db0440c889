package org.switchboard.engine.hotline;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.switchboard.engine.call.ActiveCalls;
import org.switchboard.engine.call.ApplicationDirectory;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.CallHistory;
import org.switchboard.engine.call.CallServices;
import org.switchboard.engine.call.CallSettings;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Sids;
import org.switchboard.engine.queue.QueueSettings;
import org.switchboard.engine.ring.DialPlan;
import org.switchboard.engine.ring.LegSettings;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.script.MediaRef;
import org.switchboard.engine.script.ScriptSettings;
import org.switchboard.engine.testing.FakeAriPort;
import org.switchboard.engine.testing.FakeWebhookPort;

/**
 * The whole engine on a single-node cluster ({@link CallOperations#start}) with fake ports: events
 * go in through the sharded event sink, as the ARI router would deliver them.
 */
final class HotlineHarness {
  static final String SERVER = "ast1";
  static final String APP = "https://app.test";
  static final Duration WAIT = Duration.ofSeconds(10);

  final FakeAriPort ari = FakeAriPort.autoComplete();
  final FakeWebhookPort web = new FakeWebhookPort();
  final CallOperations ops;
  private final List<FakeWebhookPort.Seen> skippedFetches = new ArrayList<>();
  private final List<FakeWebhookPort.Seen> skippedNotifies = new ArrayList<>();

  /** Every dialled number {@code n} is served by {@code APP/<n>/voice}. */
  HotlineHarness(ActorTestKit kit) {
    ApplicationDirectory apps = number -> VoiceApplication.of(URI.create(APP + "/" + number + "/voice"));
    ScriptSettings script = new ScriptSettings(25, new MediaRef.Native("sound:app-error"),
        sid -> URI.create("https://sb.test/recordings/" + sid), () -> Sids.random("RE"), false,
        Clock.systemUTC());
    CallSettings settings = new CallSettings("AC11111111111111111111111111111111",
        Duration.ofHours(4), CallStatus.NO_ANSWER, Duration.ofSeconds(2), Duration.ofSeconds(30),
        Duration.ofSeconds(5), script);
    CallServices services = new CallServices(ari, web,
        (text, voice, lang) -> CompletableFuture.completedFuture(List.of("sound:tts/" + text)),
        url -> CompletableFuture.completedFuture("sound:" + url), apps, CallDelegates.unsupported(),
        settings, new ActiveCalls(), Clock.systemUTC(), new CallHistory(), new RecordingIndex());
    CallOperations.Setup setup = new CallOperations.Setup(
        new DialPlan("PJSIP/{number}@trunk", "trunk", "PJSIP/{identity}", Map.of()),
        LegSettings.defaults(settings.accountSid(), Clock.systemUTC()),
        new QueueSettings(1000, 100, Clock.systemUTC()), SERVER,
        sid -> URI.create("https://sb.test/recordings/" + sid), Duration.ofSeconds(3));
    ops = CallOperations.start(kit.system(), services, setup);
  }

  static String sidOf(String channelId) {
    return CallSid.forChannel(new ChannelRef(SERVER, channelId));
  }

  void deliver(ChannelEvent event) {
    try {
      ops.calls().eventSink().deliver(event).toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("delivery of " + event + " failed", e);
    }
  }

  /** An inbound call on {@code channelId} to {@code number}; returns its CallSid. */
  String inbound(String channelId, String number) {
    deliver(new ChannelEvent.StasisEntered(SERVER, Instant.now(),
        new ChannelEvent.ChannelInfo(channelId, "PJSIP/trunk-" + channelId, "Ring",
            new ChannelEvent.Party("15551230001", "Caller"), new ChannelEvent.Party("", ""),
            "from-trunk", number, "", "en", Instant.now()),
        List.of(), Optional.empty()));
    return sidOf(channelId);
  }

  /** The next originate whose dial string contains {@code endpointPart}. */
  AriPort.OriginateRequest originated(String endpointPart) {
    return ari.expect(c -> c.op().equals("originate")
        && c.<AriPort.OriginateRequest>arg(0).endpoint().contains(endpointPart),
        "originate to " + endpointPart, WAIT).arg(0);
  }

  /** The far end of leg channel {@code channelId} rings, answers and enters Stasis. */
  void legAnswers(String channelId) {
    deliver(new ChannelEvent.DialProgress(SERVER, Instant.now(), channelId, "RINGING"));
    deliver(new ChannelEvent.DialProgress(SERVER, Instant.now(), channelId, "ANSWER"));
    deliver(new ChannelEvent.StasisEntered(SERVER, Instant.now(),
        new ChannelEvent.ChannelInfo(channelId, "PJSIP/out-" + channelId, "Up",
            new ChannelEvent.Party("", ""), new ChannelEvent.Party("", ""), "default", "s", "",
            "en", Instant.now()),
        List.of("dial-leg"), Optional.empty()));
  }

  void hangsUp(String channelId) {
    deliver(new ChannelEvent.HangupRequested(SERVER, Instant.now(), channelId, 16, false));
    deliver(new ChannelEvent.StasisLeft(SERVER, Instant.now(), channelId));
    deliver(new ChannelEvent.ChannelDestroyed(SERVER, Instant.now(), channelId, 16, "Normal Clearing"));
  }

  /** The first ARI command matching {@code match} (others are skipped). */
  FakeAriPort.Command command(String what, Predicate<FakeAriPort.Command> match) {
    return ari.expect(match, what, WAIT);
  }

  /** The fetch of {@code APP + path}; fetches of other URLs seen meanwhile are kept for later. */
  FakeWebhookPort.Seen fetch(String path) {
    return take(skippedFetches, path, () -> web.nextFetch(WAIT));
  }

  /** The callback to {@code APP + path} matching {@code match}; others are kept for later. */
  FakeWebhookPort.Seen notified(String path, Predicate<FakeWebhookPort.Seen> match) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      synchronized (skippedNotifies) {
        for (FakeWebhookPort.Seen s : skippedNotifies) {
          if (s.url().toString().equals(APP + path) && match.test(s)) {
            skippedNotifies.remove(s);
            return s;
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no callback to " + path + "; kept " + skippedNotifies.stream()
            .map(s -> s.url() + " " + s.request().params()).toList());
      }
      skippedNotifies.add(web.nextNotify(WAIT));
    }
  }

  private FakeWebhookPort.Seen take(List<FakeWebhookPort.Seen> kept, String path,
      java.util.function.Supplier<FakeWebhookPort.Seen> next) {
    for (FakeWebhookPort.Seen s : kept) {
      if (s.url().toString().equals(APP + path)) {
        kept.remove(s);
        return s;
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      FakeWebhookPort.Seen s = next.get();
      if (s.url().toString().equals(APP + path)) {
        return s;
      }
      kept.add(s);
    }
    throw new AssertionError("no request to " + path);
  }
}
