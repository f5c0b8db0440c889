package org.switchboard.asterisk.router;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.switchboard.asterisk.ari.AriEvent;
import org.switchboard.asterisk.ari.Channel;
import org.switchboard.asterisk.ari.LiveRecording;
import org.switchboard.asterisk.ari.Playback;
import org.switchboard.asterisk.ari.TargetUri;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ServerEvent;

/**
 * Translates ARI events into engine events. Pure and thread-safe. Noise the engine does not use
 * ({@code ChannelCreated}, {@code ChannelDialplan}, {@code ChannelCallerId}, {@code
 * ChannelConnectedLine}, {@code DeviceStateChanged}, {@code BridgeCreated}, variables outside
 * {@code routedVariables}, unknown types) comes back as {@link Routing.Ignored}.
 */
public final class AriEventMapper {
  private final Set<String> routedVariables;
  private final Set<String> routedVariablePrefixes;

  /**
   * @param routedVariables {@code ChannelVarset} names delivered to the engine
   * @param routedVariablePrefixes name prefixes delivered to the engine (e.g. {@code SWITCHBOARD_})
   */
  public AriEventMapper(Set<String> routedVariables, Set<String> routedVariablePrefixes) {
    this.routedVariables = Set.copyOf(routedVariables);
    this.routedVariablePrefixes = Set.copyOf(routedVariablePrefixes);
  }

  /** Decides where one event of {@code serverId} goes. */
  public Routing map(String serverId, AriEvent event) {
    Instant ts = event.timestamp() != null ? event.timestamp() : Instant.now();
    if (event instanceof AriEvent.StasisStart e) {
      return channel(
          new ChannelEvent.StasisEntered(
              serverId,
              ts,
              EngineViews.channelInfo(e.channel()),
              e.args(),
              Optional.ofNullable(e.replaceChannel()).map(Channel::id)));
    }
    if (event instanceof AriEvent.StasisEnd e) {
      return channel(
          new ChannelEvent.StasisLeft(serverId, ts, e.channel().id()));
    }
    if (event instanceof AriEvent.ChannelStateChange e) {
      return channel(
          new ChannelEvent.StateChanged(serverId, ts, e.channel().id(), e.channel().state()));
    }
    if (event instanceof AriEvent.ChannelDtmfReceived e) {
      return channel(
          new ChannelEvent.DtmfReceived(
              serverId, ts, e.channel().id(), e.digit(), e.durationMs()));
    }
    if (event instanceof AriEvent.ChannelHangupRequest e) {
      return channel(
          new ChannelEvent.HangupRequested(
              serverId,
              ts,
              e.channel().id(),
              e.cause() == null ? 0 : e.cause(),
              Boolean.TRUE.equals(e.soft())));
    }
    if (event instanceof AriEvent.ChannelDestroyed e) {
      return channel(
          new ChannelEvent.ChannelDestroyed(
              serverId, ts, e.channel().id(), e.cause(), e.causeTxt()));
    }
    if (event instanceof AriEvent.ChannelVarset e) {
      return variable(serverId, ts, e);
    }
    if (event instanceof AriEvent.Dial e) {
      return channel(
          new ChannelEvent.DialProgress(
              serverId, ts, e.peer().id(), e.dialstatus() == null ? "" : e.dialstatus()));
    }
    if (event instanceof AriEvent.ChannelEnteredBridge e) {
      return e.channel() == null
          ? new Routing.Ignored("ChannelEnteredBridge without channel")
          : channel(
              new ChannelEvent.EnteredBridge(serverId, ts, e.channel().id(), e.bridge().id()));
    }
    if (event instanceof AriEvent.ChannelLeftBridge e) {
      return channel(
          new ChannelEvent.LeftBridge(serverId, ts, e.channel().id(), e.bridge().id()));
    }
    if (event instanceof AriEvent.BridgeDestroyed e) {
      return channel(
          new ChannelEvent.BridgeDestroyed(serverId, ts, e.bridge().id()));
    }
    if (event instanceof AriEvent.PlaybackStarted e) {
      return playbackStarted(serverId, ts, e.playback());
    }
    if (event instanceof AriEvent.PlaybackContinuing e) {
      return playbackStarted(serverId, ts, e.playback());
    }
    if (event instanceof AriEvent.PlaybackFinished e) {
      return playbackFinished(serverId, ts, e.playback());
    }
    if (event instanceof AriEvent.RecordingStarted e) {
      TargetUri t = e.recording().target();
      return targeted(
          t,
          new ChannelEvent.RecordingStarted(
              serverId, ts, e.recording().name(), t.channelId(), t.bridgeId()));
    }
    if (event instanceof AriEvent.RecordingFinished e) {
      return recordingFinished(serverId, ts, e.recording());
    }
    if (event instanceof AriEvent.RecordingFailed e) {
      return recordingFailed(serverId, ts, e.recording());
    }
    if (event instanceof AriEvent.ChannelTalkingStarted e) {
      return channel(new ChannelEvent.TalkingChanged(serverId, ts, e.channel().id(), true));
    }
    if (event instanceof AriEvent.ChannelTalkingFinished e) {
      return channel(new ChannelEvent.TalkingChanged(serverId, ts, e.channel().id(), false));
    }
    if (event instanceof AriEvent.ChannelTransfer e) {
      return transfer(serverId, ts, e);
    }
    if (event instanceof AriEvent.ApplicationReplaced) {
      return new Routing.ToServer(new ServerEvent.Replaced(serverId, ts));
    }
    if (event instanceof AriEvent.UnknownEvent e) {
      return new Routing.Ignored("unknown:" + e.type());
    }
    // ChannelCreated, ChannelDialplan, ChannelCallerId, ChannelConnectedLine,
    // DeviceStateChanged, BridgeCreated: noise for call control.
    return new Routing.Ignored(event.type());
  }

