package org.switchboard.loadtest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.switchboard.asterisk.client.OwnLatency;
import org.switchboard.http.audio.TtsCheck;

/**
 * {@code scripts/loadtest}: starts the simulator, Switchboard and the test application (in this
 * JVM, or as separate processes with {@code --split}), drives the calls, and prints the result as
 * one JSON object on the last line of stdout. Exit status 0 only if every call completed and
 * nothing was lost or orphaned; 2 for bad arguments.
 */
public final class LoadTestMain {
  private LoadTestMain() {}

  /** Parses the arguments, runs the load, prints the result and exits with its status. */
  public static void main(String[] argv) throws Exception {
    if (Boolean.getBoolean("loadtest.count-messages")) {
      CountingMailbox.install();
    }
    LoadArgs args;
    try {
      args = LoadArgs.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("loadtest: " + e.getMessage());
      System.err.println(LoadArgs.USAGE);
      System.exit(2);
      return;
    }
    int status;
    try {
      status = args.mode() == LoadArgs.Mode.ASTERISK ? AsteriskRun.run(args) : run(args);
    } catch (Exception e) {
      System.err.println("loadtest: the run failed: " + e);
      e.printStackTrace();
      status = 3;
    }
    System.exit(status);
  }

  /**
   * Every profile speaks its prompts, and a simulated caller answers a prompt only once it plays:
   * without a working TTS engine every call would fail with a misleading list of missing
   * webhooks. Checks that the configured espeak-ng runs (an {@code http} engine is not checked).
   */
  static void checkTts(Config config) {
    Config tts = config.getConfig("switchboard.audio.tts");
    if (!tts.getString("engine").equals("espeak")) {
      return;
    }
    String executable = tts.getString("espeak.executable");
    String problem = TtsCheck.espeakProblem(executable).orElse(null);
    if (problem != null) {
      throw new IllegalStateException(problem
          + "; every profile speaks its prompts: install espeak-ng or set switchboard.audio.tts");
    }
  }

  static int run(LoadArgs args) throws Exception {
    try {
      checkTts(ConfigFactory.load());
    } catch (IllegalStateException e) {
      System.err.println("loadtest: cannot start: " + e.getMessage());
      return 3;
    }
    System.err.printf("loadtest: profile %s, %d calls at %.0f/s, concurrency %d, %s%n",
        args.profile().id(), args.calls(), args.rate(), args.concurrency(),
        args.mode() == LoadArgs.Mode.SPLIT ? "split processes" : "in one process");
    Optional<SampleFile> samples = SampleFile.open(args.samples());
    try (Harness harness =
        args.mode() == LoadArgs.Mode.SPLIT
            ? new SplitHarness(args.profile())
            : new InProcessHarness(args.profile())) {
      warmUp(args, harness);
      CallDriver driver =
          new CallDriver(args, harness.sim(), Harness.DIALLED, "+1555", harness::ring);
      samples.ifPresent(driver::samples);
      harness.attach(driver);
      driver.heapOf(harness);
      if (args.heapProbe()) {
        awaitIdleQueues(harness, "of the warm-up");
      }
      driver.baseline();
      long ring0 = harness.ringFailures();
      long control0 = harness.sim().controlErrors();
      double cpu0 = processCpuSeconds() + harness.childCpuSeconds();
      double self0 = processCpuSeconds();
      Map<String, Long> messages0 = CountingMailbox.snapshot();
      Map<String, Double> children0 = harness.childCpuByPart();
      Optional<ProcessThreads> nodeThreads =
          harness.nodePid().isPresent()
              ? Optional.of(ProcessThreads.start(harness.nodePid().getAsLong()))
              : Optional.empty();
      long jit0 = jitMillis();
      ThreadCpu threads = args.mode() == LoadArgs.Mode.IN_PROCESS ? ThreadCpu.start() : null;
      harness.ownLatency().ifPresent(OwnLatency::reset);
      Map<String, Long> store0 = harness.storeTraffic();
      CallDriver.Outcome o = driver.run();
      OwnLatency.Snapshot own = harness.ownLatency().map(OwnLatency::snapshot).orElse(null);
      double cpu = processCpuSeconds() + harness.childCpuSeconds() - cpu0;
      Map<String, Double> cpuByPart = threads == null
          ? childParts(children0, harness.childCpuByPart(), processCpuSeconds() - self0)
          : threads.seconds();
      String nodeThreadsPerCall = nodeThreads.map(t -> ProcessThreads.perCall(t.since(),
          o.completed())).orElse("");
      String messagesPerCall =
          CountingMailbox.perCall(messages0, CountingMailbox.snapshot(), o.completed());
      OptionalDouble jit = args.mode() == LoadArgs.Mode.IN_PROCESS && jit0 >= 0
          ? OptionalDouble.of((jitMillis() - jit0) / 1000.0) : OptionalDouble.empty();
      Map<String, Integer> orphans = awaitOrphans(harness.sim(), args);
      String storePerCall = perCall(store0, harness.storeTraffic(), o.completed());
      OptionalLong retained = OptionalLong.empty();
      if (driver.heapProbed()) {
        awaitIdleQueues(harness, "left by the run");
        retained = driver.retainedPerCall(o.completed());
      }
      for (String left : harness.sim().describeLeftovers(10)) {
        System.err.println("loadtest: left over: " + left);
      }
      List<String> notes = new ArrayList<>();
      long controlErrors = harness.sim().controlErrors() - control0;
      long ringFailures = harness.ringFailures() - ring0;
      if (controlErrors > 0) {
        notes.add(controlErrors + " simulator control request(s) failed");
      }
      if (ringFailures > 0) {
        notes.add(ringFailures + " /ring request(s) failed");
      }
      if (!o.missing().isEmpty()) {
        notes.add("missing: " + o.missing());
      }
      if (o.unmatchedWebhooks() > 0) {
        notes.add(o.unmatchedWebhooks() + " webhook(s) matched no call");
      }
      if (args.mode() == LoadArgs.Mode.SPLIT) {
        notes.add("cpuSeconds covers all three processes; the heap figures are the node"
            + " process's own");
      }
      if (!messagesPerCall.isEmpty()) {
        System.err.println("loadtest: actor messages per completed call: " + messagesPerCall);
        notes.add("actor messages per call: " + messagesPerCall);
      }
      if (!nodeThreadsPerCall.isEmpty()) {
        System.err.println("loadtest: node threads per completed call: " + nodeThreadsPerCall);
        notes.add("node threads per call: " + nodeThreadsPerCall);
      }
      if (!storePerCall.isEmpty()) {
        System.err.println("loadtest: store per completed call: " + storePerCall);
        notes.add("store per call: " + storePerCall);
      }
      LoadResult result =
          new LoadResult(
              args.profile().id(),
              args.mode() == LoadArgs.Mode.SPLIT ? "split" : "in-process",
              o.attempted(),
              o.completed(),
              o.attempted() - o.completed(),
              o.seconds(),
              o.peakLive(),
              o.eventToWebhook(),
              o.twimlToCommand(),
              o.heapPerCall(),
              o.liveAtProbe(),
              OptionalDouble.of(cpu),
              jit,
              o.lostEvents() + ringFailures,
              orphans,
              String.join("; ", notes),
              cpuByPart,
              retained);
      return report(args, result, own);
    } finally {
      if (samples.isPresent()) {
        samples.get().close();
      }
    }
  }

