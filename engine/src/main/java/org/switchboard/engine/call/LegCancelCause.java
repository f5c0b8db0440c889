package org.switchboard.engine.call;

/** Why a ringing leg is stopped; every one of them makes the leg report {@code canceled}. */
public enum LegCancelCause {
  /** Another leg of the same ring group answered first. */
  ANSWERED_ELSEWHERE,
  /** The parent call hung up while the leg rang. */
  PARENT_HUNG_UP,
  /** The ring group's timeout fired. */
  TIMEOUT,
  /** An API request ({@code /cancel-ringing}, REST) stopped it. */
  REQUESTED
}
