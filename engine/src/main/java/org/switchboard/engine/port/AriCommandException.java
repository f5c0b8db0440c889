package org.switchboard.engine.port;

/**
 * An ARI command that Asterisk refused (non-2xx) or that could not be delivered (status 0).
 * Carries Asterisk's own {@code message} (or {@code error}) text.
 */
public final class AriCommandException extends RuntimeException {
  private final String serverId;
  private final String operation;
  private final int status;
  private final String asteriskMessage;

  public AriCommandException(String serverId, String operation, int status, String asteriskMessage) {
    super(serverId + ": " + operation + " failed: " + status + " " + asteriskMessage);
    this.serverId = serverId;
    this.operation = operation;
    this.status = status;
    this.asteriskMessage = asteriskMessage;
  }

  public AriCommandException(String serverId, String operation, Throwable cause) {
    super(serverId + ": " + operation + " failed: " + cause.getMessage(), cause);
    this.serverId = serverId;
    this.operation = operation;
    this.status = 0;
    this.asteriskMessage = String.valueOf(cause.getMessage());
  }

  public String serverId() {
    return serverId;
  }

  /** e.g. {@code POST /channels/{id}/answer}. */
  public String operation() {
    return operation;
  }

  /** The HTTP status Asterisk answered, or 0 when no answer came (timeout, refused). */
  public int status() {
    return status;
  }

  public String asteriskMessage() {
    return asteriskMessage;
  }

  /**
   * Whether Asterisk may still carry the command out: no answer came (status 0: a timeout, a
   * dropped connection), so the client cannot tell it failed. Callers reconcile instead of
   * assuming failure (ARCHITECTURE.md, "Uncertain ARI outcomes").
   */
  public boolean outcomeUnknown() {
    return status == 0;
  }

  /**
   * Whether {@code error} (a port future's failure, wrapped or not) leaves the command's outcome
   * unknown: no answer from Asterisk, or an error that is not Asterisk's answer at all.
   */
  public static boolean outcomeUnknown(Throwable error) {
    Throwable cause = Failures.cause(error);
    return !(cause instanceof AriCommandException ace) || ace.outcomeUnknown();
  }

  /** The channel, bridge, playback or recording no longer exists on Asterisk. */
  public boolean isNotFound() {
    return status == 404;
  }
}
