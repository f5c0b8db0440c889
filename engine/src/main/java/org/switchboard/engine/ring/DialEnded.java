package org.switchboard.engine.ring;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.switchboard.engine.port.SoundSpan;

/**
 * The end of one {@code <Dial>}, for the parent's interpreter and its {@code action} request.
 *
 * @param status DialCallStatus: completed, busy, no-answer, failed, canceled
 * @param dialCallSid the bridged (or last rung) leg, or the dequeued caller
 * @param dialCallDuration seconds bridged, when a party answered
 * @param bridged DialBridged
 * @param parentHungUp the caller hung up: the script does not go on (§4.6)
 * @param sip the {@code DialSip*} parameters of a {@code <Dial><Sip>} ({@link DialSipFacts})
 */
public record DialEnded(
    String status,
    Optional<String> dialCallSid,
    OptionalInt dialCallDuration,
    boolean bridged,
    boolean parentHungUp,
    Optional<Recording> recording,
    Optional<QueueDequeue> queue,
    List<Map.Entry<String, String>> sip) {

  public DialEnded {
    sip = List.copyOf(sip);
  }

  /** A dial without SIP parameters. */
  public DialEnded(String status, Optional<String> dialCallSid, OptionalInt dialCallDuration,
      boolean bridged, boolean parentHungUp, Optional<Recording> recording,
      Optional<QueueDequeue> queue) {
    this(status, dialCallSid, dialCallDuration, bridged, parentHungUp, recording, queue,
        List.of());
  }

  /**
   * The dial's recording.
   *
   * @param kept the part of the file served ({@code trim="trim-silence"}); empty: all of it
   */
  public record Recording(String sid, URI url, OptionalInt durationSeconds, int channels,
      Optional<SoundSpan> kept) {

    /** A recording served whole. */
    public Recording(String sid, URI url, OptionalInt durationSeconds, int channels) {
      this(sid, url, durationSeconds, channels, Optional.empty());
    }

    /** A one-channel recording. */
    public Recording(String sid, URI url, OptionalInt durationSeconds) {
      this(sid, url, durationSeconds, 1);
    }
  }

  /** The {@code <Dial><Queue>} parameters (§1.3). */
  public record QueueDequeue(
      String queueSid,
      String dequeueResult,
      Optional<String> dequeuedCallSid,
      int queueTimeSeconds,
      int durationSeconds) {}

  /** The §1.3 {@code <Dial>} action parameters, in order. */
  public List<Map.Entry<String, String>> actionParams() {
    List<Map.Entry<String, String>> p = new ArrayList<>();
    p.add(Map.entry("DialCallStatus", status));
    dialCallSid.ifPresent(sid -> p.add(Map.entry("DialCallSid", sid)));
    dialCallDuration.ifPresent(d -> p.add(Map.entry("DialCallDuration", Integer.toString(d))));
    p.add(Map.entry("DialBridged", Boolean.toString(bridged)));
    recording.ifPresent(
        r -> {
          p.add(Map.entry("RecordingUrl", r.url().toString()));
          p.add(Map.entry("RecordingSid", r.sid()));
          r.durationSeconds().ifPresent(d -> p.add(Map.entry("RecordingDuration", Integer.toString(d))));
        });
    queue.ifPresent(
        q -> {
          p.add(Map.entry("QueueSid", q.queueSid()));
          p.add(Map.entry("DequeueResult", q.dequeueResult()));
          q.dequeuedCallSid().ifPresent(sid -> p.add(Map.entry("DequeuedCallSid", sid)));
          p.add(Map.entry("DequeuedCallQueueTime", Integer.toString(q.queueTimeSeconds())));
          p.add(Map.entry("DequeuedCallDuration", Integer.toString(q.durationSeconds())));
        });
    p.addAll(sip);
    return List.copyOf(p);
  }
}
