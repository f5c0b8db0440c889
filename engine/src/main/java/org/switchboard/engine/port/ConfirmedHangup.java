package org.switchboard.engine.port;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import scala.concurrent.ExecutionContext;

/**
 * One channel's hangup ({@code DELETE /channels/{id}}), sent again until Asterisk confirms it:
 * {@code 2xx}, or {@code 404} (the channel is gone). An attempt that fails otherwise (an error
 * answer, no answer, a port that throws) leaves the channel possibly up, so it is never given up:
 * the next attempt follows after {@link #backoff} (1 s, doubled up to 30 s).
 *
 * <p>The owner sends each attempt ({@link #send}) and hands its answer to {@link #answered},
 * which classifies it and, on a failure, schedules {@code again} (at most one attempt waits at a
 * time); what an answer means beyond that stays the owner's: its reason codes, a {@code 404} that
 * raced an originate, its limits, logs and metrics. {@link #stop} cancels the waiting attempt
 * once the owner knows the channel is gone ({@code ChannelDestroyed}, {@code StasisEnd}).
 * Thread-safe: an actor keeps one in its state, the refusal lane shares them between threads.
 */
public final class ConfirmedHangup {
  /** What an attempt's answer says. */
  public sealed interface Answer permits Confirmed, Gone, Failed {}

  /** {@code 2xx}: Asterisk hung the channel up. */
  public record Confirmed() implements Answer {}

  /** {@code 404}: the channel was not there (gone already, or not created yet). */
  public record Gone() implements Answer {}

  /**
   * Any other answer, or none: the channel may be up. {@code again} runs after {@code retryIn};
   * {@code failures} counts this one.
   */
  public record Failed(Throwable cause, int failures, Duration retryIn) implements Answer {}

  private final AriPort ari;
  private final ChannelRef channel;
  private final Scheduler scheduler;
  private final ExecutionContext executor;
  private int failures;
  private Cancellable waiting;
  private boolean stopped;

  /** The hangup of {@code channel} through {@code ari}; retries wait on {@code scheduler}. */
  public ConfirmedHangup(AriPort ari, ChannelRef channel, Scheduler scheduler,
      ExecutionContext executor) {
    this.ari = ari;
    this.channel = channel;
    this.scheduler = scheduler;
    this.executor = executor;
  }

  /**
   * The hangup of {@code channel} for an actor: its {@code again} only tells the actor a message,
   * so it runs on the scheduler's thread, as {@link ActorContext#scheduleOnce} would.
   */
  public static ConfirmedHangup of(AriPort ari, ChannelRef channel, ActorContext<?> context) {
    return new ConfirmedHangup(ari, channel, context.getSystem().scheduler(), Stages.SAME_THREAD);
  }

  /** The wait before the next attempt after {@code failures} failed ones: 1 s, doubled up to 30 s. */
  public static Duration backoff(int failures) {
    return Duration.ofSeconds(Math.min(30, 1L << Math.min(5, Math.max(0, failures - 1))));
  }

  /** The channel this hangup is for. */
  public ChannelRef channel() {
    return channel;
  }

  /** Sends one attempt; a port that throws answers with the failed stage. */
  public CompletionStage<Done> send(HangupReason reason) {
    try {
      return ari.hangup(channel, reason);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * An attempt's answer ({@code error} null for a success). A failure counts and schedules {@code
   * again} after {@link #backoff}, replacing an attempt already waiting; nothing is scheduled once
   * {@link #stop stopped}.
   */
  public synchronized Answer answered(Throwable error, Runnable again) {
    if (error == null) {
      return new Confirmed();
    }
    Throwable cause = Failures.cause(error);
    if (cause instanceof AriCommandException ace && ace.isNotFound()) {
      return new Gone();
    }
    failures++;
    Duration retryIn = backoff(failures);
    if (!stopped) {
      if (waiting != null) {
        waiting.cancel();
      }
      waiting = scheduler.scheduleOnce(retryIn, again, executor);
    }
    return new Failed(cause, failures, retryIn);
  }

  /** The failed attempts so far. */
  public synchronized int failures() {
    return failures;
  }

  /** The channel is known gone: the attempt waiting, if any, is not sent. */
  public synchronized void stop() {
    stopped = true;
    if (waiting != null) {
      waiting.cancel();
      waiting = null;
    }
  }
}
