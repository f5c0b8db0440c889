package org.switchboard.engine.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.switchboard.engine.port.WebhookPort;

/**
 * An in-memory TwiML application: answers per URL as scripted (the query string counts) and
 * records every fetch and notify with its parameters. Unscripted URLs answer 404.
 */
public final class FakeWebhookPort implements WebhookPort {

  /** A recorded request; {@code callback} tells callbacks from document fetches. */
  public record Seen(WebhookRequest request, boolean callback) {
    public String param(String name) {
      return request.params().stream()
          .filter(e -> e.getKey().equals(name))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse(null);
    }

    public URI url() {
      return request.url();
    }
  }

  private final Map<URI, List<WebhookResponse>> answers = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<Seen> fetches = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Seen> notifies = new LinkedBlockingQueue<>();
  private final List<Seen> all = new ArrayList<>();

  /** {@code url} answers 200 text/xml with {@code twiml} (every time). */
  public FakeWebhookPort twiml(String url, String twiml) {
    return respond(url, 200, "text/xml", twiml);
  }

  /** {@code url} answers with this status, type and body (every time). */
  public FakeWebhookPort respond(String url, int status, String contentType, String body) {
    answers.put(URI.create(url), List.of(new WebhookResponse(URI.create(url), status, contentType,
        body.getBytes(StandardCharsets.UTF_8))));
    return this;
  }

  @Override
  public CompletionStage<WebhookResponse> fetch(WebhookRequest request) {
    Seen seen = new Seen(request, false);
    synchronized (all) {
      all.add(seen);
    }
    fetches.add(seen);
    List<WebhookResponse> answer = answers.get(request.url());
    if (answer == null) {
      return CompletableFuture.completedFuture(
          new WebhookResponse(request.url(), 404, "text/plain", new byte[0]));
    }
    return CompletableFuture.completedFuture(answer.get(0));
  }

  @Override
  public void notify(WebhookRequest request) {
    Seen seen = new Seen(request, true);
    synchronized (all) {
      all.add(seen);
    }
    notifies.add(seen);
  }

  /** How many fetches and callbacks were made so far. */
  public int count() {
    synchronized (all) {
      return all.size();
    }
  }

  /** The next document fetch, within {@code timeout}. */
  public Seen nextFetch(Duration timeout) {
    return poll(fetches, timeout, "fetch");
  }

  /** The next callback, within {@code timeout}. */
  public Seen nextNotify(Duration timeout) {
    return poll(notifies, timeout, "notify");
  }

  /** Asserts that no callback arrives within {@code window}. */
  public void expectNoNotify(Duration window) {
    try {
      Seen s = notifies.poll(window.toMillis(), TimeUnit.MILLISECONDS);
      if (s != null) {
        throw new AssertionError("unexpected callback " + s.request().url() + " " + s.request().params());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Seen poll(LinkedBlockingQueue<Seen> queue, Duration timeout, String what) {
    try {
      Seen s = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (s == null) {
        synchronized (all) {
          throw new AssertionError("no " + what + " within " + timeout + "; seen " + all.stream()
              .map(x -> x.request().url() + (x.callback() ? " (notify)" : "")).toList());
        }
      }
      return s;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
