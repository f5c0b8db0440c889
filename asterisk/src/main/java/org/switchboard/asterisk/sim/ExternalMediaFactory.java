package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * {@code POST /channels/externalMedia} over RTP/UDP, or over chan_websocket with
 * {@code transport=websocket&connection_type=server} (the application connects to
 * {@code /media/<MEDIA_WEBSOCKET_CONNECTION_ID>}). Runs under the core's lock.
 */
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
    if ("websocket".equals(r.param("transport"))) {
      return createWebSocket(r, app);
    }
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
    return enterStasis(r, app, c, response);
  }

  /**
   * chan_websocket in server mode, as Asterisk 22 answers it: channel {@code WebSocket/INCOMING/…}
   * in state Down with {@code MEDIA_WEBSOCKET_CONNECTION_ID} and
   * {@code MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE}; it enters Stasis at once and is answered when the
   * application's WebSocket connects (see {@link MediaSockets}).
   */
  private ObjectNode createWebSocket(AriRequest r, String app) {
    if (!"server".equals(r.param("connection_type"))) {
      throw AriError.of(501, "Only websocket server connections are simulated");
    }
    ExternalMedia.Format format = ExternalMedia.Format.of(
        r.param("format") == null ? "" : r.param("format"));
    if (format == null) {
      throw AriError.of(500, "An internal error prevented this request from being handled");
    }
    String id = r.param("channelId") != null ? r.param("channelId") : core.uniqueId();
    core.requireUnusedUniqueId(id);
    ExternalMedia media = new ExternalMedia(id, format, java.util.UUID.randomUUID().toString());
    SimChannel c = core.newChannel(id,
        "WebSocket/INCOMING/0x" + Long.toHexString(0x7f0000000000L + core.uniqueCounterHint()),
        "WebSocket", "Down");
    c.context = "default";
    c.exten = "s";
    c.media = media;
    c.variables.put("MEDIA_WEBSOCKET_CONNECTION_ID", media.connectionId);
    c.variables.put("MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE", String.valueOf(format.payloadBytes()));
    core.externalMedia.put(id, media);
    core.emitSimple("ChannelCreated", c);
    c.appName = "AppDial2";
    c.appData = "(Outgoing Line)";
    ObjectNode response = AriJson.channel(c);
    ObjectNode vars = response.putObject("channelvars");
    vars.put("MEDIA_WEBSOCKET_CONNECTION_ID", media.connectionId);
    vars.put("MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE", String.valueOf(format.payloadBytes()));
    return enterStasis(r, app, c, response);
  }

  /** The channel enters the application and starts its 20 ms frames. */
  private ObjectNode enterStasis(AriRequest r, String app, SimChannel c, ObjectNode response) {
    core.hub.subscribe(app, c.id);
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
    c.media.playQueued();
    SimBridge b = c.bridgeId == null ? null : core.bridges.get(c.bridgeId);
    boolean audio = b != null && core.media.bridgeHasAudio(b, c.id);
    if (audio || core.config.rtpAlwaysSend()) {
      c.media.sendFrame(audio);
    }
    core.later(c, FRAME, () -> tick(c));
  }
}
