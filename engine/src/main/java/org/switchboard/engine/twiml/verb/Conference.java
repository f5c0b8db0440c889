package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code <Conference>} noun of {@code <Dial>}: join a named conference room (spec §4.9).
 *
 * @param name the room name (body)
 * @param muted default false
 * @param beep default {@code true}
 * @param startConferenceOnEnter default true
 * @param endConferenceOnExit default false
 * @param participantLabel ≤ 128 characters, if any
 * @param waitUrl hold audio until the conference starts; default music when absent
 * @param waitMethod default POST, or GET when {@code waitUrl} is absent
 * @param maxParticipants 2–250, default 250
 * @param record default {@code do-not-record}
 * @param trim default {@code trim-silence}
 * @param statusCallback the conference {@code statusCallback*} attributes
 * @param recordingStatusCallback the {@code recordingStatusCallback*} attributes
 * @param coach the CallSid of the participant this one coaches ({@code coach}), if any
 */
public record Conference(
    String name,
    boolean muted,
    Beep beep,
    boolean startConferenceOnEnter,
    boolean endConferenceOnExit,
    Optional<String> participantLabel,
    WaitUrl waitUrl,
    Method waitMethod,
    int maxParticipants,
    Record record,
    Trim trim,
    EventCallback statusCallback,
    RecordingStatusCallback recordingStatusCallback,
    Optional<String> coach)
    implements Dial.Noun {

  public static final int MAX_PARTICIPANTS = 250;
  public static final int MAX_LABEL_LENGTH = 128;

  public Conference {
    Checks.nonBlank("Conference name", name);
    Objects.requireNonNull(beep, "beep");
    Objects.requireNonNull(participantLabel, "participantLabel");
    participantLabel.ifPresent(l -> Checks.maxLength("participantLabel", l, MAX_LABEL_LENGTH));
    Objects.requireNonNull(waitUrl, "waitUrl");
    Objects.requireNonNull(waitMethod, "waitMethod");
    Checks.range("Conference maxParticipants", maxParticipants, 2, MAX_PARTICIPANTS);
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(trim, "trim");
    Objects.requireNonNull(statusCallback, "statusCallback");
    Objects.requireNonNull(recordingStatusCallback, "recordingStatusCallback");
    Objects.requireNonNull(coach, "coach");
    coach.ifPresent(c -> Checks.nonBlank("Conference coach", c));
  }

  /** A participant that coaches nobody. */
  public Conference(String name, boolean muted, Beep beep, boolean startConferenceOnEnter,
      boolean endConferenceOnExit, Optional<String> participantLabel, WaitUrl waitUrl,
      Method waitMethod, int maxParticipants, Record record, Trim trim,
      EventCallback statusCallback, RecordingStatusCallback recordingStatusCallback) {
    this(name, muted, beep, startConferenceOnEnter, endConferenceOnExit, participantLabel,
        waitUrl, waitMethod, maxParticipants, record, trim, statusCallback,
        recordingStatusCallback, Optional.empty());
  }

  /** Values of {@code beep}. */
  public enum Beep implements WireEnum {
    TRUE("true"),
    FALSE("false"),
    ON_ENTER("onEnter"),
    ON_EXIT("onExit");

    private final String wire;

    Beep(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }
  }

  /** Values of {@code record}; {@code true}/{@code false} are accepted as aliases. */
  public enum Record implements WireEnum {
    DO_NOT_RECORD("do-not-record"),
    RECORD_FROM_START("record-from-start");

    private final String wire;

    Record(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    /** Parses a wire value or its boolean alias. */
    public static Optional<Record> parse(String value) {
      return WireEnum.fromWireOrBoolean(Record.class, value, RECORD_FROM_START, DO_NOT_RECORD);
    }
  }

  /** Values of the conference {@code statusCallbackEvent}. */
  public enum Event implements WireEnum {
    START("start"),
    END("end"),
    JOIN("join"),
    LEAVE("leave"),
    MUTE("mute"),
    HOLD("hold"),
    MODIFY("modify"),
    SPEAKER("speaker"),
    ANNOUNCEMENT("announcement");

    private final String wire;

    Event(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }
  }

  /**
   * The conference {@code statusCallback}, {@code statusCallbackMethod} and {@code
   * statusCallbackEvent} attributes.
   *
   * @param url resolved URL, empty when absent
   * @param method default POST
   * @param events default none
   */
  public record EventCallback(Optional<URI> url, Method method, Set<Event> events) {

    /** No callback. */
    public static final EventCallback NONE =
        new EventCallback(Optional.empty(), Method.POST, Set.of());

    public EventCallback {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(method, "method");
      events = Checks.set("events", events);
    }
  }
}
