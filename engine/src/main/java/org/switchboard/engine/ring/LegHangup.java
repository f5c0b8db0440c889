package org.switchboard.engine.ring;

import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leg's hangups. A hangup sent before the originate's reply may find no channel yet: if it
 * comes back "not found" it is retried once, after the reply if that is still pending. Used only
 * inside one {@link LegActor}.
 */
final class LegHangup {
  private static final Logger LOG = LoggerFactory.getLogger(LegHangup.class);

  /** The outcome of one hangup, piped back to the leg. */
  interface Result {
    HangupReason reason();

    Optional<Throwable> error();
  }

  private final ActorContext<Object> context;
  private final AriPort ari;
  private final ChannelRef channel;
  private final String callSid;
  private final BiFunction<HangupReason, Optional<Throwable>, Result> result;
  private boolean originatePending = true;
  private boolean racedOriginate;
  private Optional<HangupReason> retry = Optional.empty();

  LegHangup(
      ActorContext<Object> context,
      AriPort ari,
      ChannelRef channel,
      String callSid,
      BiFunction<HangupReason, Optional<Throwable>, Result> result) {
    this.context = context;
    this.ari = ari;
    this.channel = channel;
    this.callSid = callSid;
    this.result = result;
  }

  /** Hangs the leg's channel up. */
  void send(HangupReason reason) {
    racedOriginate |= originatePending;
    context.pipeToSelf(
        ari.hangup(channel, reason), (ok, error) -> result.apply(reason, Optional.ofNullable(error)));
  }

  /** Whether the originate has not replied yet (the channel may not exist yet). */
  boolean originatePending() {
    return originatePending;
  }

  /** The originate replied (success or not); a hangup waiting for it goes out now. */
  void originateReplied() {
    originatePending = false;
    retry.ifPresent(this::send);
    retry = Optional.empty();
  }

  /** A hangup's outcome: errors are logged, a "not found" racing the originate is retried once. */
  void onResult(Result outcome) {
    if (outcome.error().isEmpty()) {
      return;
    }
    Throwable error = outcome.error().get();
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    boolean notFound = cause instanceof AriCommandException ace && ace.isNotFound();
    if (!notFound) {
      LOG.error("{} hangup ({}) failed: {}", callSid, outcome.reason(), cause.getMessage());
    } else if (racedOriginate) {
      racedOriginate = false;
      if (originatePending) {
        retry = Optional.of(outcome.reason());
      } else {
        send(outcome.reason());
      }
    }
  }
}
