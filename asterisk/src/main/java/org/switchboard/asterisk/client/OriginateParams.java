package org.switchboard.asterisk.client;

import java.util.Map;

/**
 * Parameters of {@code POST /channels} and {@code POST /channels/create}. {@code channelId} (and
 * {@code otherChannelId} for the second half of a Local channel) are chosen by the caller so
 * events that beat the reply can be matched. Nullable fields are left out of the request.
 */
public record OriginateParams(
    String endpoint,
    String channelId,
    String otherChannelId,
    String appArgs,
    String callerId,
    int timeoutSeconds,
    String originator,
    Map<String, String> variables) {

  public OriginateParams {
    variables = variables == null ? Map.of() : Map.copyOf(variables);
  }
}
