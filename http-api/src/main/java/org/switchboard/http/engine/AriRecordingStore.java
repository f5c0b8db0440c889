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
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.DateRange;
import org.switchboard.http.api.Page;
import org.switchboard.http.api.RecordingStore;
import org.switchboard.http.audio.Mp3Encoder;

/**
 * Recordings as the REST API and the signed {@code /recordings/{name}} URLs serve them: the
 * metadata from the engine's {@link RecordingIndex}, the audio from the Asterisk server that holds
 * the file ({@code GET /recordings/stored/{name}/file}), never copied elsewhere. A name the index
 * does not know is looked for on every server (recordings of an earlier run).
 */
public final class AriRecordingStore implements RecordingStore {
  private final RecordingIndex index;
  private final AriConnector ari;
  private final Optional<Mp3Encoder> mp3;

  /** A store that serves WAV only (MP3 is 415). */
  public AriRecordingStore(RecordingIndex index, AriConnector ari) {
    this(index, ari, Optional.empty());
  }

  /** A store that serves WAV, and MP3 encoded (once per recording, cached) by {@code mp3}. */
  public AriRecordingStore(RecordingIndex index, AriConnector ari, Optional<Mp3Encoder> mp3) {
    this.index = index;
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
    List<RecordingInfo> all = index.list(callSid).stream().map(AriRecordingStore::info)
        .filter(r -> dateCreated.contains(Optional.of(r.dateCreated()))).toList();
    return CompletableFuture.completedFuture(Page.of(all, offset, limit));
  }

  @Override
  public CompletionStage<RecordingInfo> fetchRecording(String recordingSid) {
    return index
        .find(recordingSid)
        .map(e -> CompletableFuture.completedFuture(info(e)))
        .orElseGet(() -> CompletableFuture.failedFuture(ApiException.notFound("recording " + recordingSid + " not found")));
  }

  @Override
  public CompletionStage<RecordingMedia> openMedia(String name, AudioFormat format) {
    if (format == AudioFormat.MP3 && mp3.isEmpty()) {
      return CompletableFuture.failedFuture(
          new ApiException(415, ApiException.UNSUPPORTED_FORMAT, "recordings are available as .wav only"));
    }
    Optional<RecordingIndex.Entry> entry = index.find(name);
    String stored = entry.map(RecordingIndex.Entry::storedName).orElse(name);
    List<String> servers =
        entry.map(e -> List.of(e.serverId())).orElseGet(() -> List.copyOf(ari.links().keySet()));
    CompletionStage<byte[]> bytes;
    if (format == AudioFormat.MP3) {
      bytes = mp3.get().mp3(cacheKey(entry, stored), () -> fetch(stored, servers, 0))
          .exceptionally(error -> {
            if (Failures.cause(error) instanceof Mp3Encoder.EncoderException e) {
              throw new ApiException(415, ApiException.UNSUPPORTED_FORMAT, "MP3 is not available: "
                  + e.getMessage());
            }
            throw error instanceof RuntimeException r ? r : new IllegalStateException(error);
          });
    } else {
      bytes = fetch(stored, servers, 0);
    }
    return bytes.thenApply(
        b -> new RecordingMedia(format, Source.single(ByteString.fromArray(b)), OptionalLong.of(b.length)));
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
    Optional<RecordingIndex.Entry> entry = index.find(recordingSid);
    if (entry.isEmpty()) {
      return CompletableFuture.failedFuture(ApiException.notFound("recording " + recordingSid + " not found"));
    }
    RecordingIndex.Entry e = entry.get();
    return ari.client(e.serverId())
        .recordings()
        .deleteStored(e.storedName())
        .handle(
            (done, error) -> {
              Throwable cause = error == null ? null : Failures.cause(error);
              if (cause != null && !(cause instanceof AriCommandException ari && ari.isNotFound())) {
                throw ApiException.unavailable("could not delete " + recordingSid + ": " + cause.getMessage());
              }
              index.remove(recordingSid);
              mp3.ifPresent(encoder -> encoder.evict(cacheKey(entry, e.storedName())));
              return (Void) null;
            });
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
