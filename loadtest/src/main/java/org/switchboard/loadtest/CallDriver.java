package org.switchboard.loadtest;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Runs one load: places calls at the target rate under the concurrency cap, feeds webhooks and
 * simulator log entries to the {@link CallBook} on one thread, prints a progress line to stderr
 * every second, probes the heap at the peak, and stops by itself at the deadline.
 */
final class CallDriver {
  private static final long TICK_NANOS = 2_000_000L;

  /** A caller action due at {@code dueNanos}. */
  private record Due(long dueNanos, long seq, Runnable action) {}

  private final LoadArgs args;
  private final SimControl sim;
  private final String dialled;
  private final String fromPrefix;
  private final ConcurrentLinkedQueue<TestApp.Webhook> inbox = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Due> due =
      new PriorityQueue<>((a, b) -> a.dueNanos != b.dueNanos
          ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.seq, b.seq));
  private final List<LoadCall> calls = new ArrayList<>();
  private final CallBook book;
  private long seq;
  private int peakLive;
  private OptionalLong heapPerCall = OptionalLong.empty();
  private int liveAtProbe;
  private long baselineHeap = -1;
  private Harness heapOf;
  private HeapHistogram baselineHistogram;
  private int nextHangup;
  private long firstPlacedNanos;
  private long lastEndedNanos;

  /**
   * A driver for one run.
   *
   * @param fromPrefix caller numbers are this prefix and seven digits (unique per run)
   * @param onQueued rings volunteers for a hotline caller (runs on the driver thread)
   */
  CallDriver(LoadArgs args, SimControl sim, String dialled, String fromPrefix,
      Consumer<LoadCall> onQueued) {
    this.args = args;
    this.fromPrefix = fromPrefix;
    this.sim = sim;
    this.dialled = dialled;
    this.book =
        new CallBook(args.profile(), sim, (ms, action) -> schedule(ms, action), onQueued);
  }

  /** For the test application's listener: any thread. */
  void webhook(TestApp.Webhook w) {
    inbox.add(w);
  }

  /** Sends every latency sample of this run to {@code sink} as well. */
  void samples(CallBook.SampleSink sink) {
    book.samples = sink;
  }

  /** Whose node the heap probe measures ({@link Harness#nodeHeap}); set before {@link #baseline}. */
  void heapOf(Harness harness) {
    this.heapOf = harness;
  }

  /**
   * Remembers the used heap now (after GC) as the baseline of the heap probe: this JVM's in one
   * process, the node process's with {@code --split}, and the node's class histogram.
   */
  void baseline() {
    if (args.heapProbe() && args.mode() != LoadArgs.Mode.ASTERISK) {
      baselineHistogram = heapOf.nodeHeap();
      baselineHeap = usedHeap(baselineHistogram);
    }
  }

  /** This JVM's used heap after GC in one process, else the node's live objects in total. */
  private long usedHeap(HeapHistogram histogram) {
    return args.mode() == LoadArgs.Mode.IN_PROCESS ? usedHeapAfterGc() : histogram.totalBytes();
  }

  /** Whether {@link #baseline()} took a heap baseline. */
  boolean heapProbed() {
    return baselineHeap >= 0;
  }

  /**
   * (Used heap after GC now − the baseline) / {@code completed}: call it once every call ended.
   * Empty without a baseline or completed calls.
   */
  OptionalLong retainedPerCall(int completed) {
    if (baselineHeap < 0 || completed <= 0) {
      return OptionalLong.empty();
    }
    long used = usedHeap(heapOf.nodeHeap());
    long perCall = (used - baselineHeap) / completed;
    System.err.printf("loadtest: after the run: %d MiB used after GC (baseline %d MiB) → %d bytes"
        + " left per completed call%n", used >> 20, baselineHeap >> 20, perCall);
    return OptionalLong.of(perCall);
  }

  /** Runs the load to its end and returns what it measured (orphans are checked by the caller). */
  Outcome run() throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + args.duration().toNanos();
    long nextProgress = start + 1_000_000_000L;
    boolean probed = baselineHeap < 0;
    long graceEnd = Long.MAX_VALUE;
    firstPlacedNanos = start;
    while (System.nanoTime() < deadline) {
      long now = System.nanoTime();
      pump(now);
      place(now, start);
      int live = calls.size() - book.ended;
      peakLive = Math.max(peakLive, live);
      if (!probed && probeDue(live)) {
        probed = true;
        probe(live);
      }
      if (args.profile() == Profile.QUEUE) {
        releaseQueue(now);
      }
      if (now >= nextProgress) {
        progress(now - start);
        nextProgress += 1_000_000_000L;
      }
      if (calls.size() == args.calls() && live == 0) {
        if (graceEnd == Long.MAX_VALUE) {
          lastEndedNanos = now;
          graceEnd = now + args.grace().toNanos();
        }
        if (book.completed == args.calls() || now >= graceEnd) {
          break;
        }
      }
      long sleep = TICK_NANOS - (System.nanoTime() - now);
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
      }
    }
    pump(System.nanoTime());
    if (lastEndedNanos == 0) {
      lastEndedNanos = System.nanoTime();
    }
    progress(System.nanoTime() - start);
    book.finishAll(calls);
    return new Outcome(
        calls.size(),
        book.completed,
        (lastEndedNanos - firstPlacedNanos) / 1e9,
        peakLive,
        book.eventToWebhook.summary(),
        book.twimlToCommand.summary(),
        heapPerCall,
        liveAtProbe,
        book.lostEvents,
        book.unmatchedWebhooks,
        book.missing);
  }

  /** What {@link #run()} measured. */
  record Outcome(
      int attempted,
      int completed,
      double seconds,
      int peakLive,
      Percentiles.Summary eventToWebhook,
      Percentiles.Summary twimlToCommand,
      OptionalLong heapPerCall,
      int liveAtProbe,
      long lostEvents,
      long unmatchedWebhooks,
      java.util.Map<String, Integer> missing) {}

  private void pump(long now) {
    TestApp.Webhook w;
    while ((w = inbox.poll()) != null) {
      book.onWebhook(w);
    }
    for (SimEntry e : sim.drain()) {
      book.onEntry(e);
    }
    while ((w = inbox.poll()) != null) {
      book.onWebhook(w);
    }
    while (!due.isEmpty() && due.peek().dueNanos <= now) {
      due.poll().action.run();
    }
  }

  private void place(long now, long start) {
    long allowedByRate = (long) ((now - start) / 1e9 * args.rate()) + 1;
    int live = calls.size() - book.ended;
    while (calls.size() < args.calls() && calls.size() < allowedByRate
        && live < args.concurrency()) {
      int index = calls.size();
      LoadCall call = new LoadCall(index, fromPrefix + String.format(Locale.ROOT, "%07d", index), now);
      calls.add(call);
      book.placed(call);
      sim.inboundCall(call.from, dialled);
      live++;
    }
  }

  private boolean probeDue(int live) {
    if (args.profile() == Profile.QUEUE) {
      return calls.size() == args.calls() && book.waiting >= calls.size() - book.ended;
    }
    return calls.size() == args.calls() || live >= args.concurrency();
  }

  private void probe(int live) {
    HeapHistogram peak = heapOf.nodeHeap();
    long used = usedHeap(peak);
    liveAtProbe = live;
    if (live > 0) {
      heapPerCall = OptionalLong.of(Math.max(0, used - baselineHeap) / live);
      byClass(peak, live);
    }
    System.err.printf(Locale.ROOT, "loadtest: heap probe: %d MiB used after GC with %d live calls"
        + " (baseline %d MiB) → %d bytes per live call%s%n", used >> 20, live, baselineHeap >> 20,
        heapPerCall.orElse(0), args.mode() == LoadArgs.Mode.SPLIT ? " (the node's process)" : "");
  }

  /**
   * Prints what each live call added, class by class (the 30 largest); writes every class to
   * {@code -Dloadtest.heap-classes=FILE} and dumps the node's heap into {@code
   * -Dloadtest.heap-dump=FILE.hprof} when set.
   */
  private void byClass(HeapHistogram peak, int live) {
    System.err.print("loadtest: heap per live call by class:\n"
        + peak.perCallText(baselineHistogram, live, 30));
    String file = System.getProperty("loadtest.heap-classes", "");
    String dump = System.getProperty("loadtest.heap-dump", "");
    try {
      if (!file.isEmpty()) {
        java.nio.file.Files.writeString(java.nio.file.Path.of(file),
            peak.perCallText(baselineHistogram, live, Integer.MAX_VALUE));
      }
      if (!dump.isEmpty()) {
        heapOf.dumpNodeHeap(java.nio.file.Path.of(dump));
      }
    } catch (java.io.IOException | IllegalStateException e) {
      System.err.println("loadtest: cannot write the heap by class or its dump: " + e);
    }
  }

  /** Queue callers hang up once all are waiting and probed, or when their hold time is over. */
  private void releaseQueue(long now) {
    boolean allWaiting = calls.size() == args.calls() && (liveAtProbe > 0 || baselineHeap < 0)
        && book.waiting >= calls.size() - book.ended;
    int budget = Math.max(1, (int) (args.rate() * TICK_NANOS / 1e9));
    while (nextHangup < calls.size() && budget > 0) {
      LoadCall c = calls.get(nextHangup);
      boolean holdOver = now - c.placedNanos >= args.hold().toNanos();
      if (!allWaiting && !holdOver || c.channel == null && !c.ended) {
        break;
      }
      book.hangUp(c);
      nextHangup++;
      budget--;
    }
  }

  private void schedule(long millis, Runnable action) {
    due.add(new Due(System.nanoTime() + millis * 1_000_000L, seq++, action));
  }

  private void progress(long elapsedNanos) {
    double s = elapsedNanos / 1e9;
    System.err.printf(Locale.ROOT,
        "loadtest %s: %5.1fs placed %d/%d live %d ended %d completed %d webhooks %d (%.0f calls/s)%n",
        args.profile().id(), s, calls.size(), args.calls(), calls.size() - book.ended, book.ended,
        book.completed, book.webhooksSeen, s > 0 ? book.completed / s : 0.0);
  }

  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

}
