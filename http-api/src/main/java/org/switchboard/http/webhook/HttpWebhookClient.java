package org.switchboard.http.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.switchboard.asterisk.client.OwnLatency;
import org.switchboard.engine.port.WebhookPort;

/**
 * The engine's {@link WebhookPort} over HTTP: {@link #fetch} sends a signed form request to the
 * TwiML application (see {@link WebhookHttpSender} for timeouts, retries, redirects and cookies);
 * {@link #notify} hands status and recording callbacks to the durable {@link CallbackOutbox},
 * which delivers them through the same sender.
 */
public final class HttpWebhookClient implements WebhookPort, AutoCloseable {
  private final WebhookHttpSender sender;
  private final CallbackOutbox outbox;
  private final CallCookies cookies;
  private final WebhookMetrics metrics;
  private volatile OwnLatency ownLatency = new OwnLatency();
  private final java.util.concurrent.atomic.AtomicInteger fetchesInFlight =
      new java.util.concurrent.atomic.AtomicInteger();

  private HttpWebhookClient(WebhookHttpSender sender, CallbackOutbox outbox, CallCookies cookies,
      WebhookMetrics metrics) {
    this.sender = sender;
    this.outbox = outbox;
    this.cookies = cookies;
    this.metrics = metrics;
  }

  /** Starts a client with the system clock and fresh metrics. */
  public static HttpWebhookClient start(ClassicActorSystemProvider system, WebhookSettings settings) {
    return start(system, settings, Clock.systemUTC(), new WebhookMetrics());
  }

  /**
   * Starts a client: opens (and replays) the outbox journal and starts its delivery loop.
   *
   * @throws UncheckedIOException when the outbox directory cannot be used
   */
  public static HttpWebhookClient start(ClassicActorSystemProvider system,
      WebhookSettings settings, Clock clock, WebhookMetrics metrics) {
    CallCookies cookies =
        new CallCookies(settings.cookieIdleTtl(), settings.maxCookieCalls(), clock);
    SignedRequestFactory requests = new SignedRequestFactory(settings, cookies, clock);
    WebhookHttpSender sender = new WebhookHttpSender(system, settings, requests, cookies, metrics);
    try {
      CallbackOutbox outbox = CallbackOutbox.start(settings.outbox(), sender::send, metrics, clock);
      sender.onHostAnswered(outbox::hostAnswered);
      return new HttpWebhookClient(sender, outbox, cookies, metrics);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open webhook outbox in " + settings.outbox().dir(), e);
    }
  }

  @Override
  public CompletionStage<WebhookResponse> fetch(WebhookRequest request) {
    fetchesInFlight.incrementAndGet();
    OwnLatency own = ownLatency;
    own.webhookSent(request.callSid(), System.nanoTime());
    CompletionStage<WebhookResponse> response;
    try {
      response = sender.send(request, UUID.randomUUID().toString());
    } catch (RuntimeException e) {
      fetchesInFlight.decrementAndGet();
      throw e;
    }
    // The caller gets the stage that completes after the body's arrival was noted: a dependent
    // of the sender's own stage could run first (dependents run last registered first) and the
    // call send its ARI command before the start of its TwiML → command interval was taken.
    return response.whenComplete((ok, error) -> {
      fetchesInFlight.decrementAndGet();
      if (ok != null) {
        own.twimlReceived(request.callSid(), System.nanoTime());
      }
    });
  }

  /** Where TwiML requests end event → webhook intervals and start TwiML → command ones. */
  public void ownLatency(OwnLatency own) {
    this.ownLatency = own;
  }

  /** TwiML requests sent to applications and not answered yet: the webhook backlog. */
  public int fetchesInFlight() {
    return fetchesInFlight.get();
  }

  @Override
  public void notify(WebhookRequest request) {
    outbox.notify(request);
  }

  /** Forgets the cookies of a call that has ended. */
  public void callEnded(String callSid) {
    cookies.forget(callSid);
  }

  /** Counters for the metrics endpoint. */
  public WebhookMetrics metrics() {
    return metrics;
  }

  /** Callbacks waiting for delivery. */
  public int outboxDepth() {
    return outbox.outboxDepth();
  }

  /** Stops the outbox loop; pending callbacks stay in the journal for the next start. */
  @Override
  public void close() {
    outbox.close();
  }
}
