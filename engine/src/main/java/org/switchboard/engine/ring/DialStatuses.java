package org.switchboard.engine.ring;

import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.twiml.verb.CallStatus;

/**
 * How an outbound leg that never reached the bridge ends, in Twilio terms (spec §7.3, §7.4).
 *
 * <p>{@code Dial.dialstatus} is the reliable signal for BUSY, CONGESTION and CHANUNAVAIL (an
 * originated Local channel reports cause 0 on busy/congestion, ARI-NOTES point 3); otherwise the
 * Q.850 cause of {@code ChannelDestroyed} decides, and the last dial status is the fallback when
 * the cause is 0 ("Unknown").
 */
public final class DialStatuses {

  /** Twilio CallStatus values a leg can end with (and DialCallStatus values, spelled alike). */
  public static final String COMPLETED = CallStatus.COMPLETED.wire();

  public static final String BUSY = CallStatus.BUSY.wire();
  public static final String NO_ANSWER = CallStatus.NO_ANSWER.wire();
  public static final String FAILED = CallStatus.FAILED.wire();
  public static final String CANCELED = CallStatus.CANCELED.wire();

  /** §7.4: Q.850 cause of an unanswered leg → Twilio status. Causes not listed are failures. */
  private static final Map<Integer, String> BY_CAUSE =
      Map.ofEntries(
          Map.entry(16, NO_ANSWER),
          Map.entry(17, BUSY),
          Map.entry(18, NO_ANSWER),
          Map.entry(19, NO_ANSWER),
          Map.entry(20, FAILED),
          Map.entry(21, BUSY),
          Map.entry(1, FAILED),
          Map.entry(3, FAILED),
          Map.entry(22, FAILED),
          Map.entry(28, FAILED),
          Map.entry(26, CANCELED),
          Map.entry(27, FAILED),
          Map.entry(38, FAILED),
          Map.entry(41, FAILED),
          Map.entry(42, FAILED),
          Map.entry(44, FAILED),
          Map.entry(34, FAILED),
          Map.entry(31, NO_ANSWER),
          Map.entry(58, FAILED),
          Map.entry(102, FAILED),
          Map.entry(127, FAILED));

  /** chan_pjsip {@code hangup_cause2sip}: the SIP response a cause stands for. */
  private static final Map<Integer, Integer> SIP_BY_CAUSE =
      Map.ofEntries(
          Map.entry(1, 404),
          Map.entry(2, 404),
          Map.entry(3, 404),
          Map.entry(17, 486),
          Map.entry(18, 408),
          Map.entry(19, 480),
          Map.entry(20, 480),
          Map.entry(31, 480),
          Map.entry(21, 403),
          Map.entry(22, 410),
          Map.entry(28, 484),
          Map.entry(34, 503),
          Map.entry(42, 503),
          Map.entry(38, 500),
          Map.entry(127, 500),
          Map.entry(27, 502),
          Map.entry(58, 488),
          Map.entry(29, 501),
          Map.entry(23, 302));

  private DialStatuses() {}

  /**
   * A final status decided by the dial status alone, without waiting for the channel to be
   * destroyed: BUSY → busy, CONGESTION and CHANUNAVAIL → failed.
   */
  public static Optional<String> terminalDialStatus(String dialStatus) {
    return switch (dialStatus) {
      case "BUSY" -> Optional.of(BUSY);
      case "CONGESTION", "CHANUNAVAIL" -> Optional.of(FAILED);
      default -> Optional.empty();
    };
  }

  /**
   * The status of a leg destroyed before it answered.
   *
   * @param lastDialStatus the last {@code Dial.dialstatus} seen for the leg, if any
   * @param cause {@code ChannelDestroyed.cause}; 0 when Asterisk did not know it
   */
  public static String unanswered(Optional<String> lastDialStatus, int cause) {
    Optional<String> terminal = lastDialStatus.flatMap(DialStatuses::terminalDialStatus);
    if (terminal.isPresent()) {
      return terminal.get();
    }
    if (cause != 0) {
      return BY_CAUSE.getOrDefault(cause, FAILED);
    }
    return switch (lastDialStatus.orElse("")) {
      case "NOANSWER" -> NO_ANSWER;
      case "CANCEL" -> CANCELED;
      default -> FAILED;
    };
  }

  /** The SIP response code a Q.850 cause stands for, if there is one. */
  public static Optional<Integer> sipCode(int cause) {
    return Optional.ofNullable(SIP_BY_CAUSE.get(cause));
  }

  /** The SIP code a terminal dial status stands for: BUSY 486, CONGESTION 503. */
  public static Optional<Integer> sipCodeForDialStatus(String dialStatus) {
    return switch (dialStatus) {
      case "BUSY" -> Optional.of(486);
      case "CONGESTION" -> Optional.of(503);
      default -> Optional.empty();
    };
  }

  /** The status a leg stopped for {@code cause} reports: no-answer on timeout, else canceled. */
  public static String cancelStatus(LegCancelCause cause) {
    return cause == LegCancelCause.TIMEOUT ? NO_ANSWER : CANCELED;
  }

  /** The {@code DELETE /channels} reason used to stop a ringing leg for {@code cause}. */
  public static HangupReason hangupReason(LegCancelCause cause) {
    return switch (cause) {
      case ANSWERED_ELSEWHERE -> HangupReason.ANSWERED_ELSEWHERE;
      case TIMEOUT -> HangupReason.NO_ANSWER;
      case PARENT_HUNG_UP, REQUESTED -> HangupReason.NORMAL;
    };
  }
}
