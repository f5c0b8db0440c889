package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <Dial>}: ring one or more parties and bridge the first to answer (spec §4.6). A plain
 * text body is held as a single {@link Number}.
 *
 * @param action resolved {@code action}, if any (no default, unlike Gather and Record): without
 *     it the script continues with the next verb when the dial ends
 * @param method default POST
 * @param timeout ring timeout in seconds, clamped to 5–600; default 30
 * @param hangupOnStar default false
 * @param timeLimit maximum bridged seconds, 1–86400; default 14400
 * @param callerId {@code callerId}, if any (default: the caller's ID)
 * @param record default {@code do-not-record}
 * @param recordingTrack default {@code both}
 * @param trim default {@code do-not-trim}
 * @param recordingStatusCallback the {@code recordingStatusCallback*} attributes
 * @param answerOnBridge default false
 * @param ringTone {@code ringTone}, if any (default: carrier ringback)
 * @param sequential ring the nouns one after another instead of together; default false
 * @param referUrl resolved {@code referUrl}, if any
 * @param referMethod default POST
 * @param nouns 1–10 Number/Client/Sip nouns, or exactly one Conference or Queue
 */
public record Dial(
    Optional<URI> action,
    Method method,
    int timeout,
    boolean hangupOnStar,
    int timeLimit,
    Optional<String> callerId,
    Record record,
    RecordingTrack recordingTrack,
    Trim trim,
    RecordingStatusCallback recordingStatusCallback,
    boolean answerOnBridge,
    Optional<RingTone> ringTone,
    boolean sequential,
    Optional<URI> referUrl,
    Method referMethod,
    List<Noun> nouns)
    implements Verb {

  public static final int DEFAULT_TIMEOUT = 30;
  public static final int MIN_TIMEOUT = 5;
  public static final int MAX_TIMEOUT = 600;
  public static final int DEFAULT_TIME_LIMIT = 14_400;
  public static final int MAX_TIME_LIMIT = 86_400;
  public static final int MAX_NOUNS = 10;

  public Dial {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(method, "method");
    timeout = Math.max(MIN_TIMEOUT, Math.min(MAX_TIMEOUT, timeout));
    Checks.range("Dial timeLimit", timeLimit, 1, MAX_TIME_LIMIT);
    Objects.requireNonNull(callerId, "callerId");
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(recordingTrack, "recordingTrack");
    Objects.requireNonNull(trim, "trim");
    Objects.requireNonNull(recordingStatusCallback, "recordingStatusCallback");
    Objects.requireNonNull(ringTone, "ringTone");
    Objects.requireNonNull(referUrl, "referUrl");
    Objects.requireNonNull(referMethod, "referMethod");
    nouns = Checks.list("nouns", nouns);
    Checks.range("Dial noun count", nouns.size(), 1, MAX_NOUNS);
    if (nouns.size() > 1
        && nouns.stream().anyMatch(n -> n instanceof Conference || n instanceof Queue)) {
      throw new IllegalArgumentException("Conference and Queue must be the only noun of a Dial");
    }
  }

  /** A party {@code <Dial>} can reach. */
  public sealed interface Noun permits Number, Sip, Client, Queue, Conference {}

  /** Values of {@code record}; {@code true}/{@code false} alias record-from-answer / do-not-record. */
  public enum Record implements WireEnum {
    DO_NOT_RECORD("do-not-record"),
    RECORD_FROM_ANSWER("record-from-answer"),
    RECORD_FROM_RINGING("record-from-ringing"),
    RECORD_FROM_ANSWER_DUAL("record-from-answer-dual"),
    RECORD_FROM_RINGING_DUAL("record-from-ringing-dual");

    private final String wire;

    Record(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    /** Whether this records at all. */
    public boolean records() {
      return this != DO_NOT_RECORD;
    }

    /** Whether recording starts while ringing rather than on answer. */
    public boolean fromRinging() {
      return this == RECORD_FROM_RINGING || this == RECORD_FROM_RINGING_DUAL;
    }

    /** Whether each party goes to its own channel. */
    public boolean dual() {
      return this == RECORD_FROM_ANSWER_DUAL || this == RECORD_FROM_RINGING_DUAL;
    }

    /** Parses a wire value or its boolean alias. */
    public static Optional<Record> parse(String value) {
      return WireEnum.fromWireOrBoolean(Record.class, value, RECORD_FROM_ANSWER, DO_NOT_RECORD);
    }
  }

  /** Values of {@code recordingTrack}. */
  public enum RecordingTrack implements WireEnum {
    INBOUND("inbound"),
    OUTBOUND("outbound"),
    BOTH("both");

    private final String wire;

    RecordingTrack(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }
  }

  /** Values of {@code ringTone}: the country whose ringback is played. */
  public enum RingTone implements WireEnum {
    AT, AU, BG, BR, BE, CH, CL, CN, CZ, DE, DK, EE, ES, FI, FR, GR, HU, IL, IN, IT, LT, JP, MX, MY,
    NL, NO, NZ, PH, PL, PT, RU, SE, SG, TH, UK, US, US_OLD, TW, VE, ZA;

    @Override
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }
}
