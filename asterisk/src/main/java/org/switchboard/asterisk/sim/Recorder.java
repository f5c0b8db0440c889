package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Live and stored recordings. A live recording samples every 100 ms whether its target hears audio
 * and ends on max duration, max silence, its terminate digit, stop, or hangup; it then leaves a
 * real WAV file in the recordings directory. Callers hold the core's lock.
 */
final class Recorder {
  private static final System.Logger LOG = System.getLogger(Recorder.class.getName());
  static final Set<String> FORMATS =
      Set.of("wav", "wav16", "gsm", "ulaw", "alaw", "sln", "sln16", "g722", "g729");
  private final SimCore core;
  private final Media media;

  Recorder(SimCore core, Media media) {
    this.core = core;
    this.media = media;
  }

  Path dir() {
    return core.config.recordingsDir();
  }

  Path file(String name, String format) {
    if (name.contains("..") || name.startsWith("/")) {
      throw AriError.of(400, "Invalid recording name");
    }
    return dir().resolve(name + "." + format);
  }

  SimRecording start(String targetUri, String name, String format, int maxDuration,
      int maxSilence, String terminateOn, String ifExists, boolean channelInBridge) {
    if (name == null || name.isEmpty()) {
      throw AriError.of(500, "Error parsing request");
    }
    if (format == null || !FORMATS.contains(format)) {
      throw AriError.of(422, "specified format is unknown on this system");
    }
    // Asterisk answers both (EEXIST from stasis_app_control_record) with this 409.
    if (core.recordings.containsKey(name)) {
      throw AriError.of(409, "Recording '" + name + "' already exists and can not be overwritten");
    }
    String exists = ifExists == null ? "fail" : ifExists;
    if (!Set.of("fail", "overwrite", "append").contains(exists)) {
      throw AriError.of(400, "ifExists invalid");
    }
    if (exists.equals("fail") && storedFile(name).isPresent()) {
      throw AriError.of(409, "Recording '" + name + "' already exists and can not be overwritten");
    }
    SimRecording r = new SimRecording(name, format, targetUri, maxDuration, maxSilence,
        terminateOn == null ? "none" : terminateOn, core.clock.now());
    if (channelInBridge) {
      r.state = "failed";
      ObjectNode e = core.event("RecordingFailed");
      ObjectNode rec = AriJson.recording(r);
      rec.put("cause", "Cannot record channel while in bridge");
      e.set("recording", rec);
      r.state = "queued";
      r.failedEvent = e;
      return r;
    }
    core.recordings.put(name, r);
    r.state = "recording";
    emit("RecordingStarted", r, null);
    r.ticker = core.clock.schedule(Duration.ofMillis(SimRecording.SLICE_MS),
        () -> core.locked(() -> tick(r)));
    return r;
  }

  /** Sends the RecordingFailed event of a recording refused because its channel is bridged. */
  void announceFailure(SimRecording r) {
    core.hub.emit(r.failedEvent, List.of(r.targetId()), null, false);
  }

  private void tick(SimRecording r) {
    if (core.recordings.get(r.name) != r) {
      return;
    }
    if (!r.paused) {
      boolean talking = !r.muted && audible(r);
      capture(r, talking);
      if (talking) {
        r.talking.set(r.slices);
        r.talkingSlices++;
        r.silentRunSlices = 0;
      } else {
        r.silentSlices++;
        r.silentRunSlices++;
      }
      r.slices++;
      int ms = r.slices * SimRecording.SLICE_MS;
      if ((r.maxDurationSeconds > 0 && ms >= r.maxDurationSeconds * 1000)
          || (r.maxSilenceSeconds > 0
              && r.silentRunSlices * SimRecording.SLICE_MS >= r.maxSilenceSeconds * 1000)) {
        finish(r, "done");
        return;
      }
    }
    r.ticker = core.clock.schedule(Duration.ofMillis(SimRecording.SLICE_MS),
        () -> core.locked(() -> tick(r)));
  }

  /**
   * Keeps the slice's samples: the caller's spoken audio where it covers the slice, else a 440 Hz
   * tone while audible, else silence.
   */
  private void capture(SimRecording r, boolean talking) {
    int rate = r.rate();
    int n = rate * SimRecording.SLICE_MS / 1000;
    java.time.Instant from = r.started.plusMillis((long) r.slices * SimRecording.SLICE_MS);
    SimChannel c = r.targetsBridge() ? null : core.channels.get(r.targetId());
    short[] spoken = c == null || r.muted ? null : media.spoken(c, from, SimRecording.SLICE_MS, rate);
    if (spoken != null) {
      r.realAudio = true;
    }
    for (int i = 0; i < n; i++) {
      short v = spoken != null ? spoken[i]
          : talking ? (short) (8000 * Math.sin(2 * Math.PI * 440 * (r.slices * n + i) / rate)) : 0;
      r.pcm.write(v & 0xff);
      r.pcm.write((v >> 8) & 0xff);
    }
  }

