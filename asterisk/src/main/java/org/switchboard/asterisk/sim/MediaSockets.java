package org.switchboard.asterisk.sim;

import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * chan_websocket's incoming connections, {@code GET /media/<connection id>} with the {@code media}
 * subprotocol, as Asterisk 22.10 serves them: 404 for an unknown id, 409 when that channel already
 * has its socket; on connect the channel is answered and the TEXT event
 * {@code MEDIA_START connection_id:… channel:… channel_id:… format:… optimal_frame_size:… ptime:20}
 * (recorded from a real Asterisk 22.10.1) precedes the BINARY media frames; what the application
 * sends is queued and played one frame per 20 ms tick, with chan_websocket's control commands and
 * events ({@link ChanWebSocketQueue}); the socket closing hangs the channel up.
 */
final class MediaSockets {
  private static final int BUFFER = 256;
  private final ActorSystem system;
  private final SimCore core;

  MediaSockets(ActorSystem system, SimCore core) {
    this.system = system;
    this.core = core;
  }

  /** Handles {@code /media/<connection id>}. */
  HttpResponse handle(HttpRequest request, String connectionId) {
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isEmpty()) {
      return HttpResponse.create().withStatus(400);
    }
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> out =
        Source.<Message>queue(BUFFER).preMaterialize(system);
    BoundedSourceQueue<Message> queue = out.first();
    SimChannel channel = core.locked(() -> {
      ExternalMedia media = core.externalMedia.values().stream()
          .filter(m -> connectionId.equals(m.connectionId)).findFirst().orElse(null);
      SimChannel c = media == null ? null : core.channels.get(media.channelId);
      if (c == null || c.destroyed || media.webSocketConnected()) {
        return c;
      }
      media.webSocketConnected(
          frame -> queue.offer(BinaryMessage.create(ByteString.fromArray(frame))).isEnqueued(),
          event -> queue.offer(TextMessage.create(event)));
      queue.offer(TextMessage.create("MEDIA_START connection_id:" + connectionId + " channel:"
          + c.name + " channel_id:" + c.id + " format:" + media.format.name()
          + " optimal_frame_size:" + media.format.payloadBytes() + " ptime:20"));
      core.stateChange(c, "Up");
      return c;
    });
    if (channel == null || channel.destroyed) {
      return HttpResponse.create().withStatus(404);
    }
    if (!core.locked(() -> channel.media != null
        && channel.media.webSocketConnected())) {
      return HttpResponse.create().withStatus(409);
    }
    ExternalMedia media = core.locked(() -> channel.media);
    Sink<Message, NotUsed> incoming = Flow.<Message>create()
        .mapAsync(1, m -> m.isText()
            ? m.asTextMessage().toStrict(10_000, Materializer.matFromSystem(system))
                .thenApply(t -> (Object) t.getStrictText())
            : m.asBinaryMessage().toStrict(10_000, Materializer.matFromSystem(system))
                .thenApply(b -> (Object) b.getStrictData().toArray()))
        .to(Sink.foreach(m -> {
          if (m instanceof byte[] bytes) {
            media.receivedBinary(bytes);
          } else {
            media.receivedText((String) m);
          }
        }))
        .mapMaterializedValue(m -> NotUsed.getInstance());
    Source<Message, NotUsed> outgoing = out.second().watchTermination((mat, done) -> {
      done.whenComplete((d, e) -> core.locked(() ->
          core.hangup(channel, 16, SimCore.HangupStart.REMOTE)));
      return mat;
    });
    return upgrade.get().handleMessagesWith(Flow.fromSinkAndSourceCoupled(incoming, outgoing),
        ExternalMediaSubprotocol.NAME);
  }

  /** The subprotocol chan_websocket registers. */
  static final class ExternalMediaSubprotocol {
    static final String NAME = "media";

    private ExternalMediaSubprotocol() {}
  }
}
