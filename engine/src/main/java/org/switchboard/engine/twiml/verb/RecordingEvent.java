package org.switchboard.engine.twiml.verb;

/** Values of {@code recordingStatusCallbackEvent} (space-separated set). */
public enum RecordingEvent implements WireEnum {
  IN_PROGRESS("in-progress"),
  COMPLETED("completed"),
  ABSENT("absent");

  private final String wire;

  RecordingEvent(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
