package org.switchboard.asterisk.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.asterisk.router.EngineViews;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;

/**
 * The engine's {@link AriPort} over several Asterisk servers: each command goes to the {@link
 * AriRestClient} of its server id. A command for an unknown server fails with an {@link
 * AriCommandException} of status 0.
 */
public final class AriPortAdapter implements AriPort {
  private final Map<String, AriRestClient> clients;
  private final AriLoad load = new AriLoad();
  private final Removals removals;
  private volatile OwnLatency ownLatency = new OwnLatency();

  public AriPortAdapter(List<AriRestClient> clients) {
    this(clients, Removals.withHangupBackoff());
  }

  /** The port over {@code clients}; removals that get no answer are resent by {@code removals}. */
  AriPortAdapter(List<AriRestClient> clients, Removals removals) {
    this.removals = removals;
    Map<String, AriRestClient> byId = new LinkedHashMap<>();
    for (AriRestClient client : clients) {
      if (byId.put(client.serverId(), client) != null) {
        throw new IllegalArgumentException("two ARI servers with id " + client.serverId());
      }
    }
    this.clients = Map.copyOf(byId);
  }

  /** The client of one server, if configured. */
  public Optional<AriRestClient> client(String serverId) {
    return Optional.ofNullable(clients.get(serverId));
  }

  @Override
  public CompletionStage<Done> answer(ChannelRef c) {
    return onChannel(c, "answer", ari -> ari.channels().answer(c.channelId()));
  }

  @Override
  public CompletionStage<Done> hangup(ChannelRef c, HangupReason reason) {
    return onChannel(c, "hangup", ari -> ari.channels().hangup(c.channelId(), reason));
  }

  @Override
  public CompletionStage<Done> ring(ChannelRef c) {
    return onChannel(c, "ring", ari -> ari.channels().ring(c.channelId()));
  }

  @Override
  public CompletionStage<Done> stopRinging(ChannelRef c) {
    return onChannel(c, "stopRinging", ari -> ari.channels().stopRinging(c.channelId()));
  }

  @Override
  public CompletionStage<Done> play(ChannelRef c, String playbackId, List<String> media) {
    return on(
        c.serverId(),
        "play",
        ari -> ari.channels().play(c.channelId(), playbackId, media).thenApply(p -> done()));
  }

  @Override
  public CompletionStage<Done> playOnBridge(
      String serverId, String bridgeId, String playbackId, List<String> media) {
    return on(
        serverId,
        "playOnBridge",
        ari -> ari.bridges().play(bridgeId, playbackId, media).thenApply(p -> done()));
  }

  @Override
  public CompletionStage<Done> stopPlayback(String serverId, String playbackId) {
    return removal(serverId, "stopPlayback", "playback " + playbackId,
        ari -> ari.playbacks().stop(playbackId));
  }

  @Override
  public CompletionStage<Done> record(ChannelRef c, RecordRequest request) {
    return on(
        c.serverId(),
        "record",
        ari -> ari.channels().record(c.channelId(), request).thenApply(r -> done()));
  }

  @Override
  public CompletionStage<Done> recordBridge(
      String serverId, String bridgeId, RecordRequest request) {
    return on(
        serverId,
        "recordBridge",
        ari -> ari.bridges().record(bridgeId, request).thenApply(r -> done()));
  }

  @Override
  public CompletionStage<Done> stopRecording(String serverId, String recordingName) {
    return on(serverId, "stopRecording", ari -> ari.recordings().stopLive(recordingName));
  }

  @Override
  public CompletionStage<Done> pauseRecording(
      String serverId, String recordingName, boolean paused) {
    return on(serverId, "pauseRecording",
        ari -> ari.recordings().pauseLive(recordingName, paused));
  }

  @Override
  public CompletionStage<Done> sendDtmf(
      ChannelRef c, String dtmf, int betweenMs, int durationMs) {
    return on(
        c.serverId(),
        "sendDtmf",
        ari -> ari.channels().sendDtmf(c.channelId(), dtmf, betweenMs, durationMs));
  }

  @Override
  public CompletionStage<Done> startMusicOnHold(ChannelRef c, String mohClass) {
    return onChannel(c, "startMoh", ari -> ari.channels().startMoh(c.channelId(), mohClass));
  }

  @Override
  public CompletionStage<Done> stopMusicOnHold(ChannelRef c) {
    return onChannel(c, "stopMoh", ari -> ari.channels().stopMoh(c.channelId()));
  }

