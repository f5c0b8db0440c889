package org.switchboard.asterisk.client;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.switchboard.engine.port.AriCommandException;

/**
 * How loaded the ARI commands of a node are, cheap enough to count every command: the commands
 * sent and not answered yet ({@link #pending()}), those among them older than a given age
 * ({@link #pendingOlderThan}, "stuck"), and a moving average of their round trip ({@link
 * #latencyMillis()}, answered or failed), and those that got no answer at all ({@link
 * #unanswered()}: their outcome is unknown, and their callers reconcile). Pending commands are
 * counted per second of their start in a ring of {@value #SLOTS} seconds; ARI commands time out
 * well within it.
 */
public final class AriLoad {
  static final int SLOTS = 64;

  private final AtomicIntegerArray startedAt = new AtomicIntegerArray(SLOTS);
  private final LongAdder completed = new LongAdder();
  private final LongAdder completedMicros = new LongAdder();
  private final LongAdder unanswered = new LongAdder();
  private final LongSupplier nanoTime;

  public AriLoad() {
    this(System::nanoTime);
  }

  AriLoad(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Counts {@code command} from now until it completes (either way); returns it. */
  public <T> CompletionStage<T> track(CompletionStage<T> command) {
    long start = nanoTime.getAsLong();
    int slot = slot(start);
    startedAt.incrementAndGet(slot);
    command.whenComplete((ok, error) -> {
      startedAt.decrementAndGet(slot);
      completedMicros.add((nanoTime.getAsLong() - start) / 1_000);
      completed.increment();
      if (error != null && AriCommandException.outcomeUnknown(error)) {
        unanswered.increment();
      }
    });
    return command;
  }

  /** Commands sent and not answered yet. */
  public int pending() {
    int sum = 0;
    for (int i = 0; i < SLOTS; i++) {
      sum += startedAt.get(i);
    }
    return sum;
  }

  /**
   * Pending commands sent at least {@code seconds} (0 to 60) ago; counted by whole seconds, so
   * some up to one second older are left out.
   */
  public int pendingOlderThan(int seconds) {
    long nowSecond = nanoTime.getAsLong() / 1_000_000_000L;
    int sum = 0;
    // A command in the slot of second (now - age) started between age - 1 and age + 1 s ago.
    for (int age = Math.max(0, seconds) + 1; age < SLOTS; age++) {
      sum += startedAt.get((int) Math.floorMod(nowSecond - age, (long) SLOTS));
    }
    return sum;
  }

  /** Commands that failed without an answer from Asterisk since the start (timeout, no link). */
  public long unanswered() {
    return unanswered.sum();
  }

  /**
   * The average round trip, in milliseconds, of the commands completed since the previous call
   * (0 when none did); one reader only (the overload check).
   */
  public double takeLatencyMillis() {
    long n = completed.sumThenReset();
    long micros = completedMicros.sumThenReset();
    return n == 0 ? 0 : micros / 1000.0 / n;
  }

  private static int slot(long nanos) {
    return (int) Math.floorMod(nanos / 1_000_000_000L, (long) SLOTS);
  }
}
