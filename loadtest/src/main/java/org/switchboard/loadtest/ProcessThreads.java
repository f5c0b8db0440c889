package org.switchboard.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the threads of another process on this machine did, from {@code /proc/<pid>/task}: CPU
 * time and context switches by thread group (the kernel's thread name, at most 15 characters,
 * without its digits, so a pool's threads add up: {@code switchboard-pek} for the node's Pekko
 * dispatchers, {@code GC Thread#}, {@code C CompilerThre}…). A voluntary switch is a thread that
 * blocked (parked, waited, polled with nothing to do): on a 2-core VM each costs a futex and
 * usually a wake-up of another thread, which is much of a call's CPU at moderate rates. The node
 * of a {@code --split} run.
 */
final class ProcessThreads {
  /** {@code getconf CLK_TCK} on Linux. */
  private static final double TICKS_PER_SECOND = 100;

  /** One thread group's counters: CPU ticks, voluntary and involuntary context switches. */
  record Counters(long ticks, long voluntary, long involuntary) {
    Counters plus(Counters o) {
      return new Counters(ticks + o.ticks, voluntary + o.voluntary, involuntary + o.involuntary);
    }

    Counters minus(Counters o) {
      return new Counters(ticks - o.ticks, voluntary - o.voluntary, involuntary - o.involuntary);
    }
  }

  private final long pid;
  private final Map<Long, Named> start;

  /** A thread's group and what it did so far. */
  record Named(String group, Counters counters) {}

  private ProcessThreads(long pid, Map<Long, Named> start) {
    this.pid = pid;
    this.start = start;
  }

  /** Starts counting the threads of {@code pid}. */
  static ProcessThreads start(long pid) {
    return new ProcessThreads(pid, read(pid));
  }

  /**
   * What each thread group did since {@link #start}, busiest first (threads that ended meanwhile
   * are missing; threads that started count from zero).
   */
  Map<String, Counters> since() {
    Map<String, Counters> groups = new HashMap<>();
    read(pid).forEach((tid, now) -> {
      Named before = start.get(tid);
      Counters used = before == null ? now.counters() : now.counters().minus(before.counters());
      groups.merge(now.group(), used, Counters::plus);
    });
    Map<String, Counters> sorted = new LinkedHashMap<>();
    groups.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().ticks(), a.getValue().ticks()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /**
   * One line per group with anything to show: "group ms CPU per call, voluntary + involuntary
   * switches per call", then the total.
   */
  static String perCall(Map<String, Counters> groups, int calls) {
    if (calls <= 0 || groups.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder();
    Counters total = new Counters(0, 0, 0);
    for (Map.Entry<String, Counters> g : groups.entrySet()) {
      Counters c = g.getValue();
      total = total.plus(c);
      if (c.ticks() == 0 && c.voluntary() + c.involuntary() < calls / 10) {
        continue;
      }
      s.append(String.format(java.util.Locale.ROOT, "%s %.3f ms, %.1f + %.1f switches; ",
          g.getKey().strip(), c.ticks() * 1000 / TICKS_PER_SECOND / calls,
          (double) c.voluntary() / calls, (double) c.involuntary() / calls));
    }
    s.append(String.format(java.util.Locale.ROOT, "all %.3f ms, %.1f + %.1f switches",
        total.ticks() * 1000 / TICKS_PER_SECOND / calls, (double) total.voluntary() / calls,
        (double) total.involuntary() / calls));
    return s.toString();
  }

  private static Map<Long, Named> read(long pid) {
    Map<Long, Named> threads = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      tasks.forEach(task -> {
        try {
          threads.put(Long.parseLong(task.getFileName().toString()), parse(
              Files.readString(task.resolve("stat")), Files.readString(task.resolve("status"))));
        } catch (IOException | RuntimeException e) {
          // the thread ended while being read
        }
      });
    } catch (IOException e) {
      // the process is gone: nothing to count
    }
    return threads;
  }

  /** A thread's group and counters from its {@code stat} and {@code status} files. */
  static Named parse(String stat, String status) {
    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    // After the parenthesised name: state is field 3, utime 14 and stime 15.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    long voluntary = 0;
    long involuntary = 0;
    for (String line : status.split("\n")) {
      if (line.startsWith("voluntary_ctxt_switches:")) {
        voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
      } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
        involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
      }
    }
    return new Named(comm.replaceAll("[0-9]", ""), new Counters(ticks, voluntary, involuntary));
  }
}
