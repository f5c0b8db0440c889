package org.switchboard.engine.ring;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.pekko.actor.typed.RecipientRef;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.MediaPort;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.queue.QueueActor;

/**
 * The collaborators of a {@link DialSession}.
 *
 * @param callEntities the call entity of a CallSid (sharding EntityRef in production)
 * @param queues the queue entity of a queue name
 * @param recordingUrl the public RecordingUrl of a RecordingSid (signed /recordings link)
 * @param media reads finished recordings for {@code <Dial trim="trim-silence">}
 */
public record DialContext(
    AriPort ari,
    WebhookPort webhooks,
    DialPlan plan,
    LegSettings settings,
    Function<String, RecipientRef<CallCommand>> callEntities,
    Function<String, RecipientRef<QueueActor.Command>> queues,
    Function<String, URI> recordingUrl,
    MediaPort media) {
  /** A media port that reads no recordings: a trimmed dial recording is kept whole. */
  private static final MediaPort NO_MEDIA = url -> CompletableFuture.failedFuture(
      new UnsupportedOperationException("no media port"));

  public DialContext {
    Objects.requireNonNull(ari, "ari");
    Objects.requireNonNull(webhooks, "webhooks");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(callEntities, "callEntities");
    Objects.requireNonNull(queues, "queues");
    Objects.requireNonNull(recordingUrl, "recordingUrl");
    Objects.requireNonNull(media, "media");
  }

  /** Without a media port: dial recordings are kept whole. */
  public DialContext(AriPort ari, WebhookPort webhooks, DialPlan plan, LegSettings settings,
      Function<String, RecipientRef<CallCommand>> callEntities,
      Function<String, RecipientRef<QueueActor.Command>> queues,
      Function<String, URI> recordingUrl) {
    this(ari, webhooks, plan, settings, callEntities, queues, recordingUrl, NO_MEDIA);
  }
}
