package org.switchboard.engine.call;

import org.switchboard.engine.protocol.CallCommand;

import org.switchboard.engine.twiml.verb.CallStatus;

/**
 * Why a call ends from outside its script (its script did not hang up). Decides the final status
 * of an inbound call and whether its channel is known to be gone already.
 */
enum EndCause {
  /** The caller hung up: the call's channel is going or gone. */
  CALLER_HUNG_UP("caller hung up", true),
  /** An ARI command on the call's channel found no channel (404). */
  CHANNEL_GONE("channel gone", true),
  /** A REST request hung the call up ({@link CallCommand.HangUp}). */
  REST_HANGUP("REST hangup", false),
  /** The call reached the maximum call duration. */
  MAX_DURATION("max call duration reached", false),
  /** A ring group stopped the leg whose TwiML runs ({@link CallCommand.CancelLeg}). */
  LEG_CANCELED("leg canceled", false);

  private final String description;
  private final boolean channelGone;

  EndCause(String description, boolean channelGone) {
    this.description = description;
    this.channelGone = channelGone;
  }

  /** Whether the call's channel is known to be gone (no hangup is sent for it). */
  boolean channelGone() {
    return channelGone;
  }

  /**
   * The final status of a call that ends so: {@code completed} once answered; before the answer
   * {@code canceled} for a REST hangup, else {@code unanswered} (configured, spec §2.1).
   */
  CallStatus finalStatus(boolean answered, CallStatus unanswered) {
    if (answered) {
      return CallStatus.COMPLETED;
    }
    return this == REST_HANGUP ? CallStatus.CANCELED : unanswered;
  }

  @Override
  public String toString() {
    return description;
  }
}
