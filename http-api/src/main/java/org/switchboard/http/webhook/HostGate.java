package org.switchboard.http.webhook;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * At most {@code maxPerHost} webhook requests in flight per host; the others wait their turn, in
 * order, but never past their own deadline. A request whose deadline passes while it waits leaves
 * the queue and fails with {@link TimeoutException}: it was never sent and never will be, so
 * nothing is delivered after its caller gave up, and a host that comes back finds no backlog of
 * abandoned requests. A freed slot goes to the oldest request still waiting.
 */
final class HostGate {
  /** A slot held for one request; {@link #release} it exactly once. */
  interface Permit {
    void release();
  }

  private final int maxPerHost;
  private final Runnable onWait;
  private final Map<String, Host> hosts = new ConcurrentHashMap<>();

  /**
   * @param onWait runs whenever a request has to wait (for a rate-limited log line)
   */
  HostGate(int maxPerHost, Runnable onWait) {
    this.maxPerHost = maxPerHost;
    this.onWait = onWait;
  }

  /**
   * A slot for {@code host}, at once when one is free, else when one frees up before {@code
   * deadlineNanos} ({@link System#nanoTime()}); otherwise fails with {@link TimeoutException}.
   */
  CompletableFuture<Permit> acquire(String host, long deadlineNanos) {
    return hosts.computeIfAbsent(host, h -> new Host()).acquire(deadlineNanos);
  }

  /** Requests waiting for a slot now, over all hosts. */
  int waiting() {
    int n = 0;
    for (Host host : hosts.values()) {
      n += host.waitingCount();
    }
    return n;
  }

  private final class Host {
    private final ArrayDeque<CompletableFuture<Permit>> waiting = new ArrayDeque<>();
    private int inFlight;

    CompletableFuture<Permit> acquire(long deadlineNanos) {
      long waitNanos = deadlineNanos - System.nanoTime();
      CompletableFuture<Permit> slot = new CompletableFuture<>();
      synchronized (this) {
        if (inFlight < maxPerHost) {
          inFlight++;
          slot.complete(permit());
          return slot;
        }
        if (waitNanos <= 0) {
          return CompletableFuture.failedFuture(timeout());
        }
        waiting.addLast(slot);
      }
      onWait.run();
      slot.completeOnTimeout(null, waitNanos, TimeUnit.NANOSECONDS);
      return slot.thenCompose(permit -> {
        if (permit != null) {
          return CompletableFuture.completedFuture(permit);
        }
        synchronized (this) {
          waiting.remove(slot);
        }
        return CompletableFuture.failedFuture(timeout());
      });
    }

    private Permit permit() {
      return new Permit() {
        private boolean released;

        @Override
        public void release() {
          synchronized (Host.this) {
            if (released) {
              return;
            }
            released = true;
          }
          handOver();
        }
      };
    }

    /** Gives the freed slot to the oldest waiter whose deadline has not passed. */
    private void handOver() {
      while (true) {
        CompletableFuture<Permit> next;
        synchronized (this) {
          next = waiting.pollFirst();
          if (next == null) {
            inFlight--;
            return;
          }
        }
        if (next.complete(permit())) {
          return;
        }
      }
    }

    synchronized int waitingCount() {
      return waiting.size();
    }

    private TimeoutException timeout() {
      return new TimeoutException("no connection to the host within the request's deadline ("
          + maxPerHost + " requests already in flight)");
    }
  }
}
