package org.switchboard.engine.twiml.verb;

/** Silence trimming of a recording ({@code trim} on Record, Dial and Conference). */
public enum Trim implements WireEnum {
  TRIM_SILENCE("trim-silence"),
  DO_NOT_TRIM("do-not-trim");

  private final String wire;

  Trim(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
