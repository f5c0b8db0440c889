package org.switchboard.asterisk.sim;

import java.time.Instant;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.BitSet;

/**
 * One live recording. Audio is tracked in 100 ms slices (talking or silent) so the WAV file written
 * at the end has the right length and content; only touched while holding the simulator's lock.
 */
final class SimRecording {
  static final int SLICE_MS = 100;

  final String name;
  final String format;
  final String targetUri;
  final int maxDurationSeconds;
  final int maxSilenceSeconds;
  final String terminateOn;
  final Instant started;
  String state = "queued";
  boolean muted;
  boolean paused;
  int slices;
  int silentRunSlices;
  int talkingSlices;
  int silentSlices;
  final BitSet talking = new BitSet();
  /** The slices' samples at {@link #rate} when a caller spoke real audio into the recording. */
  final java.io.ByteArrayOutputStream pcm = new java.io.ByteArrayOutputStream();
  boolean realAudio;
  SimClock.Timer ticker;
  ObjectNode failedEvent;

  SimRecording(String name, String format, String targetUri, int maxDurationSeconds,
      int maxSilenceSeconds, String terminateOn, Instant started) {
    this.name = name;
    this.format = format;
    this.targetUri = targetUri;
    this.maxDurationSeconds = maxDurationSeconds;
    this.maxSilenceSeconds = maxSilenceSeconds;
    this.terminateOn = terminateOn;
    this.started = started;
  }

  /** The file's sample rate: 16 kHz for the wideband formats, else 8 kHz. */
  int rate() {
    return format.equals("wav16") || format.equals("sln16") ? 16000 : WavFile.RATE;
  }

  boolean targetsBridge() {
    return targetUri.startsWith("bridge:");
  }

  String targetId() {
    return targetUri.substring(targetUri.indexOf(':') + 1);
  }

  /** Trailing silent slices (trimmed from the reported duration when silence detection is on). */
  int trailingSilentSlices() {
    int n = 0;
    for (int i = slices - 1; i >= 0 && !talking.get(i); i--) {
      n++;
    }
    return n;
  }
}
