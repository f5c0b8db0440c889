package org.switchboard.asterisk.sim;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the far end of an outbound leg does. The text form ({@link #parse}, {@link #spec}) is used by
 * the control API and the command line: {@code answer}, {@code answer-after-<ms>}, {@code busy},
 * {@code busy-after-<ms>}, {@code congestion}, {@code reject}, {@code no-answer}, {@code fail},
 * {@code nonexistent}.
 */
public sealed interface DialBehaviour {

  /** Rings for {@code after} (no ringing when zero), then answers. */
  record Answer(Duration after) implements DialBehaviour {}

  /** Optionally rings for {@code after}, then reports busy (cause 17). */
  record Busy(Duration after) implements DialBehaviour {}

  /** Optionally rings for {@code after}, then reports congestion (cause 34). */
  record Congestion(Duration after) implements DialBehaviour {}

  /** Rejects the call with cause 21, like dialplan {@code Hangup(21)}. */
  record Reject(Duration after) implements DialBehaviour {}

  /** Rings until the originate/dial timeout (cause 19) or a cancel. */
  record NoAnswer() implements DialBehaviour {}

  /** The channel cannot be allocated: 500 {@code {"error":"Allocation failed"}}. */
  record Fail() implements DialBehaviour {}

  /** A Local extension that does not exist: 200, then the channel is destroyed with cause 0. */
  record Nonexistent() implements DialBehaviour {}

  Pattern AFTER = Pattern.compile("(answer|busy|congestion|reject)-after-(\\d+)");

  /**
   * Parses the text form.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static DialBehaviour parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    Matcher m = AFTER.matcher(s);
    if (m.matches()) {
      return of(m.group(1), Duration.ofMillis(Long.parseLong(m.group(2))));
    }
    return switch (s) {
      case "answer", "busy", "congestion", "reject" -> of(s, Duration.ZERO);
      case "no-answer", "noanswer", "ring-forever" -> new NoAnswer();
      case "fail" -> new Fail();
      case "nonexistent" -> new Nonexistent();
      default -> throw new IllegalArgumentException("unknown dial behaviour '" + spec + "'");
    };
  }

  private static DialBehaviour of(String kind, Duration after) {
    return switch (kind) {
      case "answer" -> new Answer(after);
      case "busy" -> new Busy(after);
      case "congestion" -> new Congestion(after);
      default -> new Reject(after);
    };
  }

  /** The text form of this behaviour. */
  default String spec() {
    if (this instanceof Answer a) {
      return withDelay("answer", a.after());
    } else if (this instanceof Busy b) {
      return withDelay("busy", b.after());
    } else if (this instanceof Congestion c) {
      return withDelay("congestion", c.after());
    } else if (this instanceof Reject r) {
      return withDelay("reject", r.after());
    } else if (this instanceof NoAnswer) {
      return "no-answer";
    } else if (this instanceof Fail) {
      return "fail";
    }
    return "nonexistent";
  }

  private static String withDelay(String kind, Duration after) {
    return after.isZero() ? kind : kind + "-after-" + after.toMillis();
  }
}
