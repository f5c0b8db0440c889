package org.switchboard.asterisk.ari;

/**
 * A text frame or a REST body that is not the JSON ARI promises (malformed, not an object, no
 * {@code type}, a field of the wrong shape). Carries the start of the offending input.
 */
public final class AriDecodeException extends RuntimeException {
  private static final int SNIPPET = 200;
  private final String snippet;

  public AriDecodeException(String reason, String input, Throwable cause) {
    super(reason + ": " + snippetOf(input), cause);
    this.snippet = snippetOf(input);
  }

  /** The first characters of the input that could not be decoded. */
  public String snippet() {
    return snippet;
  }

  private static String snippetOf(String input) {
    if (input == null) {
      return "<null>";
    }
    return input.length() <= SNIPPET ? input : input.substring(0, SNIPPET) + "…";
  }
}
