package org.switchboard.asterisk.router;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.StreamTestKit;
import org.apache.pekko.stream.testkit.TestPublisher;
import scala.concurrent.duration.FiniteDuration;

/**
 * A test upstream that tracks the demand it receives, so a test can tell how many elements a
 * stage accepted before it stopped asking (backpressure).
 */
final class UpstreamProbe<T> {
  private final TestPublisher.ManualProbe<T> probe;
  private StreamTestKit.PublisherProbeSubscription<T> subscription;
  private long demand;

  UpstreamProbe(ActorSystem system) {
    this.probe = TestPublisher.manualProbe(true, system);
  }

  Source<T, NotUsed> source() {
    return Source.fromPublisher(probe);
  }

  /** Sends one element, first waiting (with the testkit's deadline) for demand. */
  void send(T element) {
    subscription();
    if (demand == 0) {
      demand += subscription.expectRequest();
    }
    subscription.sendNext(element);
    demand--;
  }

  /** The demand received and not yet used. */
  long demand() {
    return demand;
  }

  /**
   * Sends elements as long as demand keeps coming, and returns how many were sent once no
   * request arrived for {@code quietMillis} (or {@code cap} were sent).
   */
  int sendWhileDemanded(IntFunction<T> next, int cap, long quietMillis) {
    subscription();
    int sent = 0;
    while (sent < cap) {
      if (demand == 0) {
        Object message =
            subscription
                .publisherProbe()
                .receiveOne(FiniteDuration.create(quietMillis, TimeUnit.MILLISECONDS));
        if (message == null) {
          return sent;
        }
        if (!(message instanceof TestPublisher.RequestMore more)) {
          fail("unexpected upstream signal " + message);
          return sent;
        }
        demand += more.elements();
      }
      subscription.sendNext(next.apply(sent));
      demand--;
      sent++;
    }
    return sent;
  }

  void complete() {
    subscription();
    subscription.sendComplete();
  }

  private void subscription() {
    if (subscription == null) {
      subscription = probe.expectSubscription();
    }
  }
}
