package org.switchboard.http.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.switchboard.engine.port.Failures;
import org.switchboard.asterisk.client.AriConnector;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.store.HistoryStore;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.DateRange;
import org.switchboard.http.api.Page;
import org.switchboard.http.api.RecordingStore;
import org.switchboard.http.audio.AudioFormatException;
import org.switchboard.http.audio.Mp3Encoder;
import org.switchboard.http.audio.StereoWav;
import org.switchboard.http.audio.SilenceTrim;
import org.switchboard.engine.port.SoundSpan;

/**
 * Recordings as the REST API and the signed {@code /recordings/{name}} URLs serve them: the
 * metadata from the node's {@link HistoryStore} (fed by the engine's {@link RecordingIndex}), the
 * audio from the Asterisk server that holds
 * the file ({@code GET /recordings/stored/{name}/file}), never copied elsewhere; a {@code
 * trim-silence} recording is served cut to its entry's {@code kept} span. A name the index
 * does not know is looked for on every server (recordings of an earlier run).
 */
public final class AriRecordingStore implements RecordingStore {
  private final RecordingIndex index;
  private final HistoryStore store;
  private final AriConnector ari;
  private final Optional<Mp3Encoder> mp3;

  /** A store that serves WAV only (MP3 is 415). */
  public AriRecordingStore(RecordingIndex index, HistoryStore store, AriConnector ari) {
    this(index, store, ari, Optional.empty());
  }

  /** A store that serves WAV, and MP3 encoded (once per recording, cached) by {@code mp3}. */
  public AriRecordingStore(
      RecordingIndex index, HistoryStore store, AriConnector ari, Optional<Mp3Encoder> mp3) {
    this.index = index;
    this.store = store;
    this.ari = ari;
    this.mp3 = mp3;
  }

  @Override
  public CompletionStage<Page<RecordingInfo>> listRecordings(
      Optional<String> callSid, int offset, int limit) {
    return listRecordings(callSid, DateRange.ANY, offset, limit);
  }

  @Override
  public CompletionStage<Page<RecordingInfo>> listRecordings(
      Optional<String> callSid, DateRange dateCreated, int offset, int limit) {
    return answered(store.listRecordings(callSid, range(dateCreated), offset, limit + 1))
        .thenApply(found -> new Page<>(
            found.stream().limit(limit).map(AriRecordingStore::info).toList(),
            found.size() > limit));
  }

  /** The REST API's date filter as the store's time range (both inclusive). */
  static HistoryStore.TimeRange range(DateRange dates) {
    return new HistoryStore.TimeRange(dates.from(), dates.to());
  }

  @Override
  public CompletionStage<RecordingInfo> fetchRecording(String recordingSid) {
    return find(recordingSid).thenApply(found -> info(found.orElseThrow(
        () -> ApiException.notFound("recording " + recordingSid + " not found"))));
  }

  private CompletionStage<Optional<RecordingIndex.Entry>> find(String recordingSid) {
    return answered(store.findRecording(recordingSid));
  }

  /** A store that could not answer is a 503 with its reason. */
  private static <T> CompletionStage<T> answered(CompletionStage<T> read) {
    return read.exceptionally(e -> {
      throw ApiException.unavailable("the recording store did not answer: "
          + Failures.cause(e).getMessage());
    });
  }

  @Override
  public CompletionStage<RecordingMedia> openMedia(String name, AudioFormat format) {
    if (format == AudioFormat.MP3 && mp3.isEmpty()) {
      return CompletableFuture.failedFuture(
          new ApiException(415, ApiException.UNSUPPORTED_FORMAT, "recordings are available as .wav only"));
    }
    return find(name).thenCompose(entry -> {
      String stored = entry.map(RecordingIndex.Entry::storedName).orElse(name);
      List<String> servers =
          entry.map(e -> List.of(e.serverId())).orElseGet(() -> List.copyOf(ari.links().keySet()));
      Optional<SoundSpan> kept = entry.flatMap(RecordingIndex.Entry::kept);
      if (format != AudioFormat.MP3) {
        return wav(entry, stored, servers, kept);
      }
      return mp3.get().mp3(cacheKey(entry, stored), () -> wav(entry, stored, servers, kept))
          .exceptionally(error -> {
            if (Failures.cause(error) instanceof Mp3Encoder.EncoderException e) {
              throw new ApiException(415, ApiException.UNSUPPORTED_FORMAT, "MP3 is not available: "
                  + e.getMessage());
            }
            throw error instanceof RuntimeException r ? r : new IllegalStateException(error);
          });
    }).thenApply(
        b -> new RecordingMedia(format, Source.single(ByteString.fromArray(b)), OptionalLong.of(b.length)));
  }

