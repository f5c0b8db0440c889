package org.switchboard.engine.ring;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.durable.DurableSlot;
import org.switchboard.engine.durable.LegSlot;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.Stashing;
import org.switchboard.engine.protocol.EntityEnd;
import org.switchboard.engine.protocol.LegReport;

/**
 * A leg entity told {@link CallCommand.ResumeLeg} after a restart, before it runs again: reads the
 * leg's {@link LegRecord} from the store and its channel from Asterisk ({@code GET
 * /channels/{id}}), stashing whatever arrives meanwhile, then becomes the resumed {@link LegActor}.
 * A leg the store does not know (it ended before the restart, or memory mode) is reported {@code
 * failed} to its group without any callback, and its channel, if any, is left to the orphan sweep.
 */
final class ResumedLeg {
  private static final Logger LOG = LoggerFactory.getLogger(ResumedLeg.class);
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(20);
  private static final int STASH = 256;

  private record Loaded(Optional<LegRecord> stored, Optional<ChannelEvent.ChannelInfo> channel,
      Throwable error) implements CallCommand.Internal {}

  private ResumedLeg() {}

  static Behavior<CallCommand> create(
      String callSid,
      CallCommand.ResumeLeg resume,
      AriPort ari,
      EntityEnd end,
      BiFunction<LegRecord, Optional<ChannelEvent.ChannelInfo>, Behavior<CallCommand>> then) {
    return Behaviors.withStash(STASH, stash -> Behaviors.setup(ctx -> {
      Optional<ActorRef<DurableSlot.Command>> slot = LegSlot.open(ctx, callSid);
      ChannelRef channel = new ChannelRef(resume.spec().serverId(), resume.spec().channelId());
      CompletionStage<Optional<LegRecord>> stored = slot.isEmpty()
          ? CompletableFuture.completedFuture(Optional.empty())
          : AskPattern.<DurableSlot.Command, DurableSlot.Loaded>ask(slot.get(),
                  DurableSlot.Get::new, LOAD_TIMEOUT, ctx.getSystem().scheduler())
              .thenApply(l -> l.value().map(LegRecord.class::cast));
      ctx.pipeToSelf(
          stored.thenCompose(r -> r.isEmpty()
              ? CompletableFuture.completedFuture(new Loaded(r, Optional.empty(), null))
              : ari.channel(channel).thenApply(c -> new Loaded(r, c, null))),
          (loaded, error) -> error != null
              ? new Loaded(Optional.empty(), Optional.empty(), error) : loaded);
      return Behaviors.receive(CallCommand.class)
          .onMessage(Loaded.class, loaded -> {
            if (loaded.error() != null || loaded.stored().isEmpty()) {
              LOG.warn("leg {}: taken back by its dial but {}; reported failed", callSid,
                  loaded.error() != null ? "its state could not be read: " + loaded.error()
                      : "the store does not know it (it ended before the restart)");
              resume.reportTo().tell(new LegReport.LegEnded(
                  callSid, DialStatuses.FAILED, 0, Optional.empty()));
              slot.ifPresent(s -> s.tell(new DurableSlot.Forget()));
              return end.end(ctx);
            }
            return stash.unstashAll(then.apply(loaded.stored().get(), loaded.channel()));
          })
          .onMessage(CallCommand.class, other -> Stashing.keep(stash, ctx, other))
          .build();
    }));
  }
}
