package org.switchboard.asterisk.sim;

import java.util.List;
import java.util.Map;

/**
 * The parameters of {@code POST /channels} and {@code POST /channels/create}.
 *
 * @param endpoint dial string, e.g. {@code Local/100@switchboard-in} or {@code PJSIP/alice}
 * @param app Stasis application (null when dialplan is given)
 * @param appArgs Stasis arguments
 * @param context dialplan context for a non-Stasis originate
 * @param extension dialplan extension for a non-Stasis originate
 * @param channelId id of the new channel (generated when null)
 * @param otherChannelId id of the {@code ;2} half of a Local channel
 * @param callerId {@code "Name" <number>} or a number
 * @param timeoutSeconds originate timeout (dial timeout is separate)
 * @param originator channel whose caller becomes the connected line
 * @param variables channel variables to set
 */
record OriginateRequest(String endpoint, String app, List<String> appArgs, String context,
    String extension, String channelId, String otherChannelId, String callerId,
    int timeoutSeconds, String originator, Map<String, String> variables) {}
