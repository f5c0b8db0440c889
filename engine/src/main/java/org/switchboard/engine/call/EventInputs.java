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

  /** Whether {@code event} means the call's channel is going away. */
  static boolean isHangup(ChannelEvent event, String channelId) {
    return (event instanceof ChannelEvent.HangupRequested h && h.id().equals(channelId))
        || (event instanceof ChannelEvent.StasisLeft l && l.id().equals(channelId))
        || (event instanceof ChannelEvent.ChannelDestroyed d && d.id().equals(channelId));
  }
}
