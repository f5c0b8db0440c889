package org.switchboard.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * CPU time (user + system) of another process on this machine, from {@code /proc/<pid>/stat}:
 * the Asterisk and the Switchboard a {@code --asterisk} run loads.
 */
final class ProcessCpu {
  /** {@code getconf CLK_TCK} on Linux. */
  private static final double TICKS_PER_SECOND = 100;

  private final long pid;
  private final double start;

  private ProcessCpu(long pid) {
    this.pid = pid;
    this.start = pid > 0 ? seconds(pid).orElse(Double.NaN) : Double.NaN;
  }

  /** The process whose pid the system property {@code name} gives (none when unset). */
  static ProcessCpu fromProperty(String name) {
    String pid = System.getProperty(name, "");
    return new ProcessCpu(pid.isBlank() ? -1 : Long.parseLong(pid.trim()));
  }

  /** CPU seconds used since this object was made, if the process was and still is readable. */
  OptionalDouble secondsSinceStart() {
    if (Double.isNaN(start)) {
      return OptionalDouble.empty();
    }
    OptionalDouble now = seconds(pid);
    return now.isPresent() ? OptionalDouble.of(now.getAsDouble() - start) : OptionalDouble.empty();
  }

  /** utime + stime of {@code pid} in seconds. */
  static OptionalDouble seconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // After the parenthesised command name: state is field 3, utime 14 and stime 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return OptionalDouble.of((Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return OptionalDouble.empty();
    }
  }
}
