package org.switchboard.engine.protocol;

/**
 * Why a ringing leg is stopped. Every cause makes the leg report {@code canceled}, except {@link
 * #TIMEOUT}, which reports {@code no-answer} (spec §7.3: "our timeout fired → no-answer").
 */
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
