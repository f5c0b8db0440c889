package org.switchboard.engine.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * The engine's view of ARI: every command a call needs, asynchronous, addressed by server id.
 * Ids of channels, bridges, playbacks and recordings are always chosen by the caller, so events
 * that beat the REST reply can be matched. A refused command completes exceptionally with {@link
 * AriCommandException}.
 */
public interface AriPort {

  CompletionStage<Done> answer(ChannelRef channel);

  CompletionStage<Done> hangup(ChannelRef channel, HangupReason reason);

  CompletionStage<Done> ring(ChannelRef channel);

  CompletionStage<Done> stopRinging(ChannelRef channel);

  /** {@code POST /channels/{id}/play?media=a,b&playbackId=…}: one playback id for the list. */
  CompletionStage<Done> play(ChannelRef channel, String playbackId, List<String> media);

  CompletionStage<Done> playOnBridge(
      String serverId, String bridgeId, String playbackId, List<String> media);

  CompletionStage<Done> stopPlayback(String serverId, String playbackId);

  CompletionStage<Done> record(ChannelRef channel, RecordRequest request);

  CompletionStage<Done> recordBridge(String serverId, String bridgeId, RecordRequest request);

  CompletionStage<Done> stopRecording(String serverId, String recordingName);

  /**
   * {@code POST /recordings/live/{name}/pause} ({@code paused}) or {@code DELETE} (resume): the
   * paused time is left out of the file.
   */
  CompletionStage<Done> pauseRecording(String serverId, String recordingName, boolean paused);

  CompletionStage<Done> sendDtmf(ChannelRef channel, String dtmf, int betweenMs, int durationMs);

  CompletionStage<Done> startMusicOnHold(ChannelRef channel, String mohClass);

  CompletionStage<Done> stopMusicOnHold(ChannelRef channel);

  /**
   * {@code POST /channels/{id}/mute?direction=in|out|both}: {@code in} stops the channel's audio
   * from reaching the others (a muted conference participant still hears them).
   */
  CompletionStage<Done> mute(ChannelRef channel, String direction);

  /** {@code DELETE /channels/{id}/mute?direction=in|out|both}: undoes {@link #mute}. */
  CompletionStage<Done> unmute(ChannelRef channel, String direction);

  CompletionStage<Done> setVariable(ChannelRef channel, String name, String value);

  CompletionStage<Optional<String>> getVariable(ChannelRef channel, String name);

  /**
   * {@code POST /channels} (originate into the Stasis app). The leg enters Stasis only once
   * answered; progress arrives as {@code Dial} events on {@code request.channelId()}.
   */
  CompletionStage<Done> originate(OriginateRequest request);

  /** {@code POST /bridges?type=…&bridgeId=…&name=…}, e.g. type {@code mixing,dtmf_events}. */
  CompletionStage<Done> createBridge(String serverId, String bridgeId, String type, String name);

  CompletionStage<Done> addToBridge(String serverId, String bridgeId, List<String> channelIds);

  CompletionStage<Done> removeFromBridge(String serverId, String bridgeId, String channelId);

  CompletionStage<Done> destroyBridge(String serverId, String bridgeId);

  CompletionStage<Done> startBridgeMusicOnHold(String serverId, String bridgeId, String mohClass);

  /**
   * {@code POST /channels/externalMedia}; the channel id is chosen by the caller. Completes with
   * the channel variables Asterisk returned (e.g. {@code UNICASTRTP_LOCAL_ADDRESS/PORT}).
   */
  CompletionStage<Map<String, String>> externalMedia(ExternalMediaRequest request);

  /**
   * {@code POST /channels/{id}/snoop}: snoop channel {@code snoopId} on {@code channel}, in the
   * Stasis application. A {@code <Start><Stream>} taps the caller's audio through one instead of
   * bridging the caller, so the script can go on bridging, recording and dialling the caller.
   *
   * @param spy {@code in} (what the channel receives: the caller's voice), {@code out} (what it
   *     sends to the caller) or {@code both}
   */
  CompletionStage<Done> snoop(ChannelRef channel, String snoopId, String spy);

  /**
   * {@code POST /channels/{id}/snoop} with {@code whisper}: what is heard in the snoop channel's
   * bridge is whispered to {@code channel} ({@code out}: the caller hears it; {@code in}: the
   * other side; {@code none}: nothing). A conference coach talks to one participant this way.
   */
  default CompletionStage<Done> snoop(
      ChannelRef channel, String snoopId, String spy, String whisper) {
    if ("none".equals(whisper)) {
      return snoop(channel, snoopId, spy);
    }
    return java.util.concurrent.CompletableFuture.failedFuture(
        new UnsupportedOperationException("snoop with whisper"));
  }

  /**
   * {@code POST /bridges/{id}/addChannel?mute=true}: the channel hears the bridge and the bridge
   * does not hear it (a conference coach); its own audio can still be snooped.
   */
  default CompletionStage<Done> addToBridgeMuted(
      String serverId, String bridgeId, String channelId) {
    return java.util.concurrent.CompletableFuture.failedFuture(
        new UnsupportedOperationException("addChannel with mute"));
  }

