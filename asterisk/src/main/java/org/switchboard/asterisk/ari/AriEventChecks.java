package org.switchboard.asterisk.ari;

/**
 * What an event must carry to be routed: the object the ARI schema marks as required (the
 * channel, bridge, playback, recording, peer or device state) with its identity. An event
 * without it cannot be delivered to anyone, so both decoding paths refuse it alike instead of
 * handing the router a record of nulls.
 */
final class AriEventChecks {

  private AriEventChecks() {}

  /** What the event lacks, or null when it is complete. */
  static String missing(AriEvent event) {
    if (event instanceof AriEvent.StasisStart e) {
      return channel(e.channel());
    }
    if (event instanceof AriEvent.StasisEnd e) {
      return channel(e.channel());
    }
    if (event instanceof AriEvent.ChannelCreated e) {
      return channel(e.channel());
    }
    if (event instanceof AriEvent.ChannelStateChange e) {
      return channel(e.channel());
    }
    if (event instanceof AriEvent.ChannelDtmfReceived e) {
      return e.digit() == null ? "digit" : channel(e.channel());
    }
    if (event instanceof AriEvent.ChannelHangupRequest e) {
      return channel(e.channel());
    }
    if (event instanceof AriEvent.ChannelDestroyed e) {
      return channel(e.channel());
    }
    if (event instanceof AriEvent.ChannelVarset e) {
      return e.variable() == null ? "variable" : null;
    }
    if (event instanceof AriEvent.ChannelDialplan e) {
      return channel(e.channel());
    }
    if (event instanceof AriEvent.ChannelCallerId e) {
      return channel(e.channel());
    }
    if (event instanceof AriEvent.ChannelConnectedLine e) {
      return channel(e.channel());
    }
    if (event instanceof AriEvent.ChannelEnteredBridge e) {
      return bridge(e.bridge());
    }
    if (event instanceof AriEvent.ChannelLeftBridge e) {
      String bridge = bridge(e.bridge());
      return bridge != null ? bridge : channel(e.channel());
    }
    if (event instanceof AriEvent.BridgeCreated e) {
      return bridge(e.bridge());
    }
    if (event instanceof AriEvent.BridgeDestroyed e) {
      return bridge(e.bridge());
    }
    if (event instanceof AriEvent.PlaybackStarted e) {
      return playback(e.playback());
    }
    if (event instanceof AriEvent.PlaybackContinuing e) {
      return playback(e.playback());
    }
    if (event instanceof AriEvent.PlaybackFinished e) {
      return playback(e.playback());
    }
    if (event instanceof AriEvent.RecordingStarted e) {
      return recording(e.recording());
    }
    if (event instanceof AriEvent.RecordingFinished e) {
      return recording(e.recording());
    }
    if (event instanceof AriEvent.RecordingFailed e) {
      return recording(e.recording());
    }
    if (event instanceof AriEvent.Dial e) {
      return e.peer() == null || e.peer().id() == null ? "peer.id" : null;
    }
    if (event instanceof AriEvent.ChannelTalkingStarted e) {
      return channel(e.channel());
    }
    if (event instanceof AriEvent.ChannelTalkingFinished e) {
      return channel(e.channel());
    }
    if (event instanceof AriEvent.ChannelTransfer e) {
      return e.referredBy() == null ? "referred_by"
          : e.referTo() == null || e.referTo().requestedDestination() == null
              ? "refer_to.requested_destination"
              : e.referredBy().sourceChannel() == null
                  ? "referred_by.source_channel" : channel(e.referredBy().sourceChannel());
    }
    if (event instanceof AriEvent.DeviceStateChanged e) {
      return e.deviceState() == null || e.deviceState().name() == null ? "device_state.name" : null;
    }
    return null; // ApplicationReplaced, UnknownEvent: nothing required
  }

  private static String channel(Channel channel) {
    return channel == null || channel.id() == null ? "channel.id" : null;
  }

  private static String bridge(Bridge bridge) {
    return bridge == null || bridge.id() == null ? "bridge.id" : null;
  }

  private static String playback(Playback playback) {
    return playback == null || playback.id() == null ? "playback.id" : null;
  }

  private static String recording(LiveRecording recording) {
    return recording == null || recording.name() == null ? "recording.name" : null;
  }
}
