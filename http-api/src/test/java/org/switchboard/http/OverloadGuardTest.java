package org.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.client.AriLoad;
import org.switchboard.engine.call.ActiveCalls;
import org.switchboard.engine.call.DrainPolicy;

/**
 * Admission control's decisions, one check at a time: shed past a limit, keep shedding until every
 * measure stayed under the resume level for the resume time (no flapping), then admit again.
 */
class OverloadGuardTest {
  private static final long SECOND = 1_000_000_000L;
  private final ActiveCalls calls = new ActiveCalls();
  private final AriLoad ari = new AriLoad();
  private final AtomicInteger backlog = new AtomicInteger();
  private final List<CompletableFuture<String>> commands = new ArrayList<>();

  private OverloadGuard guard(Map<String, String> overrides) {
    return new OverloadGuard(OverloadSettings.fromConfig(ConfigFactory.parseMap(overrides)
        .withFallback(ConfigFactory.load())), calls, ari, backlog::get);
  }

  private void pending(int n) {
    while (commands.size() < n) {
      CompletableFuture<String> command = new CompletableFuture<>();
      commands.add(command);
      ari.track(command);
    }
    while (commands.size() > n) {
      commands.remove(commands.size() - 1).complete("ok");
    }
  }

  @Test
  void shedsPastALimitAndAdmitsOnlyAfterTheLoadStayedLowForTheResumeTime() {
    OverloadGuard guard = guard(Map.of("switchboard.overload.max-ari-pending", "10",
        "switchboard.overload.max-ari-latency", "1h", "switchboard.overload.resume-after", "2s"));
    pending(10);
    guard.check(0);
    assertFalse(guard.shedding(), "at the limit, not past it");
    pending(11);
    guard.check(SECOND / 10);
    assertTrue(guard.shedding());
    assertEquals(Optional.of(DrainPolicy.BUSY), calls.shedding());

    pending(7);
    guard.check(2 * SECOND);
    assertTrue(guard.shedding(), "below the limit but above half of it: still shedding");
    pending(4);
    guard.check(3 * SECOND);
    guard.check(4 * SECOND);
    assertTrue(guard.shedding(), "calm for 1 s of the 2 s needed");
    pending(6);
    guard.check(5 * SECOND + SECOND / 2);
    assertTrue(guard.shedding());
    pending(0);
    guard.check(6 * SECOND);
    guard.check(7 * SECOND);
    assertTrue(guard.shedding(), "the calm restarted at 6 s");
    guard.check(8 * SECOND);
    assertFalse(guard.shedding());
    assertEquals(Optional.empty(), calls.shedding());
  }

  @Test
  void theWebhookBacklogShedsTooWithTheConfiguredAnswer() {
    OverloadGuard guard = guard(Map.of("switchboard.overload.max-webhook-backlog", "3",
        "switchboard.overload.new-calls", "say", "switchboard.overload.say", "Busy, sorry."));
    backlog.set(4);
    guard.check(0);
    assertTrue(guard.shedding());
    DrainPolicy policy = calls.shedding().orElseThrow();
    assertEquals(DrainPolicy.NewCalls.REDIRECT, policy.newCalls());
    assertEquals(Optional.of("Busy, sorry."), policy.say());
    assertEquals(4, guard.load().webhookBacklog());
    assertTrue(guard.load().shedding());
  }

  @Test
  void aBacklogOfEventsAwaitingTheirCallsShedsAndAdmitsOnceItDrained() {
    AtomicInteger events = new AtomicInteger();
    OverloadGuard guard = new OverloadGuard(OverloadSettings.fromConfig(ConfigFactory.parseMap(
            Map.of("switchboard.overload.max-event-backlog", "100",
                "switchboard.overload.resume-after", "1s"))
        .withFallback(ConfigFactory.load())), calls, ari, backlog::get, events::get);
    events.set(100);
    guard.check(0);
    assertFalse(guard.shedding());
    events.set(101);
    guard.check(SECOND / 10);
    assertTrue(guard.shedding());
    assertEquals(101, guard.load().eventBacklog());
    events.set(51);
    guard.check(2 * SECOND);
    guard.check(4 * SECOND);
    assertTrue(guard.shedding(), "above half the limit");
    events.set(50);
    guard.check(5 * SECOND);
    guard.check(6 * SECOND);
    assertFalse(guard.shedding());
  }

  @Test
  void aBadAnswerIsRefusedWithItsKey() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> guard(Map.of("switchboard.overload.new-calls", "maybe")));
    assertTrue(e.getMessage().contains("switchboard.overload.new-calls"), e.getMessage());
  }
}