  /** {@code POST /channels/{id}/continue}. */
  CompletionStage<Done> continueInDialplan(
      ChannelRef channel, String context, String extension, int priority);

  /**
   * {@code POST /channels/{id}/redirect?endpoint=}: on a PJSIP channel Asterisk sends the device a
   * SIP REFER (a 302 while unanswered) to {@code endpoint} ({@code PJSIP/sip:…}); completes when
   * Asterisk accepted the request, which says nothing of the transfer's outcome. Fails with 404,
   * 409 (not in Stasis), 412 or 422 (not the channel's technology).
   */
  default CompletionStage<Done> redirect(ChannelRef channel, String endpoint) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot redirect a channel"));
  }

  /**
   * {@code POST /channels/{id}/transfer_progress?states=}: reports the progress of the transfer a
   * SIP REFER on {@code channel} asked for ({@link ChannelEvent.TransferRequested}); Asterisk sends
   * the transferer a {@code NOTIFY} with the matching SIP fragment: {@code channel_progress} 100,
   * {@code channel_answered} 200, {@code channel_unavailable} 503, {@code channel_declined} 603
   * (the last three end the REFER's subscription). Asterisk 22.3, 21.8, 20.13 and later.
   */
  default CompletionStage<Done> transferProgress(ChannelRef channel, String state) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot report a transfer's progress"));
  }

  // Queries, used after a reconnect to learn what happened while events were lost. Each
  // completes with empty/false when Asterisk answers 404, and exceptionally on any other failure.

  /** {@code GET /channels/{id}}: the channel, or empty when Asterisk no longer has it. */
  CompletionStage<Optional<ChannelEvent.ChannelInfo>> channel(ChannelRef channel);

  /** {@code GET /playbacks/{id}}: whether the playback still exists (false: it finished). */
  CompletionStage<Boolean> playbackExists(String serverId, String playbackId);

  /** {@code GET /recordings/live/{name}}: whether the recording is still live. */
  CompletionStage<Boolean> liveRecordingExists(String serverId, String recordingName);

  /**
   * {@code GET /recordings/stored/{name}} and its file: the finished recording with its length,
   * or empty when no such file is stored.
   */
  CompletionStage<Optional<StoredRecording>> storedRecording(String serverId, String recordingName);

  /** {@code GET /bridges/{id}}: the ids of the channels in the bridge, or empty when it is gone. */
  CompletionStage<Optional<List<String>>> bridgeChannels(String serverId, String bridgeId);

  // Dynamic configuration (ARI /asterisk/config/dynamic), e.g. PJSIP endpoints of WebRTC
  // volunteers. Asterisk accepts writes only for object types backed by a writable sorcery wizard
  // (403 otherwise). Implementations that cannot reach it fail every call.

  /**
   * {@code PUT /asterisk/config/dynamic/{class}/{type}/{id}}: creates the object or updates the
   * given fields of an existing one; completes with every field of the object afterwards. Fails
   * with Asterisk's status: 400 (a field Asterisk does not know or cannot parse), 403 (not
   * writable), 404 (unknown class or type).
   */
  default CompletionStage<Map<String, String>> putConfigObject(
      String serverId, ConfigObject object, Map<String, String> fields) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        getClass().getSimpleName() + " does not reach Asterisk's dynamic configuration"));
  }

  /** {@code GET /asterisk/config/dynamic/…}: every field of the object, or empty on 404. */
  default CompletionStage<Optional<Map<String, String>>> configObject(
      String serverId, ConfigObject object) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        getClass().getSimpleName() + " does not reach Asterisk's dynamic configuration"));
  }

  /** {@code DELETE /asterisk/config/dynamic/…}: true when deleted, false when it did not exist. */
  default CompletionStage<Boolean> deleteConfigObject(String serverId, ConfigObject object) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        getClass().getSimpleName() + " does not reach Asterisk's dynamic configuration"));
  }

  /** One dynamic configuration object, e.g. {@code res_pjsip}, {@code endpoint}, {@code vol_1}. */
  record ConfigObject(String configClass, String objectType, String id) {
    @Override
    public String toString() {
      return configClass + "/" + objectType + "/" + id;
    }
  }

  /** A finished recording on Asterisk; {@code durationSeconds} rounded down, as Asterisk does. */
  record StoredRecording(String name, String format, int durationSeconds) {}

  /** Parameters of a live recording. Durations in seconds; 0 means "no limit". */
  record RecordRequest(
      String name,
      String format,
      int maxDurationSeconds,
      int maxSilenceSeconds,
      boolean beep,
      String terminateOn,
      String ifExists) {}

  /**
   * An originate. {@code endpoint} is the Asterisk dial string ({@code PJSIP/…}, {@code
   * Local/…@ctx}); {@code appArgs} go to StasisStart; {@code variables} are channel variables.
   */
  record OriginateRequest(
      String serverId,
      String channelId,
      String endpoint,
      String callerId,
      int timeoutSeconds,
      String originator,
      String appArgs,
      Map<String, String> variables) {}

  /** An ExternalMedia channel (RTP over UDP unless {@code transport} says otherwise). */
  record ExternalMediaRequest(
      String serverId,
      String channelId,
      String externalHost,
      String format,
      String encapsulation,
      String transport,
      String direction,
      String data) {}
}
