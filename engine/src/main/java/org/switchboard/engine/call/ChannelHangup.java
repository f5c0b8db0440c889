package org.switchboard.engine.call;

import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.ConfirmedHangup;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.EntityEnd;

/**
 * A call entity that only hangs a channel up, for a channel no script runs on: a new call refused
 * at the door (the node drains or sheds load) or an orphan found after a reconnect. A channel is
 * not let go while it is up: the hangup is sent again ({@link ConfirmedHangup}) until Asterisk
 * confirms it ({@code 204}, or {@code 404}: gone) or the channel's {@code ChannelDestroyed}
 * arrives, then the entity ends. The channel counts in {@link ActiveCalls#hangupsPending()}
 * meanwhile, so {@code /health} never says a channel is down before Asterisk does.
 */
final class ChannelHangup {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelHangup.class);

  private sealed interface Internal extends CallCommand.Internal permits Answered, Retry {}

  /** An attempt's answer; {@code error} null for a success. */
  private record Answered(Throwable error) implements Internal {}

  private record Retry() implements Internal {}

  private enum TimerKey {
    NO_ANSWER
  }

  private final ActorContext<CallCommand> ctx;
  private final TimerScheduler<CallCommand> timers;
  private final CallServices services;
  private final String callSid;
  private final ChannelRef channel;
  private final HangupReason reason;
  private final EntityEnd end;
  private final ConfirmedHangup hangup;

  private ChannelHangup(ActorContext<CallCommand> ctx, TimerScheduler<CallCommand> timers,
      CallServices services, String callSid, ChannelRef channel, HangupReason reason,
      EntityEnd end) {
    this.ctx = ctx;
    this.timers = timers;
    this.services = services;
    this.callSid = callSid;
    this.channel = channel;
    this.reason = reason;
    this.end = end;
    this.hangup = ConfirmedHangup.of(services.ari(), channel, ctx);
  }

  /** Hangs {@code channel} up with {@code reason} until Asterisk confirms, then ends the entity. */
  static Behavior<CallCommand> create(String callSid, ChannelRef channel, HangupReason reason,
      CallServices services, EntityEnd end) {
    return Behaviors.withMdc(CallCommand.class, Map.of("CallSid", callSid),
        Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new ChannelHangup(ctx, timers, services, callSid, channel, reason, end).hangingUp())));
  }

  /**
   * Sends the hangup and waits for its answer; a failure (or no answer within the teardown grace)
   * sends it again after {@link ConfirmedHangup#backoff}; 204, 404 or {@code ChannelDestroyed} end
   * the entity.
   */
  private Behavior<CallCommand> hangingUp() {
    services.activeCalls().hangupPending(callSid);
    send();
    return Behaviors.receive(CallCommand.class)
        .onMessage(CallCommand.Deliver.class, this::onEvent)
        .onMessage(Answered.class, this::onAnswered)
        .onMessage(Retry.class, m -> {
          send();
          return Behaviors.same();
        })
        .onMessage(CallCommand.class, m -> Behaviors.same())
        .build();
  }

  /** Sends an attempt; NO_ANSWER sends another if no answer comes within the teardown grace. */
  private void send() {
    ctx.pipeToSelf(hangup.send(reason), (ok, err) -> new Answered(err));
    timers.startSingleTimer(TimerKey.NO_ANSWER, new Retry(),
        services.settings().teardownGrace().plus(ConfirmedHangup.backoff(hangup.failures())));
  }

  private Behavior<CallCommand> onAnswered(Answered answered) {
    ActorRef<CallCommand> self = ctx.getSelf();
    ConfirmedHangup.Answer answer = hangup.answered(answered.error(), () -> self.tell(new Retry()));
    if (!(answer instanceof ConfirmedHangup.Failed failed)) {
      return gone();
    }
    timers.cancel(TimerKey.NO_ANSWER); // the attempt after the backoff replaces the no-answer one
    LOG.warn("hangup of {} ({}) failed ({}); sending it again in {}", channel, reason.wire(),
        failed.cause().getMessage(), failed.retryIn());
    return Behaviors.same();
  }

  private Behavior<CallCommand> onEvent(CallCommand.Deliver deliver) {
    deliver.ack().tell(Done.getInstance());
    ChannelEvent event = deliver.event();
    boolean destroyed = event instanceof ChannelEvent.ChannelDestroyed d
        && d.channelId().filter(channel.channelId()::equals).isPresent();
    return destroyed ? gone() : Behaviors.same();
  }

  private Behavior<CallCommand> gone() {
    timers.cancelAll();
    hangup.stop();
    services.activeCalls().hangupConfirmed(callSid);
    LOG.debug("channel {} is gone", channel);
    return end.end(ctx);
  }
}