  /**
   * The recording as one WAV file: as Asterisk holds it, or for a dual-channel recording its two
   * channel files ({@link RecordingIndex.Entry#channelFiles}) merged into a stereo WAV; each
   * channel cut to {@code kept} first.
   */
  private CompletionStage<byte[]> wav(Optional<RecordingIndex.Entry> entry, String stored,
      List<String> servers, Optional<SoundSpan> kept) {
    List<String> files = entry.map(RecordingIndex.Entry::channelFiles).orElse(List.of(stored));
    if (files.size() != 2) {
      return fetch(stored, servers, 0).thenApply(wav -> cut(wav, kept));
    }
    return fetch(files.get(0), servers, 0).thenCombine(fetch(files.get(1), servers, 0),
        (left, right) -> {
          try {
            return StereoWav.merge(cut(left, kept), cut(right, kept));
          } catch (AudioFormatException e) {
            throw ApiException.unavailable("recording " + stored + " could not be merged into"
                + " two channels: " + e.getMessage());
          }
        });
  }

  /** The part of the file a {@code trim-silence} recording serves; all of it otherwise. */
  private static byte[] cut(byte[] wav, Optional<SoundSpan> kept) {
    if (kept.isEmpty()) {
      return wav;
    }
    try {
      return SilenceTrim.cut(wav, kept.get());
    } catch (AudioFormatException e) {
      throw ApiException.unavailable("recording is not a WAV file to trim: " + e.getMessage());
    }
  }

  /** The MP3 cache key: the server and stored name (names are unique per server only). */
  private static String cacheKey(Optional<RecordingIndex.Entry> entry, String stored) {
    return entry.map(e -> e.serverId() + "-" + stored).orElse("any-" + stored);
  }

  private CompletionStage<byte[]> fetch(String name, List<String> servers, int i) {
    if (i >= servers.size()) {
      return CompletableFuture.failedFuture(ApiException.notFound("recording " + name + " not found"));
    }
    return ari.client(servers.get(i))
        .recordings()
        .storedFile(name)
        .handle(
            (bytes, error) -> {
              if (error == null) {
                return CompletableFuture.completedFuture(bytes);
              }
              Throwable cause = Failures.cause(error);
              if (cause instanceof AriCommandException ari && ari.isNotFound()) {
                return fetch(name, servers, i + 1);
              }
              return CompletableFuture.<byte[]>failedFuture(
                  ApiException.unavailable("recording " + name + ": " + cause.getMessage()));
            })
        .thenCompose(f -> f);
  }

  @Override
  public CompletionStage<Void> deleteRecording(String recordingSid) {
    return find(recordingSid).thenCompose(entry -> {
      if (entry.isEmpty()) {
        throw ApiException.notFound("recording " + recordingSid + " not found");
      }
      return delete(recordingSid, entry.get());
    });
  }

  private CompletionStage<Void> delete(String recordingSid, RecordingIndex.Entry e) {
    CompletableFuture<Void> deletes = CompletableFuture.allOf(e.channelFiles().stream()
        .map(file -> ari.client(e.serverId()).recordings().deleteStored(file)
            .toCompletableFuture())
        .toArray(CompletableFuture[]::new));
    return deletes
        .handle(
            (done, error) -> {
              Throwable cause = error == null ? null : Failures.cause(error);
              if (cause != null && !(cause instanceof AriCommandException ari && ari.isNotFound())) {
                throw ApiException.unavailable("could not delete " + recordingSid + ": " + cause.getMessage());
              }
              index.remove(recordingSid);
              mp3.ifPresent(encoder -> encoder.evict(cacheKey(Optional.of(e), e.storedName())));
              return (Void) null;
            })
        .thenCompose(done -> answered(store.deleteRecording(recordingSid)))
        .thenApply(deleted -> (Void) null);
  }

  private static RecordingInfo info(RecordingIndex.Entry e) {
    return new RecordingInfo(
        e.recordingSid(),
        e.callSid(),
        Optional.empty(),
        e.channels(),
        e.source(),
        e.status(),
        e.startTime(),
        Optional.of(Duration.ofSeconds(e.durationSeconds())),
        e.startTime(),
        e.startTime(),
        Optional.empty());
  }
}
