package org.switchboard.asterisk.ari;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * An event received on the ARI WebSocket, typed after its {@code type} field. Field names follow
 * {@code ari-api-docs/events.json} (snake_case on the wire, camelCase here). Every event carries
 * Asterisk's timestamp, the application and the {@code asterisk_id} of the sending server; the
 * Switchboard server id is added at the stream layer ({@code RouterInput.Ari}).
 *
 * <p>A type this client does not know becomes {@link UnknownEvent}, never an error.
 */
public sealed interface AriEvent {

  /** The ARI event type, e.g. {@code StasisStart}. */
  @JsonProperty("type")
  default String type() {
    return getClass().getSimpleName();
  }

  Instant timestamp();

  String application();

  String asteriskId();

  /** A channel entered the app; {@code replaceChannel} is set when it replaced another. */
  record StasisStart(
      Instant timestamp,
      String application,
      String asteriskId,
      List<String> args,
      Channel channel,
      Channel replaceChannel)
      implements AriEvent {
    public StasisStart {
      args = args == null ? List.of() : List.copyOf(args);
    }
  }

  /** A channel left the app. */
  record StasisEnd(Instant timestamp, String application, String asteriskId, Channel channel)
      implements AriEvent {}

  /** A channel was created (noise for call control). */
  record ChannelCreated(Instant timestamp, String application, String asteriskId, Channel channel)
      implements AriEvent {}

  /** A channel's state changed ({@code channel.state}). */
  record ChannelStateChange(
      Instant timestamp, String application, String asteriskId, Channel channel)
      implements AriEvent {}

  /** One DTMF digit ended on a channel. */
  record ChannelDtmfReceived(
      Instant timestamp,
      String application,
      String asteriskId,
      String digit,
      int durationMs,
      Channel channel)
      implements AriEvent {}

  /** A hangup was requested; with {@code soft} the cause is a flag, not a Q.850 cause. */
  record ChannelHangupRequest(
      Instant timestamp,
      String application,
      String asteriskId,
      Integer cause,
      Integer techCause,
      Boolean soft,
      Channel channel)
      implements AriEvent {}

  /** A channel is gone; {@code cause}/{@code causeTxt} are the real Q.850 cause. */
  record ChannelDestroyed(
      Instant timestamp,
      String application,
      String asteriskId,
      int cause,
      String causeTxt,
      Integer techCause,
      Channel channel)
      implements AriEvent {}

  /** A variable was set; {@code channel} is null for global variables. */
  record ChannelVarset(
      Instant timestamp,
      String application,
      String asteriskId,
      String variable,
      String value,
      Channel channel)
      implements AriEvent {}

  /** A channel moved in the dialplan (noise for call control). */
  record ChannelDialplan(
      Instant timestamp,
      String application,
      String asteriskId,
      Channel channel,
      String dialplanApp,
      String dialplanAppData)
      implements AriEvent {}

  /** A channel's caller id changed (noise for call control). */
  record ChannelCallerId(
      Instant timestamp,
      String application,
      String asteriskId,
      int callerPresentation,
      String callerPresentationTxt,
      Channel channel)
      implements AriEvent {}

  /** A channel's connected line changed (noise for call control). */
  record ChannelConnectedLine(
      Instant timestamp, String application, String asteriskId, Channel channel)
      implements AriEvent {}

  /** A channel entered a bridge. */
  record ChannelEnteredBridge(
      Instant timestamp, String application, String asteriskId, Bridge bridge, Channel channel)
      implements AriEvent {}

  /** A channel left a bridge. */
  record ChannelLeftBridge(
      Instant timestamp, String application, String asteriskId, Bridge bridge, Channel channel)
      implements AriEvent {}

  /** A bridge was created (noise for call control: bridge ids are chosen by Switchboard). */
  record BridgeCreated(Instant timestamp, String application, String asteriskId, Bridge bridge)
      implements AriEvent {}

  /** A bridge was destroyed. */
  record BridgeDestroyed(Instant timestamp, String application, String asteriskId, Bridge bridge)
      implements AriEvent {}

  /** A playback started (again after unpause). */
  record PlaybackStarted(
      Instant timestamp, String application, String asteriskId, Playback playback)
      implements AriEvent {}

