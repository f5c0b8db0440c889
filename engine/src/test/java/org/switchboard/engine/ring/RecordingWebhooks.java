package org.switchboard.engine.ring;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.switchboard.engine.port.WebhookPort;

/** A {@link WebhookPort} that records notifications; fetch is not used by these actors. */
final class RecordingWebhooks implements WebhookPort {
  final LinkedBlockingQueue<WebhookRequest> notified = new LinkedBlockingQueue<>();

  @Override
  public CompletionStage<WebhookResponse> fetch(WebhookRequest request) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("fetch"));
  }

  @Override
  public void notify(WebhookRequest request) {
    notified.add(request);
  }

  /** The next notification, failing after {@code timeout}. */
  WebhookRequest next(Duration timeout) {
    try {
      WebhookRequest r = notified.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (r == null) {
        throw new AssertionError("no webhook notification within " + timeout);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String param(WebhookRequest r, String name) {
    return r.params().stream()
        .filter(e -> e.getKey().equals(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }
}
