package org.switchboard.asterisk.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A failure the simulator plays instead of running an ARI request, for tests of what a client
 * does when Asterisk is slow or refuses (the overload a busy server shows): the next {@code times}
 * requests whose method and path (under {@code /ari}, e.g. {@code channels/abc}) match get
 * {@code status} with Asterisk's error body without running, or, with {@link #NO_ANSWER}, no answer
 * at all (the HTTP request is held open, the socket request is never answered), so the client's
 * own timeout decides, or, {@link #late}, an answer held for {@code delay} after which the
 * request runs anyway (an Asterisk that carries out a request its client already gave up on).
 *
 * @param method the HTTP method, or {@code *} for any
 * @param pathGlob the path under {@code /ari} with {@code *} for any run of characters
 * @param times how many matching requests fail
 * @param status the status answered, or {@link #NO_ANSWER}
 * @param delay for a {@link #late} fault, how long the request waits before it runs; zero otherwise
 */
public record SimFault(String method, String pathGlob, int times, int status, Duration delay) {
  /** The status of a fault that answers nothing. */
  public static final int NO_ANSWER = 0;

  public SimFault {
    delay = delay == null ? Duration.ZERO : delay;
    if (delay.isNegative()) {
      throw new IllegalArgumentException("a fault's delay cannot be negative: " + delay);
    }
  }

  /** A fault without delay: {@code status}, or no answer with {@link #NO_ANSWER}. */
  public SimFault(String method, String pathGlob, int times, int status) {
    this(method, pathGlob, times, status, Duration.ZERO);
  }

  /** The next {@code times} {@code method path} requests get {@code status} without running. */
  public static SimFault status(String method, String pathGlob, int times, int status) {
    return new SimFault(method, pathGlob, times, status);
  }

  /** The next {@code times} {@code method path} requests get no answer. */
  public static SimFault noAnswer(String method, String pathGlob, int times) {
    return new SimFault(method, pathGlob, times, NO_ANSWER);
  }

  /**
   * The next {@code times} {@code method path} requests run only after {@code delay} (on the
   * simulator's clock) and are answered then, as Asterisk would, however late: a client whose
   * timeout is shorter gives up on a request that is carried out after all.
   */
  public static SimFault late(String method, String pathGlob, int times, Duration delay) {
    return new SimFault(method, pathGlob, times, NO_ANSWER, delay);
  }

  /** Whether this fault runs the request late instead of failing it. */
  public boolean isLate() {
    return !delay.isZero();
  }

  /** The faults still armed, under the core's lock. */
  static final class Armed {
    private final List<Rule> rules = new ArrayList<>();

    void add(SimFault fault) {
      rules.add(new Rule(fault, glob(fault.pathGlob()), fault.times()));
    }

    void clear() {
      rules.clear();
    }

    /** How many requests the armed faults will still take. */
    int left() {
      return rules.stream().mapToInt(r -> r.left).sum();
    }

    /** The fault {@code method path} meets now (counting it), if any. */
    Optional<SimFault> take(String method, List<String> segments) {
      if (rules.isEmpty()) {
        return Optional.empty();
      }
      String path = String.join("/", segments);
      for (Rule rule : rules) {
        if (rule.left > 0 && (rule.fault.method().equals("*") || rule.fault.method().equals(method))
            && rule.path.matcher(path).matches()) {
          rule.left--;
          if (rule.left == 0) {
            rules.remove(rule);
          }
          return Optional.of(rule.fault);
        }
      }
      return Optional.empty();
    }

    private static Pattern glob(String glob) {
      List<String> parts = new ArrayList<>();
      for (String part : glob.split("\\*", -1)) {
        parts.add(Pattern.quote(part));
      }
      return Pattern.compile(String.join(".*", parts));
    }

    private static final class Rule {
      final SimFault fault;
      final Pattern path;
      int left;

      Rule(SimFault fault, Pattern path, int left) {
        this.fault = fault;
        this.path = path;
        this.left = left;
      }
    }
  }
}
