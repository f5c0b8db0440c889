package org.switchboard.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.EventSink;
import org.switchboard.engine.port.ServerEvent;

/**
 * An {@link EventSink} whose target is set after construction: the call system needs the ARI
 * port, and the ARI connector needs the call system's sink. Events that arrive before the target
 * is set wait for it (they are acknowledged only once delivered), so nothing is lost.
 */
final class LateEventSink implements EventSink {
  private final CompletableFuture<EventSink> target = new CompletableFuture<>();

  void set(EventSink sink) {
    target.complete(sink);
  }

  @Override
  public CompletionStage<Done> deliver(ChannelEvent event) {
    return target.thenCompose(sink -> sink.deliver(event));
  }

  @Override
  public void serverEvent(ServerEvent event) {
    target.thenAccept(sink -> sink.serverEvent(event));
  }
}
