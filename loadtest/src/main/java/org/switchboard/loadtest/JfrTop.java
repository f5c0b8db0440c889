package org.switchboard.loadtest;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JFR recording of a node says, in text: events by type, execution samples by thread group
 * (names without their digits), and for the threads whose name contains a filter (default {@code
 * default-dispatcher}) the top frames (self, {@code -Ddepth=N} frames deep, and inclusive), the
 * first Switchboard frame of each sample, allocations by class and by first non-JDK frame, the
 * parks over the recording's threshold, and the threads' CPU load. Run with the load generator's
 * classpath: {@code LOADTEST_MAIN=org.switchboard.loadtest.JfrTop scripts/loadtest FILE.jfr
 * [filter]} (docs/performance.md, "Where the time goes").
 */
public final class JfrTop {
  private JfrTop() {}

  static String group(RecordedThread t) {
    if (t == null) return "?";
    String n = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
    if (n == null) return "?";
    return n.replaceAll("[0-9]+", "N");
  }
  static String frame(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    return m.getType().getName() + "." + m.getName();
  }
  static <K> void inc(Map<K, Long> m, K k, long v) { m.merge(k, v, Long::sum); }
  static void top(String title, Map<String, Long> m, long total, int n) {
    System.out.println("== " + title + " (total " + total + ")");
    m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
        .forEach(e -> System.out.printf("%8d %5.1f%%  %s%n", e.getValue(), 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
  }
  /** {@code FILE.jfr [thread-name filter]}. */
  public static void main(String[] a) throws Exception {
    String filter = a.length > 1 ? a[1] : "default-dispatcher";
    Map<String, Long> perThread = new HashMap<>(), self = new HashMap<>(), incl = new HashMap<>(),
        selfSb = new HashMap<>(), allocClass = new HashMap<>(), allocSite = new HashMap<>(),
        allocThread = new HashMap<>(), parks = new HashMap<>(), parkSites = new HashMap<>(),
        events = new HashMap<>(), pkg = new HashMap<>(), cpuLoad = new HashMap<>();
    long samples = 0, fsamples = 0, allocTotal = 0, fallocTotal = 0;
    int depth = Integer.getInteger("depth", 1);
    try (RecordingFile rf = new RecordingFile(Path.of(a[0]))) {
      while (rf.hasMoreEvents()) {
        RecordedEvent e = rf.readEvent();
        String type = e.getEventType().getName();
        inc(events, type, 1);
        switch (type) {
          case "jdk.ExecutionSample", "jdk.NativeMethodSample" -> {
            if (type.equals("jdk.NativeMethodSample")) break;
            samples++;
            String g = group(e.getThread("sampledThread"));
            inc(perThread, g, 1);
            if (!g.contains(filter)) break;
            fsamples++;
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) break;
            List<RecordedFrame> fr = st.getFrames();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(depth, fr.size()); i++) { if (i > 0) sb.append(" <- "); sb.append(frame(fr.get(i))); }
            inc(self, sb.toString(), 1);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : fr) { String s = frame(f); if (seen.add(s)) inc(incl, s, 1); }
            // first switchboard frame
            for (RecordedFrame f : fr) { String s = frame(f); if (s.startsWith("org.switchboard")) { inc(selfSb, s, 1); break; } }
            // top package (3 segments) of the leaf
            String leaf = fr.get(0).getMethod().getType().getName();
            String[] p = leaf.split("\\.");
            inc(pkg, String.join(".", Arrays.copyOf(p, Math.min(4, p.length - 1))), 1);
          }
          case "jdk.ObjectAllocationSample" -> {
            long w = e.getLong("weight");
            allocTotal += w;
            String g = group(e.getThread("eventThread"));
            inc(allocThread, g, w);
            if (!g.contains(filter)) break;
            fallocTotal += w;
            inc(allocClass, e.getClass("objectClass").getName(), w);
            RecordedStackTrace st = e.getStackTrace();
            if (st != null && !st.getFrames().isEmpty()) {
              String site = null;
              for (RecordedFrame f : st.getFrames()) { String s = frame(f); if (!s.startsWith("java.") && !s.startsWith("jdk.")) { site = s; break; } }
              inc(allocSite, site == null ? frame(st.getFrames().get(0)) : site, w);
            }
          }
          case "jdk.ThreadPark", "jdk.JavaMonitorWait" -> {
            String g = group(e.getThread("eventThread"));
            inc(parks, type + " " + g, 1);
          }
          case "jdk.ThreadCPULoad" -> {
            String g = group(e.getThread("eventThread"));
            inc(cpuLoad, g, Math.round(1000 * (e.getFloat("user") + e.getFloat("system"))));
          }
          default -> {}
        }
      }
    }
    top("events", events, events.values().stream().mapToLong(x -> x).sum(), 40);
    top("execution samples per thread group", perThread, samples, 30);
    top("self (depth " + depth + ") in " + filter, self, fsamples, 60);
    top("inclusive in " + filter, incl, fsamples, 120);
    top("first switchboard frame in " + filter, selfSb, fsamples, 40);
    top("leaf package in " + filter, pkg, fsamples, 30);
    top("allocation weight per thread group", allocThread, allocTotal, 20);
    top("allocation by class in " + filter, allocClass, fallocTotal, 40);
    top("allocation by first non-JDK frame in " + filter, allocSite, fallocTotal, 50);
    top("parks/waits recorded (over threshold)", parks, parks.values().stream().mapToLong(x -> x).sum(), 20);
    top("sum of ThreadCPULoad samples (per-mille) by group", cpuLoad, cpuLoad.values().stream().mapToLong(x -> x).sum(), 25);
  }
}
