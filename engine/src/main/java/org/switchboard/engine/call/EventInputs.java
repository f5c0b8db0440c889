package org.switchboard.engine.call;

import java.util.Optional;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.script.ScriptInput;

/** Translates the ARI events of a call's channel into script inputs. */
final class EventInputs {
  private EventInputs() {}

  /** The script input {@code event} stands for, if any. */
  static Optional<ScriptInput> toInput(ChannelEvent event, String channelId) {
    if (event instanceof ChannelEvent.DtmfReceived d && d.id().equals(channelId)) {
      return Optional.of(new ScriptInput.Digit(d.digit()));
    }
    if (event instanceof ChannelEvent.TalkingChanged talk && talk.id().equals(channelId)) {
      return Optional.of(new ScriptInput.Talking(talk.talking()));
    }
    if (event instanceof ChannelEvent.PlaybackFinished f) {
      return Optional.of(new ScriptInput.PlaybackFinished(f.playbackId(), f.failed()));
    }
    if (event instanceof ChannelEvent.RecordingStarted r) {
      return Optional.of(new ScriptInput.RecordingStarted(r.name(), r.timestamp()));
    }
    if (event instanceof ChannelEvent.RecordingFinished r) {
      return Optional.of(
          new ScriptInput.RecordingFinished(r.name(), r.durationSeconds(), r.timestamp()));
    }
    if (event instanceof ChannelEvent.RecordingFailed r) {
      return Optional.of(new ScriptInput.RecordingFailed(r.name(), r.cause(), r.timestamp()));
    }
    return Optional.empty();
  }

  /**
   * Whether a delegation of the call may need {@code event}: DTMF, bridge membership, hangup and
   * talk detection (a conference's {@code speaker} events) of the call's own channel, every event of a bridge the call owns ({@code <callSid>-br-…}) and
   * the recordings of the channels it made ({@code <callSid>-snoop-…}, speech capture).
   */
  static boolean concernsDelegates(ChannelEvent event, String channelId, String callSid) {
    boolean own = event.channelId().filter(channelId::equals).isPresent()
        && (event instanceof ChannelEvent.DtmfReceived
            || event instanceof ChannelEvent.EnteredBridge
            || event instanceof ChannelEvent.LeftBridge
            || event instanceof ChannelEvent.StasisLeft
            || event instanceof ChannelEvent.ChannelDestroyed
            || event instanceof ChannelEvent.HangupRequested
            || event instanceof ChannelEvent.TalkingChanged);
    boolean announcement = event instanceof ChannelEvent.PlaybackFinished f
        && f.playbackId().startsWith(callSid + "-announce-");
    boolean ownedRecording = event instanceof ChannelEvent.Targeted
        && (event instanceof ChannelEvent.RecordingStarted
            || event instanceof ChannelEvent.RecordingFinished
            || event instanceof ChannelEvent.RecordingFailed)
        && event.channelId().filter(id -> id.startsWith(callSid + "-")).isPresent();
    return own || announcement || ownedRecording
        || event.bridgeId().filter(id -> id.startsWith(callSid + "-br-")).isPresent();
  }

  /** Whether {@code event} means the call's channel is going away. */
  static boolean isHangup(ChannelEvent event, String channelId) {
    return (event instanceof ChannelEvent.HangupRequested h && h.id().equals(channelId))
        || (event instanceof ChannelEvent.StasisLeft l && l.id().equals(channelId))
        || (event instanceof ChannelEvent.ChannelDestroyed d && d.id().equals(channelId));
  }
}
