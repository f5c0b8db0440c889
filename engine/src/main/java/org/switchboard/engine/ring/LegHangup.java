package org.switchboard.engine.ring;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.ConfirmedHangup;
import org.switchboard.engine.port.HangupReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leg's hangups. A hangup sent before the originate's reply may find no channel yet: if it
 * comes back "not found" it is retried once, after the reply if that is still pending. One that
 * fails otherwise (an error, or no answer: Asterisk may not have hung up) is sent again ({@link
 * Retry}, after {@link ConfirmedHangup#backoff}: 1 s doubled up to 30 s) until Asterisk confirms
 * it (204, or 404: gone) or the channel's {@code ChannelDestroyed} ends the leg; meanwhile {@link
 * #unconfirmed()} keeps the leg lingering. Used only inside one {@link LegActor}.
 */
final class LegHangup {
  private static final Logger LOG = LoggerFactory.getLogger(LegHangup.class);

  /** The outcome of one hangup, piped back to the leg: {@link LegActor} hands it to {@link #onResult}. */
  record Result(HangupReason reason, Optional<Throwable> error) implements LegActor.Internal {}

  /** A failed hangup, to be sent again: {@link LegActor} hands it back to {@link #send}. */
  record Retry(HangupReason reason) implements LegActor.Internal {}

  private final ActorContext<CallCommand> context;
  private final ConfirmedHangup hangup;
  private final String callSid;
  private boolean originatePending = true;
  private boolean racedOriginate;
  private Optional<HangupReason> retry = Optional.empty();
  private boolean unconfirmed;
  private boolean hungUp;

  LegHangup(ActorContext<CallCommand> context, AriPort ari, ChannelRef channel, String callSid) {
    this.context = context;
    this.hangup = ConfirmedHangup.of(ari, channel, context);
    this.callSid = callSid;
  }

  /** Hangs the leg's channel up. */
  void send(HangupReason reason) {
    unconfirmed = true;
    racedOriginate |= originatePending;
    context.pipeToSelf(
        hangup.send(reason), (ok, error) -> new Result(reason, Optional.ofNullable(error)));
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

  /** Whether a hangup went out that Asterisk has not confirmed yet and that is still retried. */
  boolean unconfirmed() {
    return unconfirmed;
  }

  /**
   * Whether Asterisk answered a hangup of the channel with success: the channel existed and is
   * gone, so an event of it that comes later (a {@code StasisStart} sent before the hangup) is
   * stale, not a channel created late.
   */
  boolean hungUp() {
    return hungUp;
  }

  /**
   * A hangup's outcome: a failure is retried with backoff, a "not found" racing the originate is
   * retried once; success or "not found" otherwise confirm the channel is gone.
   */
  void onResult(Result outcome) {
    ActorRef<CallCommand> self = context.getSelf();
    HangupReason reason = outcome.reason();
    ConfirmedHangup.Answer answer =
        hangup.answered(outcome.error().orElse(null), () -> self.tell(new Retry(reason)));
    if (answer instanceof ConfirmedHangup.Failed failed) {
      LOG.error("{} hangup of {} ({}) failed {} time(s): {}; sending it again in {}", callSid,
          hangup.channel(), reason, failed.failures(), failed.cause().getMessage(),
          failed.retryIn());
    } else if (answer instanceof ConfirmedHangup.Confirmed) {
      hungUp = true;
      unconfirmed = false;
    } else if (!racedOriginate) {
      unconfirmed = false;
    } else {
      racedOriginate = false;
      if (originatePending) {
        retry = Optional.of(reason);
      } else {
        send(reason);
      }
    }
  }
}
