package org.switchboard.http.stream;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.twiml.verb.Method;

/**
 * Turns a stream's {@link StreamEvent}s into {@code <Stream statusCallback>} requests (spec §2.6):
 * AccountSid, CallSid, StreamSid, StreamName, StreamEvent, StreamError (on errors) and an ISO 8601
 * Timestamp, sent through {@link WebhookPort#notify} (durable, retried, never affects the call).
 */
final class StreamStatusCallbacks implements StreamListener {

  private static final Logger log = LoggerFactory.getLogger(StreamStatusCallbacks.class);

  private final WebhookPort webhooks;
  private final URI url;
  private final Method method;
  private final String accountSid;
  private final String callSid;

  StreamStatusCallbacks(WebhookPort webhooks, URI url, Method method, String accountSid,
      String callSid) {
    this.webhooks = webhooks;
    this.url = url;
    this.method = method;
    this.accountSid = accountSid;
    this.callSid = callSid;
  }

  @Override
  public void onEvent(StreamEvent event) {
    List<Map.Entry<String, String>> params = new ArrayList<>(List.of(
        Map.entry("AccountSid", accountSid),
        Map.entry("CallSid", callSid),
        Map.entry("StreamSid", event.streamSid()),
        Map.entry("StreamName", event.streamName()),
        Map.entry("StreamEvent", event.type().wire())));
    event.error().ifPresent(error -> params.add(Map.entry("StreamError", error)));
    params.add(Map.entry("Timestamp", event.isoTimestamp()));
    log.debug("stream {} of {}: {} -> {}", event.streamSid(), callSid, event.type().wire(), url);
    webhooks.notify(new WebhookPort.WebhookRequest(url, method, List.copyOf(params), callSid,
        "stream-status"));
  }
}
