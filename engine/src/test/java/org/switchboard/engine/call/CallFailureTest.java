package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.call.CallFixture.APP;
import static org.switchboard.engine.call.CallFixture.CHANNEL;
import static org.switchboard.engine.call.CallFixture.SERVER;
import static org.switchboard.engine.call.CallFixture.WAIT;

import com.typesafe.config.ConfigFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.protocol.EntityEnd;
import org.switchboard.engine.testing.FakeAriPort;
import org.switchboard.engine.testing.FakeWebhookPort;

/**
 * A failure inside a call never ends it silently: an exception injected into each situation of a
 * {@link CallActor} (a port that throws synchronously, a behaviour that throws while handling a
 * message) takes the error path (fallback URL, else the error prompt), hangs the channel up, sends
 * the final {@code completed} callback and stops the actor.
 */
class CallFailureTest {
  static final ActorTestKit kit =
      ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  static final ManualTime time = ManualTime.get(kit.system());
  private static final ChannelRef CALL_CHANNEL = new ChannelRef(SERVER, CHANNEL);

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** An {@link AriPort} over the fixture's fake whose listed operations throw once, synchronously. */
  static final class Breaking {
    final Set<String> throwOnce = ConcurrentHashMap.newKeySet();
    final Set<String> failOnce = ConcurrentHashMap.newKeySet();

    AriPort over(FakeAriPort fake) {
      return (AriPort) Proxy.newProxyInstance(AriPort.class.getClassLoader(),
          new Class<?>[] {AriPort.class}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
              return method.invoke(fake, args);
            }
            if (throwOnce.remove(method.getName())) {
              throw new IllegalStateException("injected: " + method.getName() + " threw");
            }
            Object result;
            try {
              result = method.invoke(fake, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
            if (failOnce.remove(method.getName())) {
              return CompletableFuture.failedFuture(
                  new AriCommandException(SERVER, method.getName(), 500, "injected server error"));
            }
            return result;
          });
    }
  }

  private record Call(CallFixture f, Breaking breaking, ActorRef<CallCommand> ref,
      TestProbe<Object> watcher) {}

  private static Call start(CallFixture f, String twiml, Function<CallServices, CallServices> more) {
    return start(f, twiml, more, new Breaking());
  }

  private static Call start(CallFixture f, String twiml, Function<CallServices, CallServices> more,
      Breaking breaking) {
    f.web.twiml(APP + "/voice", twiml);
    CallServices s = more.apply(f.services());
    CallServices services = new CallServices(breaking.over(f.ari), s.webhooks(), s.tts(), s.media(),
        s.applications(), s.delegates(), s.settings(), s.activeCalls(), s.clock(), s.history(),
        s.recordings());
    f.call = kit.spawn(CallActor.create(f.callSid, CallFixture.stasisStart(), services,
        EntityEnd.STOP));
    TestProbe<Object> watcher = kit.createTestProbe();
    return new Call(f, breaking, f.call, watcher);
  }

  private static Call start(String twiml) {
    return start(new CallFixture(kit), twiml, Function.identity());
  }

  /** A Deliver whose handling throws inside the behaviour (its ack ref is missing). */
  private static void throwingMessage(Call c) {
    c.ref().tell(new CallCommand.Deliver(
        new ChannelEvent.DtmfReceived(SERVER, Instant.now(), CHANNEL, "9", 100), null));
  }

  /** The error prompt plays, finishes, the channel is hung up, completed is sent, the actor stops. */
  private static void expectErrorPromptThenEnd(Call c) {
    FakeAriPort.Command prompt = c.f().ari.expect(
        cmd -> cmd.op().equals("play") && cmd.<List<String>>arg(2).equals(List.of("sound:app-error")),
        "the error prompt", WAIT);
    c.f().playbackFinished(prompt.arg(1));
    expectEnded(c);
  }

  private static void expectEnded(Call c) {
    FakeAriPort.Command hangup = c.f().ari.expect("hangup", WAIT);
    assertEquals(CALL_CHANNEL, hangup.arg(0));
    FakeWebhookPort.Seen last = c.f().expectFinalStatus();
    assertEquals("completed", last.param("CallStatus"));
    c.watcher().expectTerminated(c.ref(), WAIT);
    assertEquals(0, c.f().active.count());
  }

  @Test
  void whilePausedBeforeTheAnswerTheFallbackUrlRuns() {
    CallFixture f = new CallFixture(kit);
    f.fallback = Optional.of(URI.create(APP + "/fallback"));
    f.web.twiml(APP + "/fallback", "<Response><Say>Sorry</Say></Response>");
    Call c = start(f, "<Response><Pause length=\"5\"/></Response>", Function.identity());
    throwingMessage(c);
    FakeWebhookPort.Seen fallback = f.web.nextFetch(WAIT);
    while (!fallback.url().toString().equals(APP + "/fallback")) {
      fallback = f.web.nextFetch(WAIT);
    }
    assertEquals("12400", fallback.param("ErrorCode"));
    String sorry = f.ari.expect(cmd -> cmd.op().equals("play")
        && cmd.<List<String>>arg(2).equals(List.of("sound:tts/Sorry")), "Sorry", WAIT).arg(1);
    f.playbackFinished(sorry);
    expectEnded(c);
  }