  @Override
  public CompletionStage<Done> mute(ChannelRef c, String direction) {
    return onChannel(c, "mute", ari -> ari.channels().mute(c.channelId(), direction));
  }

  @Override
  public CompletionStage<Done> unmute(ChannelRef c, String direction) {
    return onChannel(c, "unmute", ari -> ari.channels().unmute(c.channelId(), direction));
  }

  @Override
  public CompletionStage<Done> snoop(ChannelRef c, String snoopId, String spy) {
    return onChannel(c, "snoop", ari -> ari.channels().snoop(c.channelId(), snoopId, spy, null, null)
        .thenApply(channel -> done()));
  }

  @Override
  public CompletionStage<Done> snoop(ChannelRef c, String snoopId, String spy, String whisper) {
    return onChannel(c, "snoop", ari -> ari.channels().snoop(c.channelId(), snoopId, spy, whisper,
        null).thenApply(channel -> done()));
  }

  @Override
  public CompletionStage<Done> addToBridgeMuted(String serverId, String bridgeId, String channelId) {
    return on(serverId, "addToBridge", ari -> ari.bridges().addChannelMuted(bridgeId, channelId));
  }

  @Override
  public CompletionStage<Done> setVariable(ChannelRef c, String name, String value) {
    return on(
        c.serverId(), "setVariable", ari -> ari.channels().setVariable(c.channelId(), name, value));
  }

  @Override
  public CompletionStage<Optional<String>> getVariable(ChannelRef c, String name) {
    return onChannel(c, "getVariable", ari -> ari.channels().getVariable(c.channelId(), name));
  }

  @Override
  public CompletionStage<Done> originate(OriginateRequest r) {
    OriginateParams params =
        new OriginateParams(
            r.endpoint(),
            r.channelId(),
            null,
            r.appArgs(),
            r.callerId(),
            r.timeoutSeconds(),
            r.originator(),
            r.variables());
    return on(r.serverId(), "originate", ari -> ari.channels().originate(params).thenApply(x -> done()));
  }

  @Override
  public CompletionStage<Done> createBridge(
      String serverId, String bridgeId, String type, String name) {
    return on(
        serverId,
        "createBridge",
        ari -> ari.bridges().create(bridgeId, type, name).thenApply(b -> done()));
  }

  @Override
  public CompletionStage<Done> addToBridge(
      String serverId, String bridgeId, List<String> channelIds) {
    return on(serverId, "addToBridge", ari -> ari.bridges().addChannels(bridgeId, channelIds));
  }

  @Override
  public CompletionStage<Done> removeFromBridge(
      String serverId, String bridgeId, String channelId) {
    return on(
        serverId, "removeFromBridge", ari -> ari.bridges().removeChannel(bridgeId, channelId));
  }

  @Override
  public CompletionStage<Done> destroyBridge(String serverId, String bridgeId) {
    return removal(serverId, "destroyBridge", "bridge " + bridgeId,
        ari -> ari.bridges().destroy(bridgeId));
  }

  @Override
  public CompletionStage<Done> startBridgeMusicOnHold(
      String serverId, String bridgeId, String mohClass) {
    return on(serverId, "startBridgeMoh", ari -> ari.bridges().startMoh(bridgeId, mohClass));
  }

  @Override
  public CompletionStage<Map<String, String>> externalMedia(ExternalMediaRequest r) {
    ExternalMediaParams params =
        new ExternalMediaParams(
            r.channelId(),
            r.externalHost(),
            r.format(),
            r.encapsulation(),
            r.transport(),
            // chan_websocket's ExternalMedia waiting for Switchboard to connect
            "websocket".equals(r.transport()) && "INCOMING".equals(r.externalHost())
                ? "server" : null,
            r.direction(),
            r.data());
    return on(
        r.serverId(),
        "externalMedia",
        ari -> ari.channels().externalMedia(params).thenApply(ch -> ch.channelvars()));
  }

  @Override
  public CompletionStage<Done> continueInDialplan(
      ChannelRef c, String context, String extension, int priority) {
    return on(
        c.serverId(),
        "continueInDialplan",
        ari ->
            ari.channels()
                .continueInDialplan(
                    c.channelId(), context, extension, priority > 0 ? priority : null));
  }

  @Override
  public CompletionStage<Done> redirect(ChannelRef c, String endpoint) {
    return on(c.serverId(), "redirect", ari -> ari.channels().redirect(c.channelId(), endpoint));
  }

  @Override
  public CompletionStage<Done> transferProgress(ChannelRef c, String state) {
    return on(c.serverId(), "transferProgress",
        ari -> ari.channels().transferProgress(c.channelId(), state));
  }

