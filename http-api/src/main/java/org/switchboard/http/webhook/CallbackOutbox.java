package org.switchboard.http.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.switchboard.engine.port.WebhookPort.WebhookRequest;
import org.switchboard.engine.port.WebhookPort.WebhookResponse;

/**
 * Durable, at-least-once delivery of status and recording callbacks. {@link #notify} writes the
 * request to the journal before returning; a delivery loop sends due entries, at most one in
 * flight per CallSid so a call's callbacks leave in order, retries anything but a 2xx with
 * exponential backoff and jitter, and moves entries older than {@code maxAge} to the dead-letter
 * file. On start the journal is replayed and pending entries are sent again. A callback whose last
 * attempt got no answer from its host (refused, no connection in time, timed out) waits for that
 * host: it is due again as soon as the host answers any request ({@link #hostAnswered}), and
 * meanwhile one such callback per host is tried every {@code probeInterval} whatever its backoff
 * (the probe; its answer makes the others due). When the application comes back, its callbacks
 * follow within seconds instead of after a backoff grown during the outage, and a host that is
 * down gets one attempt per probe interval, not one per callback. Every attempt of a callback
 * carries its entry id as the idempotency token, so the application can drop the copy it
 * receives when an attempt timed out after it had arrived.
 */
public final class CallbackOutbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackOutbox.class);

  /** Sends one callback; the outbox passes the entry id as the idempotency token. */
  @FunctionalInterface
  public interface Sender {
    CompletionStage<WebhookResponse> send(WebhookRequest request, String idempotencyToken);
  }

  private final OutboxSettings settings;
  private final Sender sender;
  private final WebhookMetrics metrics;
  private final Clock clock;
  private final OutboxJournal journal;
  private final ScheduledExecutorService loop;
  private final Map<String, ArrayDeque<OutboxEntry>> queues = new LinkedHashMap<>();
  private final Set<String> inFlight = new HashSet<>();
  /** Callbacks whose last attempt got no answer from their host. */
  private final HostProbes hosts;
  private int depth;
  private boolean closed;

  private CallbackOutbox(OutboxSettings settings, Sender sender, WebhookMetrics metrics,
      Clock clock, OutboxJournal journal, List<OutboxEntry> pending) {
    this.settings = settings;
    this.sender = sender;
    this.metrics = metrics;
    this.clock = clock;
    this.journal = journal;
    this.hosts = new HostProbes(settings.probeInterval());
    for (OutboxEntry entry : pending) {
      enqueue(entry);
    }
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "switchboard-outbox");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Opens the journal in {@code settings.dir()}, replays it and starts the delivery loop.
   *
   * @throws IOException when the directory or journal cannot be opened
   */
  public static CallbackOutbox start(OutboxSettings settings, Sender sender,
      WebhookMetrics metrics, Clock clock) throws IOException {
    List<OutboxEntry> pending = new ArrayList<>();
    OutboxJournal journal = OutboxJournal.open(settings.dir(), settings.fsync(), pending);
    CallbackOutbox outbox =
        new CallbackOutbox(settings, sender, metrics, clock, journal, pending);
    metrics.outboxDepthSource(outbox::outboxDepth);
    if (!pending.isEmpty()) {
      LOG.info("Outbox {}: {} pending callbacks from the journal", settings.dir(), pending.size());
    }
    long poll = settings.pollInterval().toMillis();
    outbox.loop.scheduleWithFixedDelay(outbox::deliverDue, 0, poll, TimeUnit.MILLISECONDS);
    if (settings.fsync() == OutboxSettings.Fsync.BATCH) {
      long interval = Math.max(1, settings.fsyncInterval().toMillis());
      outbox.loop.scheduleAtFixedRate(outbox::syncBatch, interval, interval, TimeUnit.MILLISECONDS);
    }
    return outbox;
  }

  /**
   * Journals {@code request} (durable per the fsync policy when this returns) and schedules it.
   *
   * @throws UncheckedIOException when the journal cannot be written
   * @throws IllegalStateException when the outbox is closed
   */
  public void notify(WebhookRequest request) {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("outbox is closed; callback to " + request.url() + " lost");
      }
      OutboxEntry entry = OutboxEntry.of(UUID.randomUUID().toString(), request, clock.millis());
      try {
        journal.append(OutboxJournal.Line.add(entry));
      } catch (IOException e) {
        LOG.error("CallSid {}: cannot journal {} callback to {}", request.callSid(),
            request.purpose(), request.url(), e);
        throw new UncheckedIOException("outbox journal write failed", e);
      }
      enqueue(entry);
    }
    wake();
  }

  /** Callbacks not yet delivered nor dead-lettered. */
  public synchronized int outboxDepth() {
    return depth;
  }

  /** Runs a delivery pass now instead of at the next poll (e.g. after moving a test clock). */
  public void wake() {
    try {
      loop.execute(this::deliverDue);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("Outbox closed; wake ignored");
    }
  }

  /**
   * {@code host} ({@code scheme://authority}) answered a request: callbacks to it that are waiting
   * out a backoff because their last attempt got no answer are due now.
   */
  public void hostAnswered(String host) {
    if (!hosts.any()) {
      return;
    }
    boolean due = false;
    synchronized (this) {
      if (closed) {
        return;
      }
      long now = clock.millis();
      for (Map.Entry<String, String> w : hosts.answered(host).entrySet()) {
        ArrayDeque<OutboxEntry> queue = queues.get(w.getValue());
        OutboxEntry head = queue == null ? null : queue.peekFirst();
        if (head != null && head.id().equals(w.getKey()) && head.nextAttemptAt() > now) {
          queue.pollFirst();
          queue.addFirst(head.retried(head.attempts(), now));
          due = true;
        }
      }
    }
    if (due) {
      wake();
    }
  }

  private void enqueue(OutboxEntry entry) {
    queues.computeIfAbsent(entry.orderKey(), k -> new ArrayDeque<>()).addLast(entry);
    depth++;
  }

  private void deliverDue() {
    List<OutboxEntry> due = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      long now = clock.millis();
      Iterator<Map.Entry<String, ArrayDeque<OutboxEntry>>> it = queues.entrySet().iterator();
      while (it.hasNext() && inFlight.size() < settings.maxInFlight()) {
        Map.Entry<String, ArrayDeque<OutboxEntry>> queue = it.next();
        if (inFlight.contains(queue.getKey())) {
          continue;
        }
        OutboxEntry head = queue.getValue().peekFirst();
        while (head != null && now - head.createdAt() > settings.maxAge().toMillis()) {
          queue.getValue().pollFirst();
          deadLetter(head, "not delivered within " + settings.maxAge());
          head = queue.getValue().peekFirst();
        }
        if (head == null) {
          it.remove();
        } else if (head.nextAttemptAt() <= now || hosts.goesAsProbe(head.id(), now)) {
          inFlight.add(queue.getKey());
          due.add(head);
        }
      }
      compactIfDue();
    }
    for (OutboxEntry entry : due) {
      sendEntry(entry);
    }
  }

  private void sendEntry(OutboxEntry entry) {
    CompletionStage<WebhookResponse> sent;
    try {
      sent = sender.send(entry.toRequest(), entry.id());
    } catch (RuntimeException e) {
      onResult(entry, null, e);
      return;
    }
    sent.whenComplete((response, error) -> onResult(entry, response, error));
  }

  private void onResult(OutboxEntry entry, WebhookResponse response, Throwable error) {
    boolean delivered = error == null && response.status() / 100 == 2;
    synchronized (this) {
      inFlight.remove(entry.orderKey());
      hosts.attemptEnded(entry.id());
      if (closed) {
        return;
      }
      ArrayDeque<OutboxEntry> queue = queues.get(entry.orderKey());
      if (queue == null || queue.peekFirst() == null || !queue.peekFirst().id().equals(entry.id())) {
        return;
      }
      long now = clock.millis();
      queue.pollFirst();
      hosts.stop(entry.id());
      if (delivered) {
        depth--;
        metrics.recordOutboxDelivered();
        appendQuietly(OutboxJournal.Line.done(entry.id()), entry);
      } else if (now - entry.createdAt() > settings.maxAge().toMillis()) {
        deadLetter(entry, failure(response, error));
      } else {
        OutboxEntry retry = entry.retried(entry.attempts() + 1, now + backoff(entry.attempts() + 1));
        queue.addFirst(retry);
        if (WebhookHttpSender.unanswered(error)) {
          hosts.await(retry, now);
        }
        metrics.recordOutboxRetry();
        appendQuietly(OutboxJournal.Line.retry(retry), entry);
        logWarn(entry, "delivery attempt " + retry.attempts() + " failed (" + failure(response, error)
            + "); next in " + (retry.nextAttemptAt() - now) + " ms");
      }
      if (queue.isEmpty()) {
        queues.remove(entry.orderKey());
      }
    }
    wake();
  }

  /** Exponential backoff from {@code initialBackoff}, capped, with "equal jitter" (50–100 %). */
  private long backoff(int attempts) {
    long base = settings.initialBackoff().toMillis();
    long max = settings.maxBackoff().toMillis();
    long delay = base;
    for (int i = 1; i < attempts && delay < max; i++) {
      delay *= 2;
    }
    delay = Math.min(delay, max);
    return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
  }

  private void deadLetter(OutboxEntry entry, String reason) {
    depth--;
    hosts.stop(entry.id());
    metrics.recordOutboxDeadLetter();
    try {
      journal.deadLetter(entry, reason);
    } catch (IOException e) {
      LOG.error("CallSid {}: cannot write dead letter for {}", entry.callSid(), entry.url(), e);
    }
    appendQuietly(OutboxJournal.Line.dead(entry.id()), entry);
    MDC.put("callSid", String.valueOf(entry.callSid()));
    try {
      LOG.error("CallSid {}: {} callback {} {} abandoned after {} attempts: {}", entry.callSid(),
          entry.purpose(), entry.method(), entry.url(), entry.attempts() + 1, reason);
    } finally {
      MDC.remove("callSid");
    }
  }

  private synchronized void syncBatch() {
    if (closed) {
      return;
    }
    try {
      journal.sync();
    } catch (IOException e) {
      LOG.error("Outbox journal {} sync failed", settings.dir(), e);
    }
  }

  /**
   * Rewrites the journal when it grew large. No sync here: with {@code always} each append was
   * forced already, with {@code batch} the timer forces every {@code fsync-interval} (forcing on
   * every delivery pass made one fdatasync per callback at load).
   */
  private void compactIfDue() {
    try {
      if (journal.records() > settings.compactAfter() && journal.records() > 2L * depth) {
        List<OutboxEntry> pending = new ArrayList<>(depth);
        queues.values().forEach(pending::addAll);
        journal.compact(pending);
        LOG.debug("Outbox journal compacted to {} entries", pending.size());
      }
    } catch (IOException e) {
      LOG.error("Outbox journal {} compaction failed", settings.dir(), e);
    }
  }

  private void appendQuietly(OutboxJournal.Line line, OutboxEntry entry) {
    try {
      journal.append(line);
    } catch (IOException e) {
      LOG.error("CallSid {}: cannot journal '{}' of callback {}; it may be sent again after a "
          + "restart", entry.callSid(), line.op(), entry.url(), e);
    }
  }

  private static String failure(WebhookResponse response, Throwable error) {
    if (error != null) {
      Throwable cause = error.getCause() != null && error instanceof java.util.concurrent.CompletionException
          ? error.getCause() : error;
      return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
    return "HTTP " + response.status();
  }

  private static void logWarn(OutboxEntry entry, String message) {
    MDC.put("callSid", String.valueOf(entry.callSid()));
    try {
      LOG.warn("CallSid {}: {} callback {} {}: {}", entry.callSid(), entry.purpose(),
          entry.method(), entry.url(), message);
    } finally {
      MDC.remove("callSid");
    }
  }

  /** Stops the loop and closes the journal; undelivered entries are sent after the next start. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    loop.shutdownNow();
    synchronized (this) {
      try {
        journal.close();
      } catch (IOException e) {
        LOG.error("Closing outbox journal {} failed", settings.dir(), e);
      }
    }
  }
}
