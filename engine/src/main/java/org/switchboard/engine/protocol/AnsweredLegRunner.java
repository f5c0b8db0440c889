package org.switchboard.engine.protocol;

import java.time.Instant;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.switchboard.engine.port.ChannelRef;

/**
 * The hook through which an answered leg runs TwiML ({@link LegSpec#onAnswer()}): a whisper
 * {@code url} of a Dial noun, or the answer URL of an API {@code /ring} leg. The call-actor code
 * implements it; {@code LegActor} hands its behaviour over and gets it back through {@code then}.
 *
 * <p>Contract for the returned behaviour:
 *
 * <ul>
 *   <li>it acknowledges every {@link CallCommand.Deliver} it consumes;
 *   <li>when the document runs out of verbs it returns {@code then.apply(new Finished())};
 *   <li>when the script hangs the leg up ({@code <Hangup>}, {@code <Reject>}) it returns {@code
 *       then.apply(new Rejected())} without hanging up itself;
 *   <li>on {@link CallCommand.CancelLeg}, {@link CallCommand.HangUp}, or a {@code Deliver} of
 *       {@code ChannelDestroyed} / {@code StasisLeft} it stops what it is doing and returns {@code
 *       then.apply(new Interrupted(command))} without acknowledging it: the leg handles it.
 * </ul>
 */
@FunctionalInterface
public interface AnsweredLegRunner {

  /** Runs {@code leg.spec().onAnswer()} on the answered leg, then continues with {@code then}. */
  Behavior<CallCommand> runTwiml(AnsweredLeg leg, Function<TwimlEnd, Behavior<CallCommand>> then);

  /**
   * Takes back, after a restart, the TwiML the answered leg {@code leg} ran, from where its script
   * stood; runners that keep nothing run it again from the start.
   */
  default Behavior<CallCommand> resumeTwiml(
      AnsweredLeg leg, Function<TwimlEnd, Behavior<CallCommand>> then) {
    return runTwiml(leg, then);
  }

  /**
   * The TwiML state kept for the leg {@code callSid} run by {@code ctx} goes unread: the leg ended
   * while no node ran it. Runners that keep nothing do nothing.
   */
  default void discardTwiml(
      org.apache.pekko.actor.typed.javadsl.ActorContext<CallCommand> ctx, String callSid) {}

  /**
   * An answered leg: its CallSid, channel, spec and answer time, and the verdict of answering
   * machine detection ({@code AnsweredBy}) when the answer webhook is to carry it.
   */
  record AnsweredLeg(
      String callSid,
      ChannelRef channel,
      LegSpec spec,
      Instant answeredAt,
      java.util.Optional<String> answeredBy) {

    /** A leg whose answer webhook carries no {@code AnsweredBy}. */
    public AnsweredLeg(String callSid, ChannelRef channel, LegSpec spec, Instant answeredAt) {
      this(callSid, channel, spec, answeredAt, java.util.Optional.empty());
    }
  }

  /** How a leg's TwiML ended. */
  sealed interface TwimlEnd {}

  /** The document ran out of verbs: a whisper accepts the call. */
  record Finished() implements TwimlEnd {}

  /** The script hung the leg up: a whisper rejects the call. */
  record Rejected() implements TwimlEnd {}

  /** A command the runner does not own stopped the TwiML; the leg handles it. */
  record Interrupted(CallCommand command) implements TwimlEnd {}

  /** For deployments without TwiML on legs: every document "finishes" at once. */
  AnsweredLegRunner SKIP = (leg, then) -> then.apply(new Finished());
}
