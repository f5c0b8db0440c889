package org.switchboard.engine.twiml;

/**
 * Something the parser ignored without failing: an unknown attribute, an attribute Switchboard
 * does not implement, stray text (Twilio reports these as warning 12200).
 *
 * @param line 1-based line of the element concerned
 * @param column 1-based column of the element concerned
 * @param message what was ignored and where
 */
public record TwimlWarning(int line, int column, String message) {

  @Override
  public String toString() {
    return "line " + line + ", column " + column + ": " + message;
  }
}
