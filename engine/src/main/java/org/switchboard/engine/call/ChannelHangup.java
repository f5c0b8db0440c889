package org.switchboard.engine.call;

import java.time.Duration;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.EntityEnd;

/**
 * A call entity that only hangs a channel up, for a channel no script runs on: a new call refused
 * at the door (the node drains or sheds load) or an orphan found after a reconnect. A channel is
 * not let go while it is up: the hangup is sent again with {@link #backoff} until Asterisk
 * confirms it ({@code 204}, or {@code 404}: gone) or the channel's {@code ChannelDestroyed}
 * arrives, then the entity ends. The channel counts in {@link ActiveCalls#hangupsPending()}
 * meanwhile, so {@code /health} never says a channel is down before Asterisk does.
 */
final class ChannelHangup {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelHangup.class);

  private sealed interface Internal extends CallCommand.Internal permits Confirmed, Failed, Retry {}

  private record Confirmed() implements Internal {}

  private record Failed(Throwable error) implements Internal {}

  private record Retry() implements Internal {}

  private enum TimerKey {
    RETRY
  }

  private final ActorContext<CallCommand> ctx;
  private final TimerScheduler<CallCommand> timers;
  private final CallServices services;
  private final String callSid;
  private final ChannelRef channel;
  private final HangupReason reason;
  private final EntityEnd end;
  private int failures;

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
  }

  /** Hangs {@code channel} up with {@code reason} until Asterisk confirms, then ends the entity. */
  static Behavior<CallCommand> create(String callSid, ChannelRef channel, HangupReason reason,
      CallServices services, EntityEnd end) {
    return Behaviors.withMdc(CallCommand.class, Map.of("CallSid", callSid),
        Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new ChannelHangup(ctx, timers, services, callSid, channel, reason, end).hangingUp())));
  }

  /**
   * The wait before the next attempt after {@code failures} failed ones: 1 s, doubled up to 30 s.
   */
  static Duration backoff(int failures) {
    return Duration.ofSeconds(Math.min(30, 1L << Math.min(5, Math.max(0, failures - 1))));
  }

  /**
   * Sends the hangup and waits for its answer; a failure (or no answer within the teardown grace)
   * sends it again after {@link #backoff}; 204, 404 or {@code ChannelDestroyed} end the entity.
   */
  private Behavior<CallCommand> hangingUp() {
    services.activeCalls().hangupPending(callSid);
    send();
    return Behaviors.receive(CallCommand.class)
        .onMessage(CallCommand.Deliver.class, this::onEvent)
        .onMessage(Confirmed.class, m -> gone())
        .onMessage(Failed.class, this::onFailed)
        .onMessage(Retry.class, m -> {
          send();
          return Behaviors.same();
        })
        .onMessage(CallCommand.class, m -> Behaviors.same())
        .build();
  }

  private void send() {
    try {
      ctx.pipeToSelf(services.ari().hangup(channel, reason),
          (ok, err) -> err == null ? new Confirmed() : new Failed(err));
      timers.startSingleTimer(TimerKey.RETRY, new Retry(),
          services.settings().teardownGrace().plus(backoff(failures)));
    } catch (RuntimeException e) {
      ctx.getSelf().tell(new Failed(e));
    }
  }

  private Behavior<CallCommand> onFailed(Failed failed) {
    Throwable error = Failures.cause(failed.error());
    if (error instanceof AriCommandException ace && ace.isNotFound()) {
      return gone();
    }
    failures++;
    LOG.warn("hangup of {} ({}) failed ({}); sending it again in {}", channel, reason.wire(),
        error.getMessage(), backoff(failures));
    timers.startSingleTimer(TimerKey.RETRY, new Retry(), backoff(failures));
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
    services.activeCalls().hangupConfirmed(callSid);
    LOG.debug("channel {} is gone", channel);
    return end.end(ctx);
  }
}