  /**
   * In split mode: each child process's CPU seconds over the measured calls ({@code node},
   * {@code simulator}) and this process's ({@code driver}: the load generator and the test
   * application); empty when there are no children.
   */
  static Map<String, Double> childParts(Map<String, Double> before, Map<String, Double> after,
      double self) {
    if (after.isEmpty()) {
      return Map.of();
    }
    Map<String, Double> parts = new java.util.LinkedHashMap<>();
    after.forEach((part, cpu) -> parts.put(part, cpu - before.getOrDefault(part, 0.0)));
    parts.put("driver", self);
    return parts;
  }

  /**
   * The store writers' counters over the measured calls (taken once their grace passed, so their
   * rows were deleted), each divided by {@code completed}: "state.upserts 2.01, …"; empty
   * without a database store.
   */
  static String perCall(Map<String, Long> before, Map<String, Long> after, int completed) {
    if (after.isEmpty() || completed == 0) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    after.forEach((name, value) -> parts.add(String.format(Locale.ROOT, "%s %.2f",
        name, (value - before.getOrDefault(name, 0L)) / (double) completed)));
    return String.join(", ", parts);
  }

  /** Warm-up rounds stop once the JIT compiler was busy for at most this share of a round. */
  static final double QUIET_JIT_SHARE = 0.10;

  /**
   * {@code --warmup auto} gives up waiting for a quiet JIT compiler after this long: 300 s, or
   * {@code -Dloadtest.warmup-limit=SECONDS}.
   */
  static final long AUTO_WARMUP_LIMIT_NANOS =
      Long.getLong("loadtest.warmup-limit", 300) * 1_000_000_000L;

