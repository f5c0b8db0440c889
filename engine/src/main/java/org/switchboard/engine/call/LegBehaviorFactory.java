package org.switchboard.engine.call;

import org.apache.pekko.actor.typed.Behavior;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.EntityEnd;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.twiml.verb.CallStatus;

/**
 * Makes the behaviour of an outbound leg: the hook through which the ring/leg actors take over a
 * call entity that receives {@link CallCommand.StartLeg}. The leg's channel id (chosen before
 * originating) must not use the {@code <CallSid>-<kind>-<n>} form, so its events route to its own
 * entity ({@link CallRouting}).
 */
@FunctionalInterface
public interface LegBehaviorFactory {

  /**
   * The behaviour of the entity {@code callSid} from {@code start} on; when the leg is over it
   * becomes {@code end.end(...)}, so trailing events are acknowledged while the entity passivates.
   */
  Behavior<CallCommand> leg(
      String callSid, CallCommand.StartLeg start, CallServices services, EntityEnd end);

  /**
   * The behaviour of the entity {@code callSid} taken back by its dial after a restart ({@link
   * CallCommand.ResumeLeg}). Engines without durable legs report it failed.
   */
  default Behavior<CallCommand> resumeLeg(
      String callSid, CallCommand.ResumeLeg resume, CallServices services, EntityEnd end) {
    return org.apache.pekko.actor.typed.javadsl.Behaviors.setup(ctx -> {
      ctx.getLog().warn("call {}: this engine cannot take a leg back after a restart", callSid);
      resume.reportTo().tell(new LegReport.LegEnded(
          callSid, CallStatus.FAILED.wire(), 0, java.util.Optional.empty()));
      return end.end(ctx);
    });
  }

  /**
   * After a restart Asterisk still holds the channel of {@code leg}, a {@code /ring} leg the store
   * knows: its ring (the API request that rang it) is to be taken back, which tells each of its
   * legs {@link CallCommand.ResumeLeg}. Called once per such leg; engines without rings do nothing
   * (the leg is hung up as an orphan after its graces).
   */
  default void ringLegFound(org.apache.pekko.actor.typed.ActorSystem<?> system,
      org.switchboard.engine.protocol.LegSpec leg) {}

  /** For engines without legs: the request is refused with a failed {@link LegReport.LegEnded}. */
  LegBehaviorFactory UNSUPPORTED =
      (callSid, start, services, end) ->
          org.apache.pekko.actor.typed.javadsl.Behaviors.setup(
              ctx -> {
                ctx.getLog().warn("call {}: outbound legs are not available in this engine", callSid);
                start.reportTo().tell(
                    new LegReport.LegEnded(
                        callSid, CallStatus.FAILED.wire(), 0, java.util.Optional.empty()));
                return end.end(ctx);
              });
}
