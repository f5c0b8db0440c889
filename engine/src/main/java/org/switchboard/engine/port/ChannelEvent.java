package org.switchboard.engine.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the engine learns from Asterisk, in engine terms (no ARI wire types). The asterisk
 * module's router turns ARI events into these and delivers them, in order per channel, to the
 * actor that owns {@link #channelId()} (or, for bridge-scoped events, {@link #bridgeId()}).
 *
 * <p>Every event carries the server it came from and Asterisk's own timestamp.
 */
public sealed interface ChannelEvent {

  String serverId();

  Instant timestamp();

  /** The channel this event concerns, or empty for bridge-only events. */
  default Optional<String> channelId() {
    return Optional.empty();
  }

  /** The bridge this event concerns, when it is bridge-scoped (bridge playbacks, destroy). */
  default Optional<String> bridgeId() {
    return Optional.empty();
  }

  /** The routing key: channel first, bridge otherwise. */
  default String routingId() {
    return channelId().or(this::bridgeId).orElseThrow();
  }

  /** An event about one channel, named by its {@code id}. */
  sealed interface OfChannel extends ChannelEvent {
    /** The channel's id. */
    String id();

    @Override
    default Optional<String> channelId() {
      return Optional.of(id());
    }
  }

  /** A channel's event about a bridge it entered or left: routed by the channel. */
  sealed interface InBridge extends OfChannel {
    /** The bridge's id. */
    String bridge();

    @Override
    default Optional<String> bridgeId() {
      return Optional.of(bridge());
    }
  }

  /**
   * A playback or recording event: its target is a channel or a bridge ({@code target_uri}
   * {@code channel:X} / {@code bridge:X}).
   */
  sealed interface Targeted extends ChannelEvent {
    /** The target channel, when the target is a channel. */
    Optional<String> targetChannel();

    /** The target bridge, when the target is a bridge. */
    Optional<String> targetBridge();

    @Override
    default Optional<String> channelId() {
      return targetChannel();
    }

    @Override
    default Optional<String> bridgeId() {
      return targetBridge();
    }
  }

  /** Caller id as Asterisk reports it ({@code channel.caller}). */
  record Party(String number, String name) {}

  /** A channel of this app, as seen in StasisStart or in a resync snapshot. */
  record ChannelInfo(
      String id,
      String name,
      String state,
      Party caller,
      Party connected,
      String context,
      String exten,
      String protocolId,
      String language,
      Instant created) {}

  /** {@code StasisStart}: the channel entered the app (a new inbound call, or an answered leg). */
  record StasisEntered(
      String serverId,
      Instant timestamp,
      ChannelInfo channel,
      List<String> args,
      Optional<String> replaceChannelId)
      implements ChannelEvent {
    @Override
    public Optional<String> channelId() {
      return Optional.of(channel.id());
    }
  }

  /** {@code StasisEnd}: the channel left the app; without subscribeAll, the end of the call. */
  record StasisLeft(String serverId, Instant timestamp, String id) implements OfChannel {}

  /** {@code ChannelStateChange}: e.g. {@code Ringing}, {@code Up}. */
  record StateChanged(String serverId, Instant timestamp, String id, String state)
      implements OfChannel {}

  /** {@code ChannelDtmfReceived}: sent at the end of each digit. */
  record DtmfReceived(String serverId, Instant timestamp, String id, String digit, int durationMs)
      implements OfChannel {}

  /**
   * {@code PlaybackStarted} / {@code PlaybackContinuing}. The target is a channel or a bridge
   * ({@code target_uri} {@code channel:X} / {@code bridge:X}).
   */
  record PlaybackStarted(
      String serverId,
      Instant timestamp,
      String playbackId,
      Optional<String> targetChannel,
      Optional<String> targetBridge)
      implements Targeted {}

  /** {@code PlaybackFinished}; {@code failed} when Asterisk's state was {@code failed}. */
  record PlaybackFinished(
      String serverId,
      Instant timestamp,
      String playbackId,
      Optional<String> targetChannel,
      Optional<String> targetBridge,
      boolean failed)
      implements Targeted {}

  /** {@code RecordingStarted}. */
  record RecordingStarted(
      String serverId,
      Instant timestamp,
      String name,
      Optional<String> targetChannel,
      Optional<String> targetBridge)
      implements Targeted {}

  /** {@code RecordingFinished}; duration in whole seconds, rounded down as Asterisk does. */
  record RecordingFinished(
      String serverId,
      Instant timestamp,
      String name,
      Optional<String> targetChannel,
      Optional<String> targetBridge,
      int durationSeconds)
      implements Targeted {}

  /** {@code RecordingFailed} with Asterisk's cause text. */
  record RecordingFailed(
      String serverId,
      Instant timestamp,
      String name,
      Optional<String> targetChannel,
      Optional<String> targetBridge,
      String cause)
      implements Targeted {}

  /**
   * {@code ChannelHangupRequest}. With {@code soft} the cause is Asterisk's soft-hangup flag, not
   * a Q.850 cause: do not derive a call status from it.
   */
  record HangupRequested(String serverId, Instant timestamp, String id, int cause, boolean soft)
      implements OfChannel {}

  /** {@code ChannelDestroyed}: the real Q.850 cause. */
  record ChannelDestroyed(String serverId, Instant timestamp, String id, int cause, String causeText)
      implements OfChannel {}

  /**
   * {@code Dial} on an outbound leg ({@code peer}): {@code dialStatus} is one of {@code ""},
   * RINGING, PROGRESS, PROCEEDING, ANSWER, BUSY, CONGESTION, CHANUNAVAIL, NOANSWER, CANCEL.
   */
  record DialProgress(String serverId, Instant timestamp, String id, String dialStatus)
      implements OfChannel {}

  /** {@code ChannelEnteredBridge}. */
  record EnteredBridge(String serverId, Instant timestamp, String id, String bridge)
      implements InBridge {}

  /** {@code ChannelLeftBridge}. */
  record LeftBridge(String serverId, Instant timestamp, String id, String bridge)
      implements InBridge {}

  /** {@code BridgeDestroyed}. */
  record BridgeDestroyed(String serverId, Instant timestamp, String bridge)
      implements ChannelEvent {
    @Override
    public Optional<String> bridgeId() {
      return Optional.of(bridge);
    }
  }

  /** {@code ChannelTalkingStarted} / {@code ChannelTalkingFinished}. */
  record TalkingChanged(String serverId, Instant timestamp, String id, boolean talking)
      implements OfChannel {}

  /**
   * {@code ChannelTransfer}: a SIP REFER arrived on {@code transferer}, a channel whose transfers
   * ARI handles ({@code PJSIP_TRANSFER_HANDLING()=ari-only}). Delivered to {@code id}, the channel
   * bridged to the transferer (the call being transferred), or to the transferer when it is in no
   * bridge.
   *
   * @param destination the user part of the {@code Refer-To} URI (blind transfer); empty for an
   *     attended transfer ({@code Replaces}), which names a dialog instead
   * @param bridge the transferer's bridge, if any
   * @param state empty for the REFER itself; the progress the application reported for later ones
   *     ({@code channel_progress}, {@code channel_answered}, {@code channel_declined})
   */
  record TransferRequested(String serverId, Instant timestamp, String id, String transferer,
      String destination, Optional<String> bridge, Optional<String> state) implements OfChannel {
    @Override
    public Optional<String> bridgeId() {
      return bridge;
    }
  }

  /** {@code ChannelVarset} for a channel (only the ones the engine cares about are routed). */
  record VariableSet(String serverId, Instant timestamp, String id, String variable, String value)
      implements OfChannel {}
}
