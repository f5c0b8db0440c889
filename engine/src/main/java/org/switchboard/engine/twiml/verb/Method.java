package org.switchboard.engine.twiml.verb;

/**
 * The HTTP method of a TwiML {@code method} attribute ({@code action}, {@code statusCallback},
 * {@code waitUrl}, … each have one) and of every request the engine makes to the application.
 */
public enum Method {
  GET,
  POST;

  /** TwiML {@code method} attributes: anything but GET (case-insensitive) is POST. */
  public static Method parse(String value) {
    return value != null && value.trim().equalsIgnoreCase("GET") ? GET : POST;
  }
}
