package org.switchboard.http.webhook;

import java.net.URI;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.switchboard.engine.port.WebhookPort.WebhookRequest;
import org.switchboard.engine.twiml.verb.Method;

/**
 * A callback waiting in the outbox. {@code id} is also the idempotency token sent with every
 * delivery attempt; times are epoch milliseconds of the outbox clock.
 */
record OutboxEntry(
    String id,
    String url,
    Method method,
    List<List<String>> params,
    String callSid,
    String purpose,
    long createdAt,
    int attempts,
    long nextAttemptAt) {

  static OutboxEntry of(String id, WebhookRequest request, long now) {
    List<List<String>> params = request.params().stream()
        .map(p -> List.of(p.getKey(), p.getValue() == null ? "" : p.getValue()))
        .toList();
    return new OutboxEntry(id, request.url().toString(), request.method(), params,
        request.callSid(), request.purpose(), now, 0, now);
  }

  /** The request to send again. */
  WebhookRequest toRequest() {
    List<Map.Entry<String, String>> entries = params.stream()
        .<Map.Entry<String, String>>map(p -> new AbstractMap.SimpleImmutableEntry<>(p.get(0), p.get(1)))
        .toList();
    return new WebhookRequest(URI.create(url), method, entries, callSid, purpose);
  }

  /** This entry after a failed attempt, due again at {@code next}. */
  OutboxEntry retried(int newAttempts, long next) {
    return new OutboxEntry(id, url, method, params, callSid, purpose, createdAt, newAttempts, next);
  }

  /** The per-call ordering key; callbacks without a CallSid are independent of each other. */
  String orderKey() {
    return callSid != null ? callSid : "#" + id;
  }
}
