package org.switchboard.engine.hotline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.MediaResolver;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.LatePlays;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.queue.QueueNotice;

/**
 * The {@code <Queue url>} announcement a dequeued caller hears before the bridge (spec §4.11):
 * the URL is requested with the call's parameters plus QueueSid, QueueTime and DequeingCallSid;
 * its {@code <Say>} and {@code <Play>} verbs are played in one playback on the caller's channel
 * ({@code <CallSid>-announce-<n>}); other verbs are not allowed there and are skipped with a
 * warning. Any failure ends the announcement early: the bridge matters more than the message.
 * Used inside a {@link QueueMembership}.
 */
final class QueueAnnouncement {
  private static final Logger LOG = LoggerFactory.getLogger(QueueAnnouncement.class);

  /** Makes the announcement of one membership. */
  @FunctionalInterface
  interface Factory {
    QueueAnnouncement create(ActorContext<QueueMembership.Command> ctx, CallDelegates.Context call);
  }

  private final ActorContext<QueueMembership.Command> ctx;
  private final CallDelegates.Context call;
  private final AriPort ari;
  private final WebhookPort webhooks;
  private final MediaResolver resolver;
  private int count;
  /** The announcement's playback, from its start until it finished or was stopped. */
  private LatePlays.Play playback;

  QueueAnnouncement(
      ActorContext<QueueMembership.Command> ctx, CallDelegates.Context call, AriPort ari,
      WebhookPort webhooks, MediaResolver resolver) {
    this.ctx = ctx;
    this.call = call;
    this.ari = ari;
    this.webhooks = webhooks;
    this.resolver = resolver;
  }

  /** Fetches and plays the announcement of {@code d}; {@code done} gets {@code AnnouncementDone}. */
  void start(QueueNotice.Dequeued d, ActorRef<QueueMembership.Command> done) {
    LegSpec.TwimlSource source = d.url().orElseThrow();
    List<Map.Entry<String, String>> params = new ArrayList<>(call.callParams());
    params.add(Map.entry("QueueSid", d.queueSid()));
    params.add(Map.entry("QueueTime", Integer.toString(d.queueTimeSeconds())));
    params.add(Map.entry("DequeingCallSid", d.dequeuerCallSid()));
    String id = call.callSid() + "-announce-" + (++count);
    LatePlays.Play play =
        LatePlays.get(ctx.getSystem()).prepare(ari, call.channel().serverId(), id);
    playback = play;
    CompletionStage<Boolean> played =
        webhooks
            .fetch(new WebhookPort.WebhookRequest(source.url(), source.method(), List.copyOf(params),
                call.callSid(), "queue-url"))
            .thenCompose(response -> resolve(response))
            .thenCompose(media -> media.isEmpty()
                ? CompletableFuture.completedFuture(false)
                : play.start(() -> ari.play(call.channel(), id, media)));
    ctx.pipeToSelf(played, (started, error) -> {
      if (error != null) {
        LOG.warn("{} <Queue url> announcement failed: {}", call.callSid(),
            Failures.cause(error).getMessage());
        return new QueueMembership.AnnouncementDone();
      }
      return started ? new QueueMembership.AnnouncementStarted() : new QueueMembership.AnnouncementDone();
    });
  }

  /** Ends the announcement when its playback finished; to be fed the call's events. */
  void onEvent(ChannelEvent event) {
    if (event instanceof ChannelEvent.PlaybackFinished f && playback != null
        && f.playbackId().equals(playback.playbackId())) {
      playback = null;
      ctx.getSelf().tell(new QueueMembership.AnnouncementDone());
    }
  }

  /**
   * Stops the announcement, however far it got: not played yet, it never will be; played, it is
   * stopped, and again if it turns out to run after that ({@link LatePlays}).
   */
  void stop() {
    if (playback != null) {
      playback.stop();
      playback = null;
    }
  }

  private CompletionStage<List<String>> resolve(WebhookPort.WebhookResponse response) {
    return AnnouncementMedia.media(response, resolver, call.callSid(), "<Queue url>");
  }
}
