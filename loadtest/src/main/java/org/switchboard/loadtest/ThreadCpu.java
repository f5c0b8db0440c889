package org.switchboard.loadtest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this JVM's threads by the part they serve, to tell Switchboard's own cost from the
 * simulator's and the load generator's when all run in one process: {@code switchboard} (threads
 * named {@code switchboard-…}: its actor system, the outbox writer, the ARI event socket's
 * workers; in one process this includes serving the test application's webhooks, which the
 * node's HTTP server does), {@code simulator} ({@code ari-sim…}), {@code driver} (the thread
 * placing calls) and {@code other}: the rest of the process CPU (GC, the JIT compiler, the JDK
 * HTTP clients' selector threads, the common pool, threads that ended during the run). Two more
 * entries single out the store's threads inside those parts (they are not added to the total):
 * {@code storeWriters} (inside {@code switchboard}: the writers of live calls' state and of the
 * history, which run H2's statements themselves when it is embedded) and {@code h2Background}
 * (inside {@code other}: H2's MVStore background writer, which commits and compacts its file).
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<Long, Long> start;
  private final double processStart;

  private ThreadCpu(Map<Long, Long> start, double processStart) {
    this.start = start;
    this.processStart = processStart;
  }

  /** Starts measuring; null when the JVM does not measure thread CPU time. */
  static ThreadCpu start() {
    if (!THREADS.isThreadCpuTimeSupported()) {
      return null;
    }
    if (!THREADS.isThreadCpuTimeEnabled()) {
      THREADS.setThreadCpuTimeEnabled(true);
    }
    Map<Long, Long> now = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long cpu = THREADS.getThreadCpuTime(id);
      if (cpu >= 0) {
        now.put(id, cpu);
      }
    }
    return new ThreadCpu(now, LoadTestMain.processCpuSeconds());
  }

  /** Seconds of CPU per part since {@link #start}, in a fixed order. */
  Map<String, Double> seconds() {
    Map<String, Double> parts = new LinkedHashMap<>();
    for (String part : new String[] {"switchboard", "simulator", "driver"}) {
      parts.put(part, 0.0);
    }
    double attributed = 0;
    double store = 0;
    double h2 = 0;
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long cpu = THREADS.getThreadCpuTime(ids[i]);
      if (infos[i] == null || cpu < 0) {
        continue;
      }
      String name = infos[i].getThreadName();
      double used = (cpu - start.getOrDefault(ids[i], 0L)) / 1e9;
      if (name.startsWith("switchboard-state-writer") || name.startsWith("switchboard-store-")) {
        store += used;
      } else if (name.startsWith("MVStore")) {
        h2 += used;
      }
      String part = part(name);
      if (part == null) {
        continue;
      }
      parts.merge(part, used, Double::sum);
      attributed += used;
    }
    parts.put("other", Math.max(0, LoadTestMain.processCpuSeconds() - processStart - attributed));
    parts.put("storeWriters", store);
    parts.put("h2Background", h2);
    return parts;
  }

  /** The part a thread serves, by its name; null for the shared rest. */
  static String part(String thread) {
    if (thread.startsWith("ari-sim")) {
      return "simulator";
    }
    if (thread.startsWith("switchboard-")) {
      return "switchboard";
    }
    if (thread.equals("main")) {
      return "driver";
    }
    return null;
  }
}
