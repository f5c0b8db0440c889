package org.switchboard.loadtest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;

/** Simulator + Switchboard + test application, started for one run and closed after it. */
interface Harness extends AutoCloseable {

  /** Number every caller dials. */
  String DIALLED = "+15550009999";

  /** The three volunteers of the hotline profile: the first answers, the others ring on. */
  List<String> VOLUNTEERS = List.of("+15550100001", "+15550100002", "+15550100003");

  /**
   * ARI connections per server. The default (8, so 128 queued requests) overflows under load and
   * fails call commands ("Exceeded configured max-open-requests"); 32 allows 512 queued.
   */
  int ARI_CONNECTIONS = 32;

  /** Shared secret of {@code /ring}'s X-Bridge-Signature. */
  String BRIDGE_SECRET = "loadtest-bridge-secret";

  /** switchboard.hotline.queue-idle-timeout in load tests (60 s by default). */
  java.time.Duration QUEUE_IDLE_TIMEOUT = java.time.Duration.ofSeconds(2);

  /** The callers' side. */
  SimControl sim();

  /** Rings the volunteers for a hotline caller waiting in the queue. */
  void ring(LoadCall call);

  /** /ring requests that failed. */
  long ringFailures();

  /** Child processes' CPU seconds so far (split mode), else 0. */
  default double childCpuSeconds() {
    return 0;
  }

  /** The child processes' CPU seconds so far by name ({@code node}, {@code simulator}), if any. */
  default Map<String, Double> childCpuByPart() {
    return Map.of();
  }

  /** The node's process id when the node runs in a process of its own ({@code --split}). */
  default java.util.OptionalLong nodePid() {
    return java.util.OptionalLong.empty();
  }

  /**
   * Queues the node holds now (in this JVM; -1 when it cannot tell). Per-caller queues of the
   * warm-up stay until they passivate, and would count in the heap probe's baseline.
   */
  default int liveQueues() {
    return -1;
  }

  /**
   * A class histogram of the node's live objects (a full collection first): of this JVM when the
   * node runs in it (the simulator and the load generator included), else of the node's process
   * alone.
   */
  default HeapHistogram nodeHeap() {
    return HeapHistogram.ofThisJvm();
  }

  /** Dumps the node's live objects into {@code file} (HPROF; this JVM's when the node runs here). */
  default void dumpNodeHeap(java.nio.file.Path file) throws java.io.IOException {
    HeapHistogram.dumpThisJvm(file);
  }

  /** The node's own latency recorder, when the node runs in this JVM. */
  default java.util.Optional<org.switchboard.asterisk.client.OwnLatency> ownLatency() {
    return java.util.Optional.empty();
  }

  /**
   * What the node's store writers did so far ({@code state.*}, {@code history.*}: rows,
   * transactions, bytes, writer CPU), when the node runs in this JVM with a database store.
   */
  default Map<String, Long> storeTraffic() {
    return Map.of();
  }

  /** Where the test application's webhooks go. */
  WebhookTaps webhooks();

  /** Also tells {@code listener} about every webhook of the test application. */
  default void listen(java.util.function.Consumer<TestApp.Webhook> listener) {
    webhooks().listen(listener);
  }

  /** The node's HTTP base URL ({@code http://127.0.0.1:PORT}). */
  String nodeUrl();

  /** Sets the driver that gets the test application's webhooks. */
  default void attach(CallDriver driver) {
    webhooks().attach(driver);
  }

  @Override
  void close();

  /** The simulator's dial rules for the volunteers. */
  static List<DialRule> volunteerRules() {
    return List.of(
        new DialRule("*" + VOLUNTEERS.get(0) + "*", DialBehaviour.parse("answer-after-200")),
        new DialRule("*" + VOLUNTEERS.get(1) + "*", DialBehaviour.parse("answer-after-5000")),
        new DialRule("*" + VOLUNTEERS.get(2) + "*", DialBehaviour.parse("no-answer")));
  }

  /**
   * Switchboard settings a load run overrides (durable outbox and H2 store in a temp dir, batch
   * fsync …).
   */
  static Map<String, Object> nodeOverrides(Path work) {
    return Map.ofEntries(
        // The store of live calls (h2 unless -Dswitchboard.store.kind=memory) is the run's own:
        // the simulator's channel ids start again with every run.
        // -Dloadtest.store-url-options=";SETTING=VALUE…" appends H2 settings to compare them.
        Map.entry("switchboard.store.url", "jdbc:h2:file:" + work.resolve("store/switchboard")
            + System.getProperty("loadtest.store-url-options", "")),
        Map.entry("switchboard.bridge-secret", BRIDGE_SECRET),
        Map.entry("switchboard.auth-token", "loadtest-auth-token"),
        Map.entry("switchboard.webhooks.outbox.dir", work.resolve("outbox").toString()),
        Map.entry("switchboard.webhooks.outbox.fsync", "batch"),
        Map.entry("switchboard.webhooks.max-connections", 256),
        // Per-caller queues passivate soon after their call (the heap probe waits for them).
        Map.entry("switchboard.hotline.queue-idle-timeout",
            QUEUE_IDLE_TIMEOUT.toMillis() + "ms"),
        Map.entry("switchboard.audio.cache-dir", ttsCache(work).toString()));
  }

  /** The TTS cache: kept between runs under {@code loadtest.tts-cache} if set. */
  static Path ttsCache(Path work) {
    String dir = System.getProperty("loadtest.tts-cache", "");
    return dir.isEmpty() ? work.resolve("tts-cache") : Path.of(dir);
  }
}
