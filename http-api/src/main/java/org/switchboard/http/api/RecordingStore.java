package org.switchboard.http.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Recordings as the HTTP layer sees them: metadata for the Twilio Recording resource and the audio
 * bytes for {@code GET /recordings/{name}} (streamed from Asterisk's {@code GET
 * /recordings/stored/{name}/file}). Same conventions as {@link CallControl}.
 */
public interface RecordingStore {

  /** Audio formats a recording can be asked for, by URL suffix as Twilio does. */
  enum AudioFormat {
    WAV("audio/x-wav", ".wav"),
    MP3("audio/mpeg", ".mp3");

    private final String mediaType;
    private final String suffix;

    AudioFormat(String mediaType, String suffix) {
      this.mediaType = mediaType;
      this.suffix = suffix;
    }

    /** The Content-Type to answer. */
    public String mediaType() {
      return mediaType;
    }

    /** The URL suffix that selects it. */
    public String suffix() {
      return suffix;
    }
  }

  /**
   * A recording as Twilio's Recording resource shows it.
   *
   * @param callSid the parent leg of a two-leg call
   * @param source {@code RecordVerb}, {@code DialVerb}, {@code Conference}, {@code OutboundAPI}
   * @param status {@code in-progress}, {@code completed}, {@code absent}, {@code failed}
   * @param duration present once completed
   */
  record RecordingInfo(
      String sid,
      String callSid,
      Optional<String> conferenceSid,
      int channels,
      String source,
      String status,
      Instant startTime,
      Optional<Duration> duration,
      Instant dateCreated,
      Instant dateUpdated,
      Optional<Integer> errorCode) {}

  /**
   * A transcription of a {@code <Record transcribe>} recording, as Twilio's Transcription resource
   * shows it.
   *
   * @param status {@code in-progress}, {@code completed} or {@code failed}
   * @param text the words recognised; empty until completed, and when failed
   * @param durationSeconds the length of the audio transcribed
   */
  record TranscriptionInfo(
      String sid,
      String recordingSid,
      String callSid,
      String status,
      String text,
      int durationSeconds,
      Instant dateCreated,
      Instant dateUpdated) {}

  /**
   * The audio of a recording, streamed once.
   *
   * @param format the format of {@code data}
   * @param length the byte length if known (sent as Content-Length)
   */
  record RecordingMedia(AudioFormat format, Source<ByteString, ?> data, OptionalLong length) {}

  /** Recordings, newest first; only those of {@code callSid} when present. */
  CompletionStage<Page<RecordingInfo>> listRecordings(
      Optional<String> callSid, int offset, int limit);

  /**
   * As {@link #listRecordings(Optional, int, int)}, only those whose {@code date_created} lies in
   * {@code dateCreated}. This default filters every recording of the call; a store that can filter
   * before paging should.
   */
  default CompletionStage<Page<RecordingInfo>> listRecordings(
      Optional<String> callSid, DateRange dateCreated, int offset, int limit) {
    if (dateCreated.equals(DateRange.ANY)) {
      return listRecordings(callSid, offset, limit);
    }
    return listRecordings(callSid, 0, Integer.MAX_VALUE).thenApply(all -> Page.of(
        all.items().stream().filter(r -> dateCreated.contains(Optional.of(r.dateCreated())))
            .toList(), offset, limit));
  }

  /** One recording. Errors: {@code NOT_FOUND}. */
  CompletionStage<RecordingInfo> fetchRecording(String recordingSid);

  /**
   * Opens the audio of a recording. {@code name} is a RecordingSid ({@code RE…}) or an Asterisk
   * stored-recording name, without any {@code .wav}/{@code .mp3} suffix.
   *
   * <p>Errors: {@code NOT_FOUND}; {@code UNSUPPORTED_FORMAT} with status 415 when MP3 is asked and
   * no encoder is available (WAV must always work); {@code UNAVAILABLE}.
   */
  CompletionStage<RecordingMedia> openMedia(String name, AudioFormat format);

  /**
   * Deletes the recording (its metadata and the file on Asterisk). Errors: {@code NOT_FOUND}.
   */
  CompletionStage<Void> deleteRecording(String recordingSid);

  /**
   * Transcriptions, newest first; only those of {@code recordingSid} when present. This default
   * knows none (a store without transcriptions).
   */
  default CompletionStage<Page<TranscriptionInfo>> listTranscriptions(
      Optional<String> recordingSid, int offset, int limit) {
    return CompletableFuture.completedFuture(Page.of(List.of(), offset, limit));
  }

  /** One transcription. Errors: {@code NOT_FOUND}. */
  default CompletionStage<TranscriptionInfo> fetchTranscription(String transcriptionSid) {
    return CompletableFuture.failedFuture(
        ApiException.notFound("transcription " + transcriptionSid + " not found"));
  }

  /** Forgets a transcription (its recording stays). Errors: {@code NOT_FOUND}. */
  default CompletionStage<Void> deleteTranscription(String transcriptionSid) {
    return fetchTranscription(transcriptionSid).thenApply(found -> null);
  }
}
