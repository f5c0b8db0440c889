package org.switchboard.engine.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.testing.FakeAriPort;

/**
 * The hangup loop every owner shares ({@code CallActor}'s teardown aside): attempts answered by
 * hand on a {@link FakeAriPort}, retries timed by {@link ManualTime}. Each owner's own rules
 * (originate races, lane slots, teardown grace) are tested with the owner.
 */
class ConfirmedHangupTest {
  private static final ActorTestKit KIT =
      ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  private static final ManualTime TIME = ManualTime.get(KIT.system());
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final ChannelRef CHANNEL = new ChannelRef("ast1", "c1");
  private static final AriCommandException SERVER_ERROR =
      new AriCommandException("ast1", "DELETE /channels/c1", 500, "Internal Server Error");
  private static final AriCommandException NO_ANSWER =
      new AriCommandException("ast1", "DELETE /channels/c1", 0, "no answer within 10000 ms");
  private static final AriCommandException NOT_FOUND =
      new AriCommandException("ast1", "DELETE /channels/c1", 404, "Channel not found");

  private FakeAriPort ari;
  private ConfirmedHangup hangup;
  private final List<ConfirmedHangup.Answer> answers = new CopyOnWriteArrayList<>();

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  @BeforeEach
  void newHangup() {
    ari = FakeAriPort.manual();
    hangup = hangupOn(ari);
  }

  /** No attempt of this test waits on into the next one's time. */
  @AfterEach
  void stopHangup() {
    hangup.stop();
  }

  @Test
  void aFailedHangupIsSentAgainAfterABackoffDoubledUpTo30Seconds() {
    attempt();
    int failures = 0;
    for (long seconds : new long[] {1, 2, 4, 8, 16, 30, 30}) {
      ari.expect("hangup", WAIT).fail(failures % 2 == 0 ? SERVER_ERROR : NO_ANSWER);
      failures++;
      ConfirmedHangup.Failed failed = assertInstanceOf(ConfirmedHangup.Failed.class, last());
      assertEquals(failures, failed.failures());
      assertEquals(Duration.ofSeconds(seconds), failed.retryIn());
      TIME.timePasses(Duration.ofSeconds(seconds).minusMillis(1));
      ari.expectNone(Duration.ofMillis(20));
      TIME.timePasses(Duration.ofMillis(1));
    }
    FakeAriPort.Command last = ari.expect("hangup", WAIT);
    assertEquals(CHANNEL, last.arg(0));
    assertEquals(HangupReason.BUSY, last.arg(1));
    last.succeed();
    assertInstanceOf(ConfirmedHangup.Confirmed.class, last());
    TIME.timePasses(Duration.ofSeconds(60));
    ari.expectNone(Duration.ofMillis(20));
  }

  @Test
  void notFoundSaysTheChannelIsGoneAndNothingIsSentAgain() {
    attempt();
    ari.expect("hangup", WAIT).fail(SERVER_ERROR);
    TIME.timePasses(Duration.ofSeconds(1));
    ari.expect("hangup", WAIT).fail(NOT_FOUND);
    assertInstanceOf(ConfirmedHangup.Gone.class, last());
    assertEquals(1, hangup.failures(), "a 404 is no failure");
    TIME.timePasses(Duration.ofSeconds(60));
    ari.expectNone(Duration.ofMillis(20));
  }

  @Test
  void stopCancelsTheAttemptWaitingForItsBackoff() {
    attempt();
    ari.expect("hangup", WAIT).fail(SERVER_ERROR);
    hangup.stop();
    TIME.timePasses(Duration.ofSeconds(60));
    ari.expectNone(Duration.ofMillis(20));
  }

  @Test
  void twoFailedAttemptsLeaveOneAttemptWaiting() {
    attempt();
    attempt();
    ari.expect("hangup", WAIT).fail(SERVER_ERROR);
    ari.expect("hangup", WAIT).fail(SERVER_ERROR);
    TIME.timePasses(Duration.ofSeconds(2));
    ari.expect("hangup", WAIT);
    ari.expectNone(Duration.ofMillis(20));
  }

  @Test
  void aPortThatThrowsIsAFailedAttempt() {
    IllegalStateException down = new IllegalStateException("client stopped");
    AriPort throwing = (AriPort) Proxy.newProxyInstance(AriPort.class.getClassLoader(),
        new Class<?>[] {AriPort.class}, (proxy, method, args) -> {
          throw down;
        });
    hangup = hangupOn(throwing);
    attempt();
    ConfirmedHangup.Failed failed = assertInstanceOf(ConfirmedHangup.Failed.class, last());
    assertEquals(down, failed.cause());
    assertEquals(Duration.ofSeconds(1), failed.retryIn());
    TIME.timePasses(Duration.ofSeconds(1));
    assertEquals(2, hangup.failures(), "sent again after the backoff, and failed again");
  }

  /** Retries run on the thread that lets time pass, so the test sees each at once. */
  private static ConfirmedHangup hangupOn(AriPort port) {
    return new ConfirmedHangup(port, CHANNEL, KIT.scheduler(), Stages.SAME_THREAD);
  }

  /** One attempt; its answer is recorded and a failure schedules the next one. */
  private void attempt() {
    hangup.send(HangupReason.BUSY)
        .whenComplete((ok, error) -> answers.add(hangup.answered(error, this::attempt)));
  }

  private ConfirmedHangup.Answer last() {
    assertTrue(!answers.isEmpty(), "no answer yet");
    return answers.get(answers.size() - 1);
  }
}
