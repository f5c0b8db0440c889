package org.switchboard.asterisk.client;

import static org.apache.pekko.http.javadsl.model.HttpMethods.GET;
import static org.switchboard.asterisk.client.AriHttp.seg;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorSystem;
import org.switchboard.asterisk.ari.Application;
import org.switchboard.asterisk.ari.AsteriskInfo;

/**
 * The ARI REST API of one Asterisk server: over its event socket when the server answers there
 * ({@link SocketRest}), else over Pekko HTTP's pooled client (at most {@code maxConnections}
 * connections). Every call completes with the decoded reply or exceptionally with
 * {@link org.switchboard.engine.port.AriCommandException} (Asterisk's status and message, or
 * status 0 on timeout or connection failure).
 */
public final class AriRestClient {
  private final AriServerConfig config;
  private final AriHttp http;
  private final ChannelsApi channels;
  private final BridgesApi bridges;
  private final PlaybacksApi playbacks;
  private final RecordingsApi recordings;
  private final ConfigApi dynamicConfig;

  public AriRestClient(ActorSystem system, AriServerConfig config) {
    this(config, new AriHttp(system, config));
  }

  private AriRestClient(AriServerConfig config, AriHttp http) {
    this.config = config;
    this.http = http;
    this.channels = new ChannelsApi(http, config.app());
    this.bridges = new BridgesApi(http);
    this.playbacks = new PlaybacksApi(http);
    this.recordings = new RecordingsApi(http);
    this.dynamicConfig = new ConfigApi(http);
  }

  /**
   * A client of the same server on a lane of its own: over HTTP only (never the event socket,
   * whose frames the server runs one after the other), on {@code connections} connections that
   * no other client shares ({@link ClientPools#lane}).
   */
  public static AriRestClient lane(ActorSystem system, AriServerConfig config, int connections) {
    AriServerConfig lane =
        config.withRestTransport(RestTransport.HTTP).withMaxConnections(connections);
    return new AriRestClient(lane, new AriHttp(system, lane, ClientPools.lane(system, connections)));
  }

  /** The event socket's side of the commands (see {@link SocketRest}). */
  SocketRest socket() {
    return http.socket();
  }

  /** Whether commands go over the event socket now (REST over WebSocket). */
  public boolean commandsOverSocket() {
    return http.socket().active();
  }

  public AriServerConfig config() {
    return config;
  }

  public String serverId() {
    return config.id();
  }

  public ChannelsApi channels() {
    return channels;
  }

  public BridgesApi bridges() {
    return bridges;
  }

  public PlaybacksApi playbacks() {
    return playbacks;
  }

  public RecordingsApi recordings() {
    return recordings;
  }

  /** {@code /asterisk/config/dynamic}: Asterisk's dynamic configuration objects. */
  public ConfigApi dynamicConfig() {
    return dynamicConfig;
  }

  /** {@code GET /asterisk/info}. */
  public CompletionStage<AsteriskInfo> asteriskInfo() {
    return http.json(GET, "GET /asterisk/info", "/asterisk/info", Map.of(), AsteriskInfo.class);
  }

  /** {@code GET /applications/{name}}: 404 while no WebSocket holds the app. */
  public CompletionStage<Application> application(String name) {
    return http.json(
        GET, "GET /applications/{name}", "/applications/" + seg(name), Map.of(),
        Application.class);
  }

  /** Reports every REST round trip to this server (server id, duration) to {@code listener}. */
  public void onLatency(java.util.function.BiConsumer<String, java.time.Duration> listener) {
    http.onLatency(listener);
  }
}
