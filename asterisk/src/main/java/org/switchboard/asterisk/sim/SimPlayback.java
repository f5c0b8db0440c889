package org.switchboard.asterisk.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One playback (possibly a list of media); only touched while holding the simulator's lock. */
final class SimPlayback {
  final String id;
  final List<String> media;
  final String targetUri;
  final String language;
  int index;
  String state = "queued";
  Duration remaining = Duration.ZERO;
  Instant itemStarted;
  SimClock.Timer timer;
  com.fasterxml.jackson.databind.node.ObjectNode queuedView;

  SimPlayback(String id, List<String> media, String targetUri, String language) {
    this.id = id;
    this.media = media;
    this.targetUri = targetUri;
    this.language = language;
  }

  String currentMedia() {
    return media.get(Math.min(index, media.size() - 1));
  }

  String nextMedia() {
    return index + 1 < media.size() ? media.get(index + 1) : null;
  }

  boolean targetsBridge() {
    return targetUri.startsWith("bridge:");
  }

  String targetId() {
    return targetUri.substring(targetUri.indexOf(':') + 1);
  }
}
