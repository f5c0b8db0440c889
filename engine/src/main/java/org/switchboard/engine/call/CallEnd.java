package org.switchboard.engine.call;

import org.switchboard.engine.protocol.CallCommand;

/**
 * A call ending from outside its script: why ({@code cause}), and the command that ended it ({@code
 * command}: the {@code Deliver} of the hangup event, the REST {@link CallCommand.HangUp} or {@link
 * CallCommand.CancelLeg}, or a {@code HangUp} standing for a timer or a vanished channel). An
 * answered leg's TwiML hands {@code command} back to its leg unacknowledged.
 */
record CallEnd(EndCause cause, CallCommand command) {

  /** An end with no command of its own: a {@link CallCommand.HangUp} naming the cause stands in. */
  static CallEnd of(EndCause cause) {
    return new CallEnd(cause, new CallCommand.HangUp(cause.toString()));
  }
}
