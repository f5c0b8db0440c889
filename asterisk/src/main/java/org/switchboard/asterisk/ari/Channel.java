package org.switchboard.asterisk.ari;

import java.time.Instant;
import java.util.Map;

/**
 * ARI {@code Channel}. {@code channelvars} is only present when Asterisk was asked for variables
 * (e.g. the reply of {@code externalMedia}); it is never null here.
 */
public record Channel(
    String id,
    String protocolId,
    String name,
    String state,
    CallerID caller,
    CallerID connected,
    String accountcode,
    DialplanCEP dialplan,
    Instant creationtime,
    String language,
    Map<String, String> channelvars,
    String callerRdnis,
    String tenantid) {

  public Channel {
    channelvars = channelvars == null ? Map.of() : Map.copyOf(channelvars);
  }
}