  private boolean audible(SimRecording r) {
    if (r.targetsBridge()) {
      SimBridge b = core.bridges.get(r.targetId());
      return b != null && media.bridgeHasAudio(b, null);
    }
    SimChannel c = core.channels.get(r.targetId());
    return c != null && media.hearsAudio(c);
  }

  /** Ends a live recording: writes the WAV, sends RecordingFinished. */
  void finish(SimRecording r, String state) {
    if (r.ticker != null) {
      r.ticker.cancel();
    }
    core.recordings.remove(r.name);
    int trailing = r.maxSilenceSeconds > 0 ? r.trailingSilentSlices() : 0;
    int kept = r.slices - trailing;
    r.state = state;
    if (!"canceled".equals(state)) {
      write(r, kept);
    }
    ObjectNode extra = AriJson.object().put("duration", kept * SimRecording.SLICE_MS / 1000);
    if (r.maxSilenceSeconds > 0) {
      extra.put("talking_duration", r.talkingSlices * SimRecording.SLICE_MS / 1000);
      extra.put("silence_duration",
          (r.silentSlices - trailing) * SimRecording.SLICE_MS / 1000);
    }
    emit("RecordingFinished", r, extra);
  }

  /** Removes the file of a cancelled recording, if one was written. */
  void discard(SimRecording r) {
    try {
      Files.deleteIfExists(file(r.name, r.format));
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot delete {0}: {1}", r.name, e.toString());
    }
  }

  private void write(SimRecording r, int slices) {
    try {
      Path f = file(r.name, r.format);
      Files.createDirectories(f.getParent());
      Files.write(f, r.realAudio
          ? WavFile.pcm(r.pcm.toByteArray(), slices * r.rate() * SimRecording.SLICE_MS / 1000 * 2,
              r.rate())
          : WavFile.render(r.talking, slices, SimRecording.SLICE_MS));
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "cannot write recording {0}: {1}", r.name, e.toString());
    }
  }

  private void emit(String type, SimRecording r, ObjectNode extra) {
    ObjectNode e = core.event(type);
    ObjectNode rec = AriJson.recording(r);
    if (extra != null) {
      rec.setAll(extra);
    }
    e.set("recording", rec);
    core.hub.emit(e, List.of(r.targetId()), null, false);
  }

  void onDtmf(SimChannel c, char digit) {
    for (SimRecording r : new ArrayList<>(core.recordings.values())) {
      if (!r.targetsBridge() && r.targetId().equals(c.id)
          && (r.terminateOn.equals("any") || r.terminateOn.equals(String.valueOf(digit)))) {
        finish(r, "done");
      }
    }
  }

  void targetGone(String targetId) {
    for (SimRecording r : new ArrayList<>(core.recordings.values())) {
      if (r.targetId().equals(targetId)) {
        finish(r, "done");
      }
    }
  }

  // ---- stored recordings

  /** The stored recording's file, if any. */
  java.util.Optional<Path> storedFile(String name) {
    for (String f : FORMATS) {
      Path p = file(name, f);
      if (Files.isRegularFile(p)) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }

  ObjectNode storedView(String name) {
    Path p = storedFile(name).orElseThrow(() -> AriError.of(404, "Recording not found"));
    return AriJson.stored(name, extension(p));
  }

  ArrayNode listStored() {
    ArrayNode list = AriJson.array();
    if (!Files.isDirectory(dir())) {
      return list;
    }
    try (Stream<Path> files = Files.walk(dir())) {
      files.filter(Files::isRegularFile).sorted().forEach(p -> {
        String rel = dir().relativize(p).toString().replace('\\', '/');
        String ext = extension(p);
        if (FORMATS.contains(ext)) {
          list.add(AriJson.stored(rel.substring(0, rel.length() - ext.length() - 1), ext));
        }
      });
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "cannot list recordings: {0}", e.toString());
    }
    return list;
  }

  void deleteStored(String name) {
    Path p = storedFile(name).orElseThrow(() -> AriError.of(404, "Recording not found"));
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw AriError.of(500, "Recording could not be deleted");
    }
  }

  ObjectNode copyStored(String name, String destination) {
    if (destination == null || destination.isEmpty()) {
      throw AriError.of(400, "Missing parameter destinationRecordingName");
    }
    Path p = storedFile(name).orElseThrow(() -> AriError.of(404, "Recording not found"));
    if (storedFile(destination).isPresent()) {
      throw AriError.of(409, "A recording with the same name already exists on the system");
    }
    String ext = extension(p);
    try {
      Path target = file(destination, ext);
      Files.createDirectories(target.getParent());
      Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
    } catch (IOException e) {
      throw AriError.of(500, "Recording could not be copied");
    }
    return AriJson.stored(destination, ext);
  }

  private static String extension(Path p) {
    String n = p.getFileName().toString();
    return n.substring(n.lastIndexOf('.') + 1);
  }
}