  /**
   * Runs the warm-up calls (not counted): the given number in one round, or with {@code --warmup
   * auto} rounds of about five seconds of calls until the JIT compiler spent at most {@link
   * #QUIET_JIT_SHARE} of a round compiling. On 2 cores C2 compiles Pekko's and Switchboard's hot
   * code for minutes at moderate rates; measuring before it is done measures the compiler.
   */
  static void warmUp(LoadArgs args, Harness harness) throws Exception {
    if (args.warmup() == 0) {
      return;
    }
    boolean auto = args.warmup() == LoadArgs.AUTO_WARMUP && jitMillis() >= 0;
    int round = !auto ? (args.warmup() > 0 ? args.warmup() : Math.min(args.calls(), 1000))
        : (int) Math.max(200, Math.min(2000, Math.ceil(args.warmupRate() * 5)));
    long start = System.nanoTime();
    for (int r = 1; ; r++) {
      long jit0 = jitMillis();
      long t0 = System.nanoTime();
      CallDriver warm = new CallDriver(args.warmupRun(round), harness.sim(), Harness.DIALLED,
          "+156" + String.format(Locale.ROOT, "%02d", r % 100), harness::ring);
      harness.attach(warm);
      CallDriver.Outcome w = warm.run();
      awaitOrphans(harness.sim(), args);
      double share = (jitMillis() - jit0) / ((System.nanoTime() - t0) / 1e6);
      double held = w.seconds() > 0 ? w.completed() / w.seconds() : 0;
      System.err.printf(Locale.ROOT,
          "loadtest: warm-up round %d: %d/%d completed (not counted) at %.0f/s offered, %.0f/s"
              + " held, JIT compiling %.0f %% of the time%n", r, w.completed(), w.attempted(),
          args.warmupRate(), held, share * 100);
      if (!auto || share <= QUIET_JIT_SHARE) {
        return;
      }
      if (System.nanoTime() - start > AUTO_WARMUP_LIMIT_NANOS) {
        System.err.printf("loadtest: the JIT compiler is still busy after %d s of warm-up;"
            + " measuring anyway (see jitSeconds). A warm-up offered more than the node holds"
            + " starves the compiler threads: warm up below it (-Dloadtest.warmup-rate=R)%n",
            (System.nanoTime() - start) / 1_000_000_000L);
        return;
      }
    }
  }

  /** Total JIT compile time of this JVM in ms, or −1 when the JVM does not tell. */
  static long jitMillis() {
    var jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime() : -1;
  }

  /** Prints the summary (unless --json) and the JSON line; returns the exit status. */
  static int report(LoadArgs args, LoadResult r) {
    return report(args, r, null);
  }

  /** {@link #report(LoadArgs, LoadResult)} with the node's own latency share, when measured. */
  static int report(LoadArgs args, LoadResult r, OwnLatency.Snapshot own) {
    if (!args.json()) {
      System.out.printf(
          "%s: %d attempted, %d completed, %d failed in %.1f s (%.1f calls/s), peak %d live%n"
              + "  event→webhook p50 %.3f p99 %.3f max %.3f ms; TwiML→command p50 %.3f p99 %.3f"
              + " max %.3f ms%n  lost %d, orphaned %s%n",
          r.profile(), r.attempted(), r.completed(), r.failed(), r.seconds(), r.callsPerSecond(),
          r.peakConcurrent(), r.eventToWebhook().p50() / 1e3, r.eventToWebhook().p99() / 1e3,
          r.eventToWebhook().max() / 1e3, r.twimlToCommand().p50() / 1e3,
          r.twimlToCommand().p99() / 1e3, r.twimlToCommand().max() / 1e3, r.lostEvents(),
          r.orphaned());
    }
    System.out.println(r.toJsonLine(own));
    System.out.flush();
    return r.ok() ? 0 : 1;
  }

  /** Waits up to the grace period for the simulator to be empty; returns what is left. */
  static Map<String, Integer> awaitOrphans(SimControl sim, LoadArgs args)
      throws InterruptedException {
    long end = System.nanoTime() + args.grace().toNanos();
    Map<String, Integer> left = sim.leftovers();
    while (left.values().stream().anyMatch(n -> n > 0) && System.nanoTime() < end) {
      Thread.sleep(100);
      left = sim.leftovers();
    }
    return left;
  }

  /**
   * Waits (at most the idle timeout plus 30 s) until the node's idle queues have passivated, so
   * that neither the heap probe's baseline nor its after-the-run measure holds them.
   */
  static void awaitIdleQueues(Harness harness, String whose) throws InterruptedException {
    int live = harness.liveQueues();
    if (live <= 0) {
      return;
    }
    System.err.printf("loadtest: waiting for %d idle queues %s to passivate%n", live, whose);
    long end = System.nanoTime() + Harness.QUEUE_IDLE_TIMEOUT.plusSeconds(30).toNanos();
    while (live > 0 && System.nanoTime() < end) {
      Thread.sleep(100);
      live = harness.liveQueues();
    }
    if (live > 0) {
      System.err.printf("loadtest: %d queues still live; the heap baseline includes them%n", live);
    }
  }

  static double processCpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return 0;
  }
}
