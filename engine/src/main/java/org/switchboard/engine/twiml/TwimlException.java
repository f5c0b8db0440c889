package org.switchboard.engine.twiml;

/**
 * A TwiML document that cannot run. Carries a Twilio-style error code, the position of the
 * offending construct and a message naming it; the call handles it as an application error
 * (fallback URL, else the error prompt and hangup).
 */
public final class TwimlException extends Exception {

  private final Kind kind;
  private final int line;
  private final int column;

  /** Creates an exception at a position (line/column 1-based; 0 when unknown). */
  public TwimlException(Kind kind, int line, int column, String message) {
    this(kind, line, column, message, null);
  }

  /** Creates an exception with a cause. */
  public TwimlException(Kind kind, int line, int column, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.line = line;
    this.column = column;
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /** Twilio-style error code, e.g. 12100. */
  public int code() {
    return kind.code();
  }

  /** 1-based line, 0 when unknown. */
  public int line() {
    return line;
  }

  /** 1-based column, 0 when unknown. */
  public int column() {
    return column;
  }

  @Override
  public String getMessage() {
    return kind.code() + " " + kind + " at line " + line + ", column " + column + ": "
        + super.getMessage();
  }

  /** The error kinds, each with its Twilio error code. */
  public enum Kind {
    /** The body is not well-formed XML, or uses a DTD / entity declarations. */
    MALFORMED_XML(12100),
    /** The body exceeds one of the parser's limits (size, depth, elements, attributes, text). */
    TOO_LARGE(12100),
    /** The parser itself failed on the body (a Switchboard bug, logged with its cause). */
    PARSER_FAILURE(12100),
    /** The root element is not {@code <Response>}. */
    INVALID_ROOT(12200),
    /** An element name that is not a TwiML verb or noun (names are case-sensitive). */
    UNKNOWN_ELEMENT(12200),
    /** A real TwiML element Switchboard does not implement (Pay, Sms, Connect Room…). */
    UNSUPPORTED_ELEMENT(12200),
    /** An element where it may not appear (e.g. Record in Gather), or missing a required child. */
    INVALID_NESTING(12200),
    /** An attribute or body value outside its allowed set or range. */
    INVALID_VALUE(12200),
    /** A URL that cannot be parsed or resolved. */
    INVALID_URL(12200);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** Twilio-style error code. */
    public int code() {
      return code;
    }
  }
}