  @Test
  void anAnswerThatThrowsTakesTheErrorPath() {
    Breaking breaking = new Breaking();
    breaking.throwOnce.add("answer");
    expectErrorPromptThenEnd(start(new CallFixture(kit), "<Response><Say>Hello</Say></Response>",
        Function.identity(), breaking));
  }

  @Test
  void whilePlaying() {
    Call c = start("<Response><Say>Hello</Say><Say>Bye</Say></Response>");
    c.f().expectPlay();
    throwingMessage(c);
    c.f().ari.expect("stopPlayback", WAIT);
    expectErrorPromptThenEnd(c);
  }

  @Test
  void aPlayThatThrowsTakesTheErrorPath() {
    Breaking breaking = new Breaking();
    // the first play throws: "Hello" never plays, the error prompt does
    breaking.throwOnce.add("play");
    expectErrorPromptThenEnd(start(new CallFixture(kit), "<Response><Say>Hello</Say></Response>",
        Function.identity(), breaking));
  }

  @Test
  void whileGathering() {
    Call c = start("<Response><Gather numDigits=\"2\" action=\"/g\"><Say>Digits</Say></Gather>"
        + "</Response>");
    c.f().playbackFinished(c.f().expectPlay());
    c.f().digit("1");
    throwingMessage(c);
    expectErrorPromptThenEnd(c);
  }

  @Test
  void whileRecording() {
    Call c = start("<Response><Record action=\"/rec\"/></Response>");
    c.f().ari.expect("record", WAIT);
    throwingMessage(c);
    c.f().ari.expect("stopRecording", WAIT);
    expectErrorPromptThenEnd(c);
  }

  @Test
  void whilePaused() {
    Call c = start("<Response><Say>Hi</Say><Pause length=\"30\"/></Response>");
    c.f().playbackFinished(c.f().expectPlay());
    throwingMessage(c);
    expectErrorPromptThenEnd(c);
  }

  @Test
  void aDelegationThatThrowsTakesTheErrorPath() {
    CallFixture f = new CallFixture(kit);
    CallDelegates throwingDial = new CallDelegates() {
      private final CallDelegates none = CallDelegates.unsupported();

      @Override
      public Delegation dial(Context context, org.switchboard.engine.twiml.verb.Dial dial,
          boolean callerAnswered) {
        return new Delegation() {
          @Override
          public void stop(String reason) {}

          @Override
          public void onEvent(ChannelEvent event) {
            throw new IllegalStateException("injected: the dial session failed");
          }
        };
      }

      @Override
      public Delegation enqueue(Context context, org.switchboard.engine.twiml.verb.Enqueue e) {
        return none.enqueue(context, e);
      }

      @Override
      public Delegation connect(Context context, org.switchboard.engine.twiml.verb.Connect c) {
        return none.connect(context, c);
      }

      @Override
      public Delegation startStream(Context context, org.switchboard.engine.twiml.verb.Start s) {
        return none.startStream(context, s);
      }
    };
    Call c = start(f, "<Response><Say>Hi</Say><Dial>+15550001111</Dial></Response>",
        s -> new CallServices(s.ari(), s.webhooks(), s.tts(), s.media(), s.applications(),
            throwingDial, s.settings(), s.activeCalls(), s.clock(), s.history(), s.recordings()));
    f.playbackFinished(f.expectPlay());
    f.digit("5");
    expectErrorPromptThenEnd(c);
  }

  @Test
  void whileTearingDown() {
    Call c = start("<Response><Say>Hi</Say><Hangup/></Response>");
    c.breaking().failOnce.add("hangup");
    c.f().playbackFinished(c.f().expectPlay());
    c.f().ari.expect("hangup", WAIT);
    c.f().expectFinalStatus();
    settle(c);
    throwingMessage(c);
    // the channel is not confirmed gone: the hangup goes out again until Asterisk confirms
    time.timePasses(Duration.ofSeconds(1));
    c.f().ari.expect("hangup", WAIT);
    c.watcher().expectTerminated(c.ref(), WAIT);
    c.f().web.expectNoNotify(Duration.ofMillis(200));
  }

  @Test
  void aFailedTeardownHangupIsRetriedUntilConfirmed() {
    Breaking breaking = new Breaking();
    breaking.failOnce.add("hangup");
    Call c = start(new CallFixture(kit), "<Response><Hangup/></Response>", Function.identity(),
        breaking);
    c.f().ari.expect("hangup", WAIT);
    c.f().expectFinalStatus();
    // not over while the channel may be up: it still answers
    assertEquals("completed", settle(c).status());
    c.breaking().throwOnce.add("hangup");
    time.timePasses(Duration.ofSeconds(1));
    settle(c);
    time.timePasses(Duration.ofSeconds(2));
    c.f().ari.expect("hangup", WAIT);
    c.watcher().expectTerminated(c.ref(), WAIT);
    assertTrue(c.f().ari.history().stream().filter(h -> h.startsWith("hangup")).count() >= 2);
  }

  /** Returns once the call has handled every message queued for it before; its snapshot. */
  private static CallSnapshot settle(Call c) {
    TestProbe<CallSnapshot> snapshots = kit.createTestProbe();
    CallSnapshot last = null;
    for (int i = 0; i < 2; i++) {
      c.ref().tell(new CallCommand.GetSnapshot(snapshots.ref()));
      last = snapshots.receiveMessage(WAIT);
    }
    return last;
  }
}