  @Override
  public CompletionStage<Optional<ChannelEvent.ChannelInfo>> channel(ChannelRef c) {
    return onChannel(c, "getChannel", ari -> orEmpty(
        ari.channels().get(c.channelId()).thenApply(EngineViews::channelInfo)));
  }

  @Override
  public CompletionStage<Boolean> playbackExists(String serverId, String playbackId) {
    return on(serverId, "getPlayback", ari -> orEmpty(ari.playbacks().get(playbackId)))
        .thenApply(Optional::isPresent);
  }

  @Override
  public CompletionStage<Boolean> liveRecordingExists(String serverId, String recordingName) {
    return on(serverId, "getLiveRecording",
        ari -> orEmpty(ari.recordings().getLive(recordingName)))
        .thenApply(Optional::isPresent);
  }

  @Override
  public CompletionStage<Optional<StoredRecording>> storedRecording(
      String serverId, String recordingName) {
    return on(serverId, "getStoredRecording", ari -> orEmpty(
        ari.recordings().getStored(recordingName).thenCompose(stored ->
            ari.recordings().storedFile(recordingName).thenApply(bytes ->
                new StoredRecording(stored.name(), stored.format(),
                    RecordingLength.seconds(stored.format(), bytes))))));
  }

  @Override
  public CompletionStage<Optional<List<String>>> bridgeChannels(String serverId, String bridgeId) {
    return on(serverId, "getBridge",
        ari -> orEmpty(ari.bridges().get(bridgeId).thenApply(b -> b.channels())));
  }

  @Override
  public CompletionStage<Map<String, String>> putConfigObject(
      String serverId, ConfigObject object, Map<String, String> fields) {
    return on(serverId, "putConfigObject", ari -> ari.dynamicConfig()
        .put(object.configClass(), object.objectType(), object.id(), fields));
  }

  @Override
  public CompletionStage<Optional<Map<String, String>>> configObject(
      String serverId, ConfigObject object) {
    return on(serverId, "getConfigObject", ari -> orEmpty(ari.dynamicConfig()
        .get(object.configClass(), object.objectType(), object.id())));
  }

  @Override
  public CompletionStage<Boolean> deleteConfigObject(String serverId, ConfigObject object) {
    return on(serverId, "deleteConfigObject", ari -> orEmpty(ari.dynamicConfig()
        .delete(object.configClass(), object.objectType(), object.id())))
        .thenApply(Optional::isPresent);
  }

  /** The value, or empty when Asterisk answered 404; other failures stay failures. */
  private static <T> CompletionStage<Optional<T>> orEmpty(CompletionStage<T> query) {
    return query.handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(Optional.of(value));
      }
      if (Failures.cause(error) instanceof AriCommandException ace && ace.isNotFound()) {
        return CompletableFuture.completedFuture(Optional.<T>empty());
      }
      return CompletableFuture.<Optional<T>>failedFuture(error);
    }).thenCompose(Function.identity());
  }

  /** {@link #on} for a command on channel {@code c}: it may end a TwiML → command interval. */
  private <T> CompletionStage<T> onChannel(
      ChannelRef c, String operation, Function<AriRestClient, CompletionStage<T>> command) {
    ownLatency.commandSent(c, System.nanoTime());
    return on(c.serverId(), operation, command);
  }

  /**
   * {@link #on} for a removal: sent again while it gets no answer ({@link Removals}), so a
   * playback does not play on and a bridge does not stay behind because an answer was lost.
   */
  private CompletionStage<Done> removal(String serverId, String operation, String target,
      Function<AriRestClient, CompletionStage<Done>> command) {
    if (!clients.containsKey(serverId)) {
      return on(serverId, operation, command);
    }
    return removals.send(operation, target, () -> on(serverId, operation, command));
  }

  private <T> CompletionStage<T> on(
      String serverId, String operation, Function<AriRestClient, CompletionStage<T>> command) {
    AriRestClient client = clients.get(serverId);
    if (client == null) {
      return CompletableFuture.failedFuture(
          new AriCommandException(serverId, operation, 0, "no ARI server with this id"));
    }
    try {
      return load.track(command.apply(client));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Where the TwiML → command intervals end ({@link OwnLatency}). */
  void ownLatency(OwnLatency own) {
    this.ownLatency = own;
  }

  /** The load of the commands sent through this port (pending, stuck, round trip). */
  public AriLoad load() {
    return load;
  }

  private static Done done() {
    return Done.getInstance();
  }
}
