package org.switchboard.engine.twiml.verb;

/** Values of {@code statusCallbackEvent} on the Dial nouns Number, Sip and Client. */
public enum CallEvent implements WireEnum {
  INITIATED("initiated"),
  RINGING("ringing"),
  ANSWERED("answered"),
  COMPLETED("completed");

  private final String wire;

  CallEvent(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
