package org.switchboard.engine.protocol;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.event.Level;

/**
 * The supervision of the behaviours that own a call ({@code CallActor}, {@code LegActor}): an
 * exception thrown while a message or signal is handled never stops the actor silently. It is
 * caught at the message-handling boundary and handed to the owner's {@link Handler}, which turns
 * it into the call's error path (fallback URL, else the error prompt, then hangup) or, failing
 * that, a last-resort teardown that hangs the channel up and sends the final callback, and returns
 * the behaviour to go on with. The actor's state is kept: restarting it would lose the call.
 *
 * <p>A handler that rethrows passes the failure to the boundary around it (an answered leg's
 * TwiML runs inside its leg). What still escapes is stopped by an explicit {@code stop}
 * supervisor, logged at ERROR.
 */
public final class FailureBoundary {

  /** What an owner does with a failure. */
  @FunctionalInterface
  public interface Handler<T> {
    /**
     * {@code error} was thrown while {@code message} (a message or a {@link Signal}) was handled;
     * returns the behaviour to go on with, or rethrows to the boundary around this one.
     */
    Behavior<T> onFailure(RuntimeException error, Object message);
  }

  private FailureBoundary() {}

  /** {@code behavior}, and every behaviour it becomes, with failures going to {@code handler}. */
  public static <T> Behavior<T> guard(Class<T> type, Handler<T> handler, Behavior<T> behavior) {
    Behavior<T> caught = Behaviors.intercept(() -> new Interceptor<>(type, handler), behavior);
    return Behaviors.supervise(caught)
        .onFailure(
            RuntimeException.class,
            SupervisorStrategy.stop().withLoggingEnabled(true).withLogLevel(Level.ERROR));
  }

  /** Describes a message for a log line without dumping its whole content. */
  public static String describe(Object message) {
    return message == null ? "null" : message.getClass().getSimpleName();
  }

  private static final class Interceptor<T> extends BehaviorInterceptor<T, T> {
    private final Handler<T> handler;

    Interceptor(Class<T> type, Handler<T> handler) {
      super(type);
      this.handler = handler;
    }

    @Override
    public Behavior<T> aroundReceive(TypedActorContext<T> ctx, T msg, ReceiveTarget<T> target) {
      try {
        return target.apply(ctx, msg);
      } catch (RuntimeException e) {
        return handler.onFailure(e, msg);
      }
    }

    @Override
    public Behavior<T> aroundSignal(
        TypedActorContext<T> ctx, Signal signal, SignalTarget<T> target) {
      try {
        return target.apply(ctx, signal);
      } catch (RuntimeException e) {
        return handler.onFailure(e, signal);
      }
    }
  }
}
