package org.switchboard.asterisk.router;

import java.time.Instant;
import java.util.Map;
import org.switchboard.asterisk.ari.AriEvent;
import org.switchboard.asterisk.ari.CallerID;
import org.switchboard.asterisk.ari.Channel;
import org.switchboard.asterisk.ari.DialplanCEP;

/** Small ARI events built in code. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-11-22T02:04:01.459Z");

  private Fixtures() {}

  static Channel channel(String id) {
    return new Channel(
        id,
        "",
        "PJSIP/" + id,
        "Up",
        new CallerID("Caller", "+15550001"),
        new CallerID("", ""),
        "",
        new DialplanCEP("in", "100", 2, "Stasis", "app"),
        T0,
        "en",
        Map.of(),
        null,
        null);
  }

  /** A DTMF event whose {@code durationMs} doubles as a sequence number. */
  static RouterInput dtmf(String server, String channelId, int seq) {
    return new RouterInput.Ari(
        server,
        new AriEvent.ChannelDtmfReceived(
            T0.plusMillis(seq), "app", "ast", "1", seq, channel(channelId)));
  }
}
