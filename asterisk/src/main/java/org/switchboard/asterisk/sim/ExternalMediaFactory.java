package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** {@code POST /channels/externalMedia} over RTP/UDP. Runs under the core's lock. */
final class ExternalMediaFactory {
  private static final Duration FRAME = Duration.ofMillis(20);
  private final SimCore core;

  ExternalMediaFactory(SimCore core) {
    this.core = core;
  }

  ObjectNode create(AriRequest r) {
    String app = r.param("app");
    if (app == null) {
      throw AriError.of(400, "app cannot be empty");
    }
    String host = r.param("external_host");
    if (host == null) {
      throw AriError.of(400, "external_host is required for all but websocket server connections");
    }
    String transport = r.param("transport");
    if (transport != null && !transport.equals("udp")) {
      throw AriError.of(501, "Only the udp transport is simulated");
    }
    ExternalMedia.Format format = ExternalMedia.Format.of(
        r.param("format") == null ? "" : r.param("format"));
    int colon = host.lastIndexOf(':');
    if (format == null || colon <= 0) {
      throw AriError.of(500, "An internal error prevented this request from being handled");
    }
    InetSocketAddress remote;
    try {
      remote = new InetSocketAddress(host.substring(0, colon),
          Integer.parseInt(host.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw AriError.of(500, "An internal error prevented this request from being handled");
    }
    String id = r.param("channelId") != null ? r.param("channelId") : core.uniqueId();
    core.requireUnusedUniqueId(id);
    ExternalMedia media = new ExternalMedia(id, format, core.rtp.open(), remote);
    SimChannel c = core.newChannel(id,
        "UnicastRTP/" + host + "-0x" + Long.toHexString(0x7f0000000000L + core.uniqueCounterHint()),
        "UnicastRTP", "Down");
    c.context = "default";
    c.exten = "s";
    c.media = media;
    c.variables.put("UNICASTRTP_LOCAL_ADDRESS", "127.0.0.1");
    c.variables.put("UNICASTRTP_LOCAL_PORT", String.valueOf(media.localPort()));
    core.externalMedia.put(id, media);
    core.rtp.register(media);
    core.emitSimple("ChannelCreated", c);
    c.appName = "AppDial2";
    c.appData = "(Outgoing Line)";
    ObjectNode response = AriJson.channel(c);
    ObjectNode vars = response.putObject("channelvars");
    vars.put("UNICASTRTP_LOCAL_ADDRESS", "127.0.0.1");
    vars.put("UNICASTRTP_LOCAL_PORT", String.valueOf(media.localPort()));
    String dialString = host + "/c(" + format.name() + ")";
    core.dial(c, "", dialString);
    core.stateChange(c, "Up");
    core.dial(c, "ANSWER", dialString);
    core.hub.subscribe(app, id);
    String data = r.param("data");
    core.enterStasis(c, app, data == null ? List.of() : List.of(data), false);
    c.appName = "Stasis";
    c.appData = app + (data == null ? "" : "," + data);
    core.later(c, FRAME, () -> tick(c));
    return response;
  }

  private void tick(SimChannel c) {
    if (c.destroyed || c.media == null) {
      return;
    }
    SimBridge b = c.bridgeId == null ? null : core.bridges.get(c.bridgeId);
    boolean audio = b != null && core.media.bridgeHasAudio(b, c.id);
    if (audio || core.config.rtpAlwaysSend()) {
      c.media.sendFrame(audio);
    }
    core.later(c, FRAME, () -> tick(c));
  }
}