  /**
   * A REFER goes to the call being transferred: the channel bridged to the transferer (which owns
   * the bridge and the {@code <Dial referUrl>}), or the transferer when it is in no bridge.
   */
  private static Routing transfer(String serverId, Instant ts, AriEvent.ChannelTransfer e) {
    AriEvent.ReferredBy by = e.referredBy();
    String transferer = by.sourceChannel().id();
    String to = by.connectedChannel() != null && by.connectedChannel().id() != null
        ? by.connectedChannel().id() : transferer;
    AriEvent.RequiredDestination d = e.referTo().requestedDestination();
    return channel(new ChannelEvent.TransferRequested(serverId, ts, to, transferer,
        d.destination() == null ? "" : d.destination(),
        Optional.ofNullable(by.bridge()).map(b -> b.id()),
        Optional.ofNullable(e.state())));
  }

  private static Routing playbackFinished(String serverId, Instant ts, Playback playback) {
    TargetUri t = playback.target();
    return targeted(
        t,
        new ChannelEvent.PlaybackFinished(
            serverId, ts, playback.id(), t.channelId(), t.bridgeId(), "failed".equals(playback.state())));
  }

  private static Routing recordingFailed(String serverId, Instant ts, LiveRecording recording) {
    TargetUri t = recording.target();
    return targeted(
        t,
        new ChannelEvent.RecordingFailed(
            serverId,
            ts,
            recording.name(),
            t.channelId(),
            t.bridgeId(),
            recording.cause() == null ? "" : recording.cause()));
  }

  private Routing variable(String serverId, Instant ts, AriEvent.ChannelVarset e) {
    if (e.channel() == null || !routed(e.variable())) {
      return new Routing.Ignored("ChannelVarset");
    }
    return channel(
        new ChannelEvent.VariableSet(serverId, ts, e.channel().id(), e.variable(), e.value()));
  }

  private boolean routed(String variable) {
    if (variable == null) {
      return false;
    }
    return routedVariables.contains(variable)
        || routedVariablePrefixes.stream().anyMatch(variable::startsWith);
  }

  private static Routing playbackStarted(String serverId, Instant ts, Playback playback) {
    TargetUri t = playback.target();
    return targeted(
        t,
        new ChannelEvent.PlaybackStarted(serverId, ts, playback.id(), t.channelId(), t.bridgeId()));
  }

  private static Routing recordingFinished(String serverId, Instant ts, LiveRecording recording) {
    TargetUri t = recording.target();
    return targeted(
        t,
        new ChannelEvent.RecordingFinished(
            serverId,
            ts,
            recording.name(),
            t.channelId(),
            t.bridgeId(),
            recording.duration() == null ? 0 : recording.duration()));
  }

  private static Routing targeted(TargetUri target, ChannelEvent event) {
    if (target.channelId().isEmpty() && target.bridgeId().isEmpty()) {
      return new Routing.Ignored(
          event.getClass().getSimpleName() + " for target scheme '" + target.scheme() + "'");
    }
    return new Routing.ToChannel(event);
  }

  private static Routing channel(ChannelEvent event) {
    return new Routing.ToChannel(event);
  }
}
