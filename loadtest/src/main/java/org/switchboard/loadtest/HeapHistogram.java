package org.switchboard.loadtest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * A class histogram of the live objects of a JVM ({@code GC.class_histogram}, which collects
 * first), of this JVM or of another process by its pid. The heap probe takes one at its baseline
 * and one at the peak; {@link #perCall} says what each live call added, class by class. Of a
 * {@code --split} node the histogram is the node's own heap, without the simulator's channels or
 * the load generator's bookkeeping.
 *
 * @param bytes shallow bytes of the live objects of each class
 * @param instances live instances of each class
 * @param totalBytes the histogram's total
 */
record HeapHistogram(Map<String, Long> bytes, Map<String, Long> instances, long totalBytes) {
  private static final Pattern ROW =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
  private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");

  /** One class's share of what a live call adds. */
  record Share(String className, double bytesPerCall, double instancesPerCall) {}

  /** Reads the text {@code jcmd PID GC.class_histogram} (or {@code jmap -histo:live}) prints. */
  static HeapHistogram parse(String text) {
    Map<String, Long> bytes = new HashMap<>();
    Map<String, Long> instances = new HashMap<>();
    long total = -1;
    for (String line : text.split("\n")) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        // Two loaders may hold a class of the same name: add them up.
        bytes.merge(row.group(3), Long.parseLong(row.group(2)), Long::sum);
        instances.merge(row.group(3), Long.parseLong(row.group(1)), Long::sum);
        continue;
      }
      Matcher t = TOTAL.matcher(line.trim());
      if (t.find()) {
        total = Long.parseLong(t.group(2));
      }
    }
    if (total < 0) {
      throw new IllegalArgumentException("not a class histogram: "
          + text.substring(0, Math.min(200, text.length())));
    }
    return new HeapHistogram(bytes, instances, total);
  }

  /** This JVM's histogram, through the DiagnosticCommand MBean (a full collection first). */
  static HeapHistogram ofThisJvm() {
    try {
      Object out = ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      return parse((String) out);
    } catch (javax.management.JMException e) {
      throw new IllegalStateException("no class histogram of this JVM: " + e, e);
    }
  }

  /** The histogram of process {@code pid} by the JDK's {@code jcmd} (a full collection first). */
  static HeapHistogram ofProcess(long pid) {
    return parse(jcmd(pid, "GC.class_histogram"));
  }

  /** Dumps this JVM's live objects into {@code file} (HPROF), for a closer look than by class. */
  static void dumpThisJvm(Path file) throws IOException {
    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
        .dumpHeap(file.toString(), true);
  }

  /** Dumps the live objects of process {@code pid} into {@code file} (HPROF). */
  static void dumpProcess(long pid, Path file) {
    jcmd(pid, "GC.heap_dump", file.toAbsolutePath().toString());
  }

  private static String jcmd(long pid, String... command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
    cmd.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("jcmd did not run: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while jcmd ran", e);
    }
  }

  /**
   * What each of {@code calls} live calls added since {@code baseline}, class by class, largest
   * first; classes whose total shrank or grew by less than a byte per call are left out.
   */
  List<Share> perCall(HeapHistogram baseline, int calls) {
    Set<String> names = new HashSet<>(bytes.keySet());
    names.addAll(baseline.bytes.keySet());
    List<Share> shares = new ArrayList<>();
    for (String name : names) {
      double b = (bytes.getOrDefault(name, 0L) - baseline.bytes.getOrDefault(name, 0L))
          / (double) calls;
      double n = (instances.getOrDefault(name, 0L) - baseline.instances.getOrDefault(name, 0L))
          / (double) calls;
      if (b >= 1) {
        shares.add(new Share(name, b, n));
      }
    }
    shares.sort(Comparator.comparingDouble(Share::bytesPerCall).reversed());
    return shares;
  }

  /** {@link #perCall} as text: one line per class, the {@code top} largest, then the total. */
  String perCallText(HeapHistogram baseline, int calls, int top) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "%10s %9s  class (per live call, %d calls)%n", "bytes", "objects", calls));
    List<Share> shares = perCall(baseline, calls);
    for (Share share : shares.subList(0, Math.min(top, shares.size()))) {
      s.append(String.format(Locale.ROOT, "%10.1f %9.2f  %s%n", share.bytesPerCall(),
          share.instancesPerCall(), share.className()));
    }
    s.append(String.format(Locale.ROOT, "%10.1f %9s  total%n",
        (totalBytes - baseline.totalBytes) / (double) calls, ""));
    return s.toString();
  }
}
