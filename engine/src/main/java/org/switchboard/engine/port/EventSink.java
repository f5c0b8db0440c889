package org.switchboard.engine.port;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Where the asterisk module's router hands events to the engine. {@link #deliver} completes once
 * the owning actor has accepted the event; the router waits for that before handing the same
 * channel its next event (order per channel) and bounds how many it holds unacknowledged (so a
 * stalled consumer slows the socket read instead of losing events).
 */
public interface EventSink {

  CompletionStage<Done> deliver(ChannelEvent event);

  void serverEvent(ServerEvent event);
}
