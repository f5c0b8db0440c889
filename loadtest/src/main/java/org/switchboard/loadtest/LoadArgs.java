package org.switchboard.loadtest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The load generator's command line.
 *
 * @param profile which call script every caller follows
 * @param calls how many calls to place
 * @param rate calls placed per second (the pacing target)
 * @param concurrency at most this many calls are live at once; placing waits for a free slot
 * @param duration hard limit of the whole run; calls still live then count as failed
 * @param json print only the JSON result line on stdout (no human summary)
 * @param mode in one process, three processes, or a real Asterisk
 * @param asterisk ARI settings of a real Asterisk ({@link Mode#ASTERISK} only)
 * @param grace how long to wait after the last call ended before looking for orphans
 * @param hold how long a {@code queue} caller waits before hanging up, at most
 * @param heapProbe measure heap per live call at the peak (full GCs; not on a real Asterisk)
 * @param warmup calls run (same profile, rate and concurrency) before the measured ones, so the
 *     JIT compiler, connection pools and the TTS cache are warm; not counted. {@link #AUTO_WARMUP}:
 *     rounds of calls until the JIT compiler is quiet (in-process only)
 * @param samples a CSV file that gets every latency sample of the measured calls with its time,
 *     to see when the tails happened (e.g. next to a GC log)
 */
public record LoadArgs(
    Profile profile,
    int calls,
    double rate,
    int concurrency,
    Duration duration,
    boolean json,
    Mode mode,
    Optional<AsteriskTarget> asterisk,
    Duration grace,
    Duration hold,
    boolean heapProbe,
    int warmup,
    Optional<Path> samples) {

  /** {@code --warmup auto}: warm up in rounds until the JIT compiler is quiet. */
  public static final int AUTO_WARMUP = -1;

  /** Where Switchboard and its Asterisk run. */
  public enum Mode {
    /** Simulator, node and test application in this JVM. */
    IN_PROCESS,
    /** Simulator and node each in its own JVM, the test application in this one. */
    SPLIT,
    /** A real Asterisk: calls are originated into its dialplan. */
    ASTERISK
  }

  /**
   * A real Asterisk to load.
   *
   * @param ariUrl ARI base URL, e.g. {@code http://127.0.0.1:8088/ari}
   * @param user ARI user
   * @param password ARI password
   * @param app the Stasis application Switchboard serves
   * @param inboundContext dialplan context that sends a number into {@code Stasis(app,inbound,…)}
   * @param callerContext dialplan context the caller's half of each Local call runs
   * @param callerExtension extension there: {@code s} of {@code loadtest-caller} just waits; the
   *     {@code menu} profile's default, {@code dtmf-1} of the {@code phones} context of {@code
   *     asterisk-up}'s dialplan, answers and presses 1 a second later
   */
  public record AsteriskTarget(
      URI ariUrl,
      String user,
      String password,
      String app,
      String inboundContext,
      String callerContext,
      String callerExtension) {}

  /** The usage text. */
  public static final String USAGE =
      """
      usage: scripts/loadtest [--profile simple|ivr|menu|hotline|queue] [--calls N] [--rate CALLS_PER_S]
                              [--concurrency N] [--duration SECONDS] [--json] [--split]
                              [--grace SECONDS] [--hold SECONDS] [--no-heap-probe]
                              [--warmup CALLS|auto] [--samples FILE.csv]
                              [--asterisk ARI_URL --ari-user U --ari-password P [--ari-app A]
                               [--inbound-context C] [--caller-context C] [--caller-extension E]]
      The last line of stdout is one JSON object with the results; exit status 1 if any call
      failed, any event was lost or anything was orphaned, 2 on bad arguments.""";

  /** Parses {@code args}; throws {@link IllegalArgumentException} with a readable message. */
  public static LoadArgs parse(String... args) {
    Profile profile = Profile.SIMPLE;
    Integer calls = null;
    double rate = -1;
    int concurrency = -1;
    Duration duration = null;
    boolean json = false;
    boolean split = false;
    String ariUrl = null;
    String user = "asterisk";
    String password = "asterisk";
    String app = "switchboard";
    String inbound = "switchboard-in";
    String caller = null;
    String callerExtension = null;
    Duration grace = Duration.ofSeconds(3);
    Duration hold = null;
    boolean heapProbe = true;
    Integer warmup = null;
    Path samples = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--profile" -> profile = Profile.parse(value(args, ++i, a));
        case "--calls" -> calls = positiveInt(value(args, ++i, a), a);
        case "--rate" -> rate = positiveDouble(value(args, ++i, a), a);
        case "--concurrency" -> concurrency = positiveInt(value(args, ++i, a), a);
        case "--duration" -> duration = seconds(value(args, ++i, a), a);
        case "--grace" -> grace = seconds(value(args, ++i, a), a);
        case "--hold" -> hold = seconds(value(args, ++i, a), a);
        case "--json" -> json = true;
        case "--split" -> split = true;
        case "--no-heap-probe" -> heapProbe = false;
        case "--warmup" -> {
          String v = value(args, ++i, a);
          warmup = v.equals("auto") ? AUTO_WARMUP : nonNegativeInt(v, a);
        }
        case "--samples" -> samples = Path.of(value(args, ++i, a));
        case "--asterisk" -> ariUrl = value(args, ++i, a);
        case "--ari-user" -> user = value(args, ++i, a);
        case "--ari-password" -> password = value(args, ++i, a);
        case "--ari-app" -> app = value(args, ++i, a);
        case "--inbound-context" -> inbound = value(args, ++i, a);
        case "--caller-context" -> caller = value(args, ++i, a);
        case "--caller-extension" -> callerExtension = value(args, ++i, a);
        default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
      }
    }
    if (split && ariUrl != null) {
      throw new IllegalArgumentException("--split and --asterisk exclude each other");
    }
    int n = calls != null ? calls : profile.defaultCalls();
    int conc = concurrency > 0 ? concurrency : Math.min(n, profile.defaultConcurrency());
    double r = rate > 0 ? rate : profile.defaultRate();
    Duration d = duration != null ? duration : Duration.ofSeconds(Math.max(60, (long) (3 * n / r) + 60));
    Duration h = hold != null ? hold : Duration.ofSeconds(Math.max(30, (long) (n / r) + 30));
    Optional<AsteriskTarget> target =
        ariUrl == null
            ? Optional.empty()
            : Optional.of(
                new AsteriskTarget(URI.create(stripSlash(ariUrl)), user, password, app, inbound,
                    caller != null ? caller : profile == Profile.MENU ? "phones" : "loadtest-caller",
                    callerExtension != null ? callerExtension
                        : profile == Profile.MENU ? "dtmf-1" : "s"));
    Mode mode = ariUrl != null ? Mode.ASTERISK : split ? Mode.SPLIT : Mode.IN_PROCESS;
    int w = warmup != null ? warmup : mode == Mode.ASTERISK ? 0
        : mode == Mode.IN_PROCESS && profile != Profile.QUEUE ? AUTO_WARMUP : Math.min(n, 1000);
    if (w == AUTO_WARMUP && mode != Mode.IN_PROCESS) {
      throw new IllegalArgumentException(
          "--warmup auto watches this JVM's JIT compiler: in-process runs only");
    }
    return new LoadArgs(profile, n, r, conc, d, json, mode, target, grace, h, heapProbe, w,
        Optional.ofNullable(samples));
  }

  /** The same run with {@code calls} calls, no warm-up, no heap probe and no sample file. */
  public LoadArgs warmupRun(int calls) {
    return new LoadArgs(profile, calls, warmupRate(), Math.min(concurrency, calls), duration,
        json, mode, asterisk, grace, Duration.ofSeconds(30), false, 0, Optional.empty());
  }

  /**
   * The rate of the warm-up calls: the run's, or {@code -Dloadtest.warmup-rate=R}. A warm-up
   * offered more than the node holds keeps both cores busy with calls, so the JIT compiler threads
   * get little CPU and each compilation takes many times its CPU time: the compiler never looks
   * quiet (docs/performance.md, "The JIT that never went quiet"). Warming up below the node's
   * maximum lets it finish.
   */
  public double warmupRate() {
    double r = Double.parseDouble(System.getProperty("loadtest.warmup-rate", "0"));
    return r > 0 ? r : rate;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static int positiveInt(String v, String flag) {
    try {
      int n = Integer.parseInt(v.replace("_", ""));
      if (n <= 0) {
        throw new IllegalArgumentException(flag + " must be > 0, got " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " wants a whole number, got '" + v + "'");
    }
  }

  private static int nonNegativeInt(String v, String flag) {
    return v.equals("0") ? 0 : positiveInt(v, flag);
  }

  private static double positiveDouble(String v, String flag) {
    try {
      double d = Double.parseDouble(v);
      if (!(d > 0) || Double.isInfinite(d)) {
        throw new IllegalArgumentException(flag + " must be > 0, got " + v);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " wants a number, got '" + v + "'");
    }
  }

  private static Duration seconds(String v, String flag) {
    String s = v.toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      double d = Double.parseDouble(s.endsWith("s") ? s.substring(0, s.length() - 1) : s);
      if (d < 0) {
        throw new IllegalArgumentException(flag + " must not be negative");
      }
      return Duration.ofMillis((long) (d * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " wants seconds (e.g. 30 or 1.5s or 500ms), got '" + v + "'");
    }
  }
}
