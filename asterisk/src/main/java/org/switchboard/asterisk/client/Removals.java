package org.switchboard.asterisk.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.ConfirmedHangup;
import org.switchboard.engine.port.Failures;

/**
 * A removal whose answer was lost ({@code DELETE /playbacks/{id}}, {@code DELETE /bridges/{id}}):
 * Asterisk may or may not have carried it out, and a playback left playing goes on over the
 * caller's next prompt, a bridge left standing leaks. So an attempt that got no answer (status 0:
 * a timeout, no connection) is sent again after {@link ConfirmedHangup#backoff} (1 s doubled up
 * to 30 s, the hangups' rule) until Asterisk answers, at most {@link #MAX_RESENDS} times. Removing
 * twice leaves the same state: a {@code 404} on a resend means the first attempt (or the
 * playback's own end) removed it, and the removal succeeds. The first attempt's answer, {@code
 * 404} included, is the command's as before. Each attempt is its own ARI command, so each one
 * that gets no answer counts in {@code switchboard_ari_unanswered_commands}.
 */
final class Removals {
  private static final Logger LOG = LoggerFactory.getLogger(Removals.class);

  /** Resends after the first attempt: about 2 minutes with the default backoff. */
  static final int MAX_RESENDS = 8;

  private final IntFunction<Duration> backoff;

  /** Removals resent after {@code backoff.apply(failures)}. */
  Removals(IntFunction<Duration> backoff) {
    this.backoff = backoff;
  }

  /** Removals resent with the hangups' backoff. */
  static Removals withHangupBackoff() {
    return new Removals(ConfirmedHangup::backoff);
  }

  /**
   * Runs {@code attempt} (one ARI command, {@code operation} of {@code target} for logs) until
   * Asterisk answers it.
   */
  CompletionStage<Done> send(
      String operation, String target, Supplier<CompletionStage<Done>> attempt) {
    return send(operation, target, attempt, 0);
  }

  private CompletionStage<Done> send(
      String operation, String target, Supplier<CompletionStage<Done>> attempt, int resends) {
    CompletionStage<Done> sent;
    try {
      sent = attempt.get();
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle((ok, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(ok);
      }
      if (resends > 0 && Failures.cause(error) instanceof AriCommandException ace
          && ace.isNotFound()) {
        LOG.debug("{} {}: not found on resend {}: removed", operation, target, resends);
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      if (!AriCommandException.outcomeUnknown(error)) {
        return CompletableFuture.<Done>failedFuture(Failures.cause(error));
      }
      if (resends >= MAX_RESENDS) {
        LOG.warn("{} {} got no answer {} times; given up (a bridge left is destroyed by the"
            + " orphan sweep after a reconnect, a playback ends with its channel)", operation,
            target, resends + 1);
        return CompletableFuture.<Done>failedFuture(Failures.cause(error));
      }
      Duration pause = backoff.apply(resends + 1);
      LOG.warn("{} {} got no answer ({}); sending it again in {} ms", operation, target,
          Failures.cause(error).getMessage(), pause.toMillis());
      Executor later = CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS);
      return CompletableFuture.supplyAsync(() -> null, later)
          .thenCompose(x -> send(operation, target, attempt, resends + 1));
    }).thenCompose(f -> f);
  }
}
