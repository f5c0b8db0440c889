package org.switchboard.asterisk.router;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.switchboard.asterisk.ari.AriEvent;
import org.switchboard.asterisk.ari.LiveRecording;
import org.switchboard.asterisk.ari.Playback;

/**
 * Drops the second copy of playback and recording events that a {@code subscribeAll} socket
 * delivers twice for bridge targets (ARI-NOTES point 7). Two events are copies when server, type,
 * id, state, media and Asterisk timestamp are all equal; a real repeat (e.g. the second {@code
 * PlaybackStarted} after unpause) has a later timestamp. Remembers the last {@code capacity}
 * keys. Thread-safe.
 */
public final class DuplicateFilter {
  private final Map<Key, Boolean> recent;

  /** @param capacity how many recent playback/recording events to remember */
  public DuplicateFilter(int capacity) {
    this.recent =
        new LinkedHashMap<>(capacity * 2, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** True when {@code event} repeats one seen just before and should be dropped. */
  public synchronized boolean isDuplicate(String serverId, AriEvent event) {
    Key key = keyOf(serverId, event);
    if (key == null) {
      return false;
    }
    return recent.put(key, Boolean.TRUE) != null;
  }

  private static Key keyOf(String serverId, AriEvent event) {
    Playback playback = null;
    LiveRecording recording = null;
    if (event instanceof AriEvent.PlaybackStarted e) {
      playback = e.playback();
    } else if (event instanceof AriEvent.PlaybackContinuing e) {
      playback = e.playback();
    } else if (event instanceof AriEvent.PlaybackFinished e) {
      playback = e.playback();
    } else if (event instanceof AriEvent.RecordingStarted e) {
      recording = e.recording();
    } else if (event instanceof AriEvent.RecordingFinished e) {
      recording = e.recording();
    } else if (event instanceof AriEvent.RecordingFailed e) {
      recording = e.recording();
    }
    if (playback != null && playback.target().bridgeId().isPresent()) {
      return new Key(
          serverId,
          event.type(),
          playback.id(),
          playback.state() + "|" + playback.mediaUri(),
          Objects.toString(event.timestamp()));
    }
    if (recording != null && recording.target().bridgeId().isPresent()) {
      return new Key(
          serverId,
          event.type(),
          recording.name(),
          recording.state(),
          Objects.toString(event.timestamp()));
    }
    return null;
  }

  private record Key(String serverId, String type, String id, String state, String timestamp) {}
}
