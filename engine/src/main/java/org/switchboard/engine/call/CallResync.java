package org.switchboard.engine.call;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * A call's answer to {@link CallCommand.ServerResynced}: the events of an ARI gap are lost (as on
 * Asterisk, which sends nothing to an application without a socket and replays nothing), so the
 * call asks Asterisk what became of what it was waiting for, and delivers to itself the events
 * the gap swallowed, so every consequence (script step, status callback, Dial action, the
 * delegations' cleanup) takes the ordinary path:
 *
 * <ul>
 *   <li>its channel is gone ({@code GET /channels/{id}} 404) → {@code ChannelDestroyed};
 *   <li>a playback it started is gone ({@code GET /playbacks/{id}} 404) → {@code PlaybackFinished};
 *   <li>a recording it started is no longer live → {@code RecordingFinished} with the stored
 *       file's length, or {@code RecordingFailed} when no file was stored either;
 *   <li>the bridge its channel last entered is gone or no longer holds it ({@code GET
 *       /bridges/{id}}) → {@code LeftBridge}, which ends a {@code <Dial>}'s bridge session.
 * </ul>
 *
 * Only playbacks and recordings whose start Asterisk acknowledged are checked, so a command still
 * on its way is not taken for a finished one. A {@code <Gather>} needs nothing: its timers run.
 * A duplicate (the real event arriving after the synthetic one) is harmless: the script matches
 * playback ids and recording names, and teardown ignores late events.
 */
final class CallResync {
  private static final Logger LOG = LoggerFactory.getLogger(CallResync.class);
  /** The cause given to a channel that vanished during a gap (Q.850 16, normal clearing). */
  static final int GONE_CAUSE = 16;

  /** A playback or recording start that Asterisk acknowledged. */
  record Accepted(String id) implements ScriptRunner.Internal {}

  /** The events found missing after a reconnect (in order), or the error of the queries. */
  record Checked(List<ChannelEvent> missed, Throwable error) implements ScriptRunner.Internal {}

  private final ActorContext<CallCommand> ctx;
  private final CallServices services;
  private final ChannelRef channel;
  private final CallEffects media;
  /** Made on the first acceptance ({@link CallEffects#growable}). */
  private Set<String> accepted = java.util.Collections.emptySet();
  private Optional<String> bridge = Optional.empty();

  /** The resync of the call on {@code channel}, whose live media {@code media} knows. */
  CallResync(
      ActorContext<CallCommand> ctx, CallServices services, ChannelRef channel, CallEffects media) {
    this.ctx = ctx;
    this.services = services;
    this.channel = channel;
    this.media = media;
  }

  /** Follows the bridge membership of the call's own channel. */
  void track(ChannelEvent event) {
    if (event instanceof ChannelEvent.EnteredBridge e && e.id().equals(channel.channelId())) {
      bridge = Optional.of(e.bridge());
    } else if (event instanceof ChannelEvent.LeftBridge l
        && l.id().equals(channel.channelId()) && bridge.equals(Optional.of(l.bridge()))) {
      bridge = Optional.empty();
    }
  }

  /** Remembers that {@code id} (playback id or recording name) exists on Asterisk. */
  Behavior<CallCommand> onAccepted(Accepted a) {
    if (media.livePlaybacks().contains(a.id()) || media.liveRecordings().contains(a.id())) {
      accepted = CallEffects.growable(accepted);
      accepted.add(a.id());
    }
    return Behaviors.same();
  }

  /** The link to a server came back: ask Asterisk about the call's resources on it. */
  Behavior<CallCommand> onServerResynced(CallCommand.ServerResynced resynced) {
    if (!resynced.serverId().equals(channel.serverId())) {
      return Behaviors.same();
    }
    accepted.retainAll(union(media.livePlaybacks(), media.liveRecordings()));
    Set<String> playbacks = intersection(media.livePlaybacks(), accepted);
    Set<String> recordings = intersection(media.liveRecordings(), accepted);
    LOG.debug("after reconnect: checking channel {}, playbacks {}, recordings {}", channel,
        playbacks, recordings);
    ctx.pipeToSelf(
        missedEvents(services.ari(), channel,
            resynced.listedChannels().contains(channel.channelId()), playbacks, recordings,
            bridge, services.clock().instant()),
        Checked::new);
    return Behaviors.same();
  }

  /** Delivers the missed events to the call, as if they had come from Asterisk. */
  Behavior<CallCommand> onChecked(Checked checked) {
    if (checked.error() != null) {
      LOG.warn("could not check the call with Asterisk after a reconnect: {}",
          Failures.cause(checked.error()).getMessage());
      return Behaviors.same();
    }
    for (ChannelEvent event : checked.missed()) {
      LOG.info("after reconnect: {} was lost in the gap; acting on it",
          event.getClass().getSimpleName());
      ctx.getSelf().tell(new CallCommand.Deliver(event, ctx.getSystem().ignoreRef()));
    }
    return Behaviors.same();
  }

  /**
   * The events a call on {@code channel} missed: only {@code ChannelDestroyed} when the channel
   * is gone, else one event per playback and recording that ended, and {@code LeftBridge} when
   * {@code bridge} no longer holds the channel. A channel the snapshot {@code listed} exists;
   * any other is looked up.
   */
  static CompletionStage<List<ChannelEvent>> missedEvents(
      AriPort ari, ChannelRef channel, boolean listed, Set<String> playbacks,
      Set<String> recordings, Optional<String> bridge, Instant now) {
    String server = channel.serverId();
    Optional<String> target = Optional.of(channel.channelId());
    CompletionStage<Boolean> exists = listed
        ? CompletableFuture.completedFuture(true)
        : ari.channel(channel).thenApply(Optional::isPresent);
    return exists.thenCompose(found -> {
      if (!found) {
        return CompletableFuture.completedFuture(List.<ChannelEvent>of(
            new ChannelEvent.ChannelDestroyed(server, now, channel.channelId(), GONE_CAUSE,
                "Normal Clearing")));
      }
      List<CompletableFuture<Optional<ChannelEvent>>> checks = new ArrayList<>();
      for (String id : playbacks) {
        checks.add(ari.playbackExists(server, id).thenApply(live -> live
            ? Optional.<ChannelEvent>empty()
            : Optional.<ChannelEvent>of(new ChannelEvent.PlaybackFinished(server, now, id, target,
                Optional.empty(), false))).toCompletableFuture());
      }
      for (String name : recordings) {
        checks.add(recordingEnd(ari, server, name, target, now).toCompletableFuture());
      }
      bridge.ifPresent(id -> checks.add(ari.bridgeChannels(server, id).thenApply(members ->
          members.filter(m -> m.contains(channel.channelId())).isPresent()
              ? Optional.<ChannelEvent>empty()
              : Optional.<ChannelEvent>of(new ChannelEvent.LeftBridge(server, now,
                  channel.channelId(), id))).toCompletableFuture()));
      return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
          .thenApply(v -> checks.stream().map(CompletableFuture::join)
              .flatMap(Optional::stream).toList());
    });
  }

  private static CompletionStage<Optional<ChannelEvent>> recordingEnd(
      AriPort ari, String server, String name, Optional<String> target, Instant now) {
    return ari.liveRecordingExists(server, name).thenCompose(live -> live
        ? CompletableFuture.completedFuture(Optional.<ChannelEvent>empty())
        : ari.storedRecording(server, name).thenApply(stored -> Optional.of(stored
            .<ChannelEvent>map(s -> new ChannelEvent.RecordingFinished(server, now, name, target,
                Optional.empty(), s.durationSeconds()))
            .orElseGet(() -> new ChannelEvent.RecordingFailed(server, now, name, target,
                Optional.empty(), "recording ended during an ARI reconnect; no file stored")))));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return u;
  }

  private static Set<String> intersection(Set<String> a, Set<String> b) {
    Set<String> i = new HashSet<>(a);
    i.retainAll(b);
    return i;
  }
}
