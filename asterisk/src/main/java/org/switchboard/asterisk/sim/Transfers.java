package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * Transfers requested by a SIP REFER on a PJSIP channel whose transfers ARI handles, as Asterisk
 * 22.3+ does them ({@code res_pjsip_refer.c} in {@code ari-only} mode, {@code
 * main/stasis_channels.c} {@code ari_transfer_to_json}):
 *
 * <ul>
 *   <li>{@code POST /channels/{id}/variable?variable=PJSIP_TRANSFER_HANDLING()&value=ari-only}
 *       turns it on ({@code core} or empty off); on another technology, or with another value, it
 *       changes nothing and still answers 204 (Asterisk runs the write on the channel's thread and
 *       only logs the function's refusal); no {@code ChannelVarset} (a dialplan function's write).
 *   <li>{@link #refer}: the far end's REFER. Asterisk answers it 202 and the first {@code NOTIFY}
 *       itself, then emits {@code ChannelTransfer} (no {@code state}) on the transferer's topic:
 *       {@code refer_to.requested_destination.destination} is the user part of the Refer-To URI,
 *       {@code referred_by} the transferer's snapshot, its bridge and the bridge's other channel
 *       (only when the bridge holds exactly two).
 *   <li>{@code POST /channels/{id}/transfer_progress?states=}: 404/409 as {@code find_control},
 *       400 for an empty or unknown state; while a REFER is pending on the channel, another {@code
 *       ChannelTransfer} with {@code state} ({@code channel_unavailable} is reported as {@code
 *       channel_declined}, as {@code ast_channel_transfer_state2str} does); every state but
 *       {@code channel_progress} ends the REFER (later reports emit nothing).
 * </ul>
 *
 * <p>With transfers left to the core the simulator does not model Asterisk's own blind transfer:
 * {@link #refer} refuses it.
 */
final class Transfers {
  private static final List<String> STATES =
      List.of("channel_progress", "channel_answered", "channel_unavailable", "channel_declined");

  private final SimCore core;

  Transfers(SimCore core) {
    this.core = core;
  }

  /** Whether {@code variable} is the {@code PJSIP_TRANSFER_HANDLING} function. */
  static boolean isHandling(String variable) {
    return variable.toUpperCase(Locale.ROOT).startsWith("PJSIP_TRANSFER_HANDLING(")
        && variable.endsWith(")");
  }

  /** Writes {@code PJSIP_TRANSFER_HANDLING()} on {@code c}; a refused write changes nothing. */
  void handling(SimChannel c, String value) {
    if (!"PJSIP".equals(c.technology)) {
      return;
    }
    switch (value == null ? "" : value) {
      case "", "core" -> c.transferHandlingAri = false;
      case "ari-only" -> c.transferHandlingAri = true;
      default -> {
        // chan_pjsip logs "Cannot set unknown transfer handling" and leaves it as it was
      }
    }
  }

  /** The far end of {@code c} sends a REFER to {@code destination} (the Refer-To URI's user). */
  void refer(SimChannel c, String destination) {
    if (!c.transferHandlingAri) {
      throw new IllegalStateException(c.id + " leaves transfers to Asterisk's core, which the "
          + "simulator does not model; set PJSIP_TRANSFER_HANDLING()=ari-only");
    }
    c.pendingReferTo = destination;
    emit(c, null);
  }

  /** {@code POST /channels/{id}/transfer_progress}. */
  void progress(SimChannel c, String states) {
    if (states == null || states.isEmpty()) {
      throw AriError.of(400, "states must not be empty");
    }
    String state = states.toLowerCase(Locale.ROOT);
    if (!STATES.contains(state)) {
      throw AriError.of(400, "Invalid states value");
    }
    if (c.pendingReferTo == null) {
      return;
    }
    emit(c, state.equals("channel_unavailable") ? "channel_declined" : state);
    if (!state.equals("channel_progress")) {
      c.pendingReferTo = null;
    }
  }

  private void emit(SimChannel c, String state) {
    ObjectNode e = core.event("ChannelTransfer");
    e.putObject("refer_to").putObject("requested_destination")
        .put("destination", c.pendingReferTo);
    ObjectNode by = e.putObject("referred_by");
    by.set("source_channel", AriJson.channel(c));
    SimBridge bridge = c.bridgeId == null ? null : core.bridges.get(c.bridgeId);
    if (bridge != null) {
      if (bridge.channels.size() == 2) {
        String peer = bridge.channels.get(0).equals(c.id)
            ? bridge.channels.get(1) : bridge.channels.get(0);
        SimChannel other = core.channels.get(peer);
        if (other != null && !other.destroyed) {
          by.set("connected_channel", AriJson.channel(other));
        }
      }
      by.set("bridge", AriJson.bridge(bridge));
    }
    if (state != null) {
      e.put("state", state);
    }
    core.hub.emit(e, List.of(c.id), null, false);
  }
}