  /** A playlist moved to its next media. */
  record PlaybackContinuing(
      Instant timestamp, String application, String asteriskId, Playback playback)
      implements AriEvent {}

  /** A playback ended: {@code state} done (also when stopped) or failed. */
  record PlaybackFinished(
      Instant timestamp, String application, String asteriskId, Playback playback)
      implements AriEvent {}

  /** A live recording started (after the beep, if any). */
  record RecordingStarted(
      Instant timestamp, String application, String asteriskId, LiveRecording recording)
      implements AriEvent {}

  /** A live recording finished; {@code duration} in whole seconds. */
  record RecordingFinished(
      Instant timestamp, String application, String asteriskId, LiveRecording recording)
      implements AriEvent {}

  /** A live recording failed; {@code recording.cause} says why. */
  record RecordingFailed(
      Instant timestamp, String application, String asteriskId, LiveRecording recording)
      implements AriEvent {}

  /** Dial progress of {@code peer} (the outbound leg); {@code dialstatus} is the outcome. */
  record Dial(
      Instant timestamp,
      String application,
      String asteriskId,
      Channel caller,
      Channel peer,
      String forward,
      Channel forwarded,
      String dialstring,
      String dialstatus)
      implements AriEvent {}

  /** Talk detection: the channel started talking. */
  record ChannelTalkingStarted(
      Instant timestamp, String application, String asteriskId, Channel channel)
      implements AriEvent {}

  /** Talk detection: the channel stopped talking after {@code duration} ms. */
  record ChannelTalkingFinished(
      Instant timestamp, String application, String asteriskId, Channel channel, int duration)
      implements AriEvent {}

  /**
   * A SIP REFER arrived on a channel whose transfers ARI handles ({@code
   * PJSIP_TRANSFER_HANDLING()=ari-only}, Asterisk 22.3+): Asterisk answered it {@code 202}, sent
   * the first {@code NOTIFY} (100 Trying) and does nothing more until the application reports the
   * transfer's progress ({@code POST /channels/{id}/transfer_progress}), each report again as this
   * event with its {@code state} ({@code channel_progress}, {@code channel_answered}, {@code
   * channel_declined}); the first has none.
   */
  record ChannelTransfer(
      Instant timestamp,
      String application,
      String asteriskId,
      String state,
      ReferTo referTo,
      ReferredBy referredBy)
      implements AriEvent {}

  /**
   * {@code ReferTo}: where the transferer asks the call to go.
   *
   * @param destinationChannel for an attended transfer, the channel to be replaced
   * @param connectedChannel the channel bridged to it
   */
  record ReferTo(
      RequiredDestination requestedDestination,
      Channel destinationChannel,
      Channel connectedChannel,
      Bridge bridge) {}

  /**
   * {@code RequiredDestination}: the user part of the {@code Refer-To} URI ({@code destination},
   * blind transfer) or the SIP Call-ID of the dialog to replace ({@code protocolId}, attended).
   */
  record RequiredDestination(
      String protocolId, String destination, List<AdditionalParam> additionalProtocolParams) {
    public RequiredDestination {
      additionalProtocolParams =
          additionalProtocolParams == null ? List.of() : List.copyOf(additionalProtocolParams);
    }
  }

  /** {@code AdditionalParam}: e.g. the {@code from}/{@code to} tags of an attended transfer. */
  record AdditionalParam(String parameterName, String parameterValue) {}

  /**
   * {@code ReferredBy}: the channel the REFER arrived on ({@code sourceChannel}), the channel
   * bridged to it and their bridge.
   */
  record ReferredBy(Channel sourceChannel, Channel connectedChannel, Bridge bridge) {}

  /** Another WebSocket took over this application; this socket gets nothing more. */
  record ApplicationReplaced(Instant timestamp, String application, String asteriskId)
      implements AriEvent {}

  /** A device's state changed (noise for call control). */
  record DeviceStateChanged(
      Instant timestamp, String application, String asteriskId, DeviceState deviceState)
      implements AriEvent {}

  /**
   * An event of a type this client does not model. Kept with its type name and raw JSON so that
   * nothing is silently dropped.
   */
  record UnknownEvent(
      String typeName, Instant timestamp, String application, String asteriskId, String rawJson)
      implements AriEvent {
    @Override
    public String type() {
      return typeName;
    }
  }
}
