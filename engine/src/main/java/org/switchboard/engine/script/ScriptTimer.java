package org.switchboard.engine.script;

/**
 * The interpreter's timers, one per meaning. The call actor uses each constant as a timer key, so
 * starting a timer again replaces it and a cancelled timer never fires.
 */
public enum ScriptTimer {
  /** A {@code <Pause>} (top level or inside {@code <Gather>}) elapsed. */
  PAUSE,
  /** {@code <Gather timeout>}: after the prompts, and between digits. */
  GATHER_TIMEOUT,
  /** A {@code w}/{@code W} wait between DTMF segments of {@code <Play digits>}. */
  DIGIT_GAP,
  /** A {@code <Refer>} accepted by Asterisk left the channel up this long: the transfer failed. */
  REFER,
  /** An {@code <Echo>} ran its length. */
  ECHO
}
