package org.switchboard.http.speech;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One transcription to make: what the {@code transcribeCallback} needs, kept as a file by {@link
 * PendingTranscriptions} while it runs (plain strings, so the file reads back after a restart).
 *
 * @param callback the {@code transcribeCallback}, or {@code null} for none (the result is kept
 *     for the REST API only)
 * @param callParams the call's standard request parameters, as {@code [name, value]} pairs
 * @param createdAt epoch milliseconds
 */
public record TranscriptionJob(
    String transcriptionSid,
    String recordingSid,
    String callSid,
    int durationSeconds,
    String recordingUrl,
    String transcriptionUrl,
    String callback,
    List<List<String>> callParams,
    long createdAt) {

  public TranscriptionJob {
    Objects.requireNonNull(transcriptionSid, "transcriptionSid");
    Objects.requireNonNull(recordingSid, "recordingSid");
    Objects.requireNonNull(callSid, "callSid");
    Objects.requireNonNull(recordingUrl, "recordingUrl");
    Objects.requireNonNull(transcriptionUrl, "transcriptionUrl");
    callParams = List.copyOf(callParams);
  }

  /** {@code params} as the {@code [name, value]} pairs a job keeps. */
  static List<List<String>> pairs(List<Map.Entry<String, String>> params) {
    List<List<String>> out = new ArrayList<>();
    for (Map.Entry<String, String> p : params) {
      out.add(List.of(p.getKey(), p.getValue() == null ? "" : p.getValue()));
    }
    return out;
  }

  /** The {@code transcribeCallback}'s parameters for this outcome (spec §1.3). */
  List<Map.Entry<String, String>> callbackParams(String status, String text) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (List<String> p : callParams) {
      out.add(Map.entry(p.get(0), p.get(1)));
    }
    out.add(Map.entry("TranscriptionSid", transcriptionSid));
    out.add(Map.entry("TranscriptionText", text));
    out.add(Map.entry("TranscriptionStatus", status));
    out.add(Map.entry("TranscriptionUrl", transcriptionUrl));
    out.add(Map.entry("RecordingSid", recordingSid));
    out.add(Map.entry("RecordingUrl", recordingUrl));
    return out;
  }
}
