package org.switchboard.engine.script;

/** Why a TwiML document is requested; for logs, metrics and the call actor's bookkeeping. */
public enum FetchPurpose {
  /** The voice URL, on StasisStart. */
  INITIAL,
  /** A Gather/Record/Dial/Enqueue/Connect {@code action}. */
  ACTION,
  /** {@code <Redirect>} or a REST redirect. */
  REDIRECT,
  /** The fallback URL after a failed request. */
  FALLBACK,
  /** An {@code <Enqueue waitUrl>} request. */
  WAIT_URL,
  /** A {@code <Record>} action after the caller hung up: its TwiML cannot run. */
  AFTER_HANGUP
}
