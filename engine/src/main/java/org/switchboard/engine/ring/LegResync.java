package org.switchboard.engine.ring;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.protocol.CallCommand;

/**
 * A leg's answer to {@link CallCommand.ServerResynced}: it asks Asterisk for its channel and
 * delivers to itself the events an ARI gap swallowed, so the leg's ordinary handlers run (final
 * report to the ring group or dial, status callback, bridge teardown):
 *
 * <ul>
 *   <li>the channel is gone → {@code ChannelDestroyed} (cause 16 once answered; cause 0 before,
 *       so the outcome comes from the last {@code Dial} status, else {@code failed});
 *   <li>the channel is {@code Up} but the leg never saw it enter Stasis (the answer's {@code Dial}
 *       and {@code StasisStart} were lost) → {@code StasisEntered}, and the leg is claimed.
 * </ul>
 *
 * A leg whose originate has not replied yet is not checked (its channel may not exist yet); one
 * that already sent its final report has nothing to learn; an answered leg whose channel the
 * snapshot listed is known to exist. A ringing leg is always asked about, for its state.
 */
final class LegResync {
  private static final Logger LOG = LoggerFactory.getLogger(LegResync.class);

  /** What {@code GET /channels/{id}} said, or its error. */
  record Checked(Optional<ChannelEvent.ChannelInfo> channel, Throwable error)
      implements LegActor.Internal {}

  /** The leg's state as far as a resync needs it, when the message arrives. */
  record LegState(boolean originatePending, boolean ended, boolean answered, boolean inStasis) {}

  private final ActorContext<CallCommand> context;
  private final AriPort ari;
  private final ChannelRef channel;
  private final String callSid;
  private final Clock clock;

  LegResync(ActorContext<CallCommand> context, AriPort ari, ChannelRef channel, String callSid,
      Clock clock) {
    this.context = context;
    this.ari = ari;
    this.channel = channel;
    this.callSid = callSid;
    this.clock = clock;
  }

  /** The link came back: ask Asterisk about the leg's channel. */
  Behavior<CallCommand> onServerResynced(CallCommand.ServerResynced resynced, LegState leg) {
    boolean needed = leg.answered()
        ? !resynced.listedChannels().contains(channel.channelId())
        : true;
    if (resynced.serverId().equals(channel.serverId()) && !leg.originatePending()
        && !leg.ended() && needed) {
      context.pipeToSelf(ari.channel(channel), Checked::new);
    }
    return Behaviors.same();
  }

  /** Delivers the event the gap swallowed, if any, to the leg. */
  Behavior<CallCommand> onChecked(Checked checked, LegState leg) {
    if (checked.error() != null) {
      LOG.warn("{} could not check its channel after a reconnect: {}", callSid,
          Failures.cause(checked.error()).getMessage());
      return Behaviors.same();
    }
    if (leg.ended()) {
      return Behaviors.same();
    }
    Optional<ChannelEvent> missed = checked.channel().isEmpty()
        ? Optional.of(new ChannelEvent.ChannelDestroyed(channel.serverId(), clock.instant(),
            channel.channelId(), leg.answered() ? 16 : 0,
            leg.answered() ? "Normal Clearing" : "Unknown (ended during an ARI reconnect)"))
        : answeredUnseen(checked.channel().get(), leg);
    missed.ifPresent(event -> {
      LOG.info("{} after reconnect: {} was lost in the gap; acting on it", callSid,
          event.getClass().getSimpleName());
      context.getSelf().tell(new CallCommand.Deliver(event, context.getSystem().ignoreRef()));
    });
    return Behaviors.same();
  }

  private Optional<ChannelEvent> answeredUnseen(ChannelEvent.ChannelInfo info, LegState leg) {
    if (leg.inStasis() || !"Up".equalsIgnoreCase(info.state())) {
      return Optional.empty();
    }
    return Optional.of(new ChannelEvent.StasisEntered(channel.serverId(), clock.instant(), info,
        List.of("dial-leg", callSid), Optional.empty()));
  }
}
