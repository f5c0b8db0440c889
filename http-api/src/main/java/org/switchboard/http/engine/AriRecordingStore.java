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
import org.switchboard.http.api.Page;
import org.switchboard.http.api.RecordingStore;

/**
 * Recordings as the REST API and the signed {@code /recordings/{name}} URLs serve them: the
 * metadata from the node's {@link HistoryStore} (fed by the engine's {@link RecordingIndex}), the
 * audio from the Asterisk server that holds
 * the file ({@code GET /recordings/stored/{name}/file}), never copied elsewhere. A name the index
 * does not know is looked for on every server (recordings of an earlier run).
 */
public final class AriRecordingStore implements RecordingStore {
  private final RecordingIndex index;
  private final HistoryStore store;
  private final AriConnector ari;

  public AriRecordingStore(RecordingIndex index, HistoryStore store, AriConnector ari) {
    this.index = index;
    this.store = store;
    this.ari = ari;
  }

  @Override
  public CompletionStage<Page<RecordingInfo>> listRecordings(
      Optional<String> callSid, int offset, int limit) {
    return answered(store.listRecordings(callSid, offset, limit + 1))
        .thenApply(found -> new Page<>(
            found.stream().limit(limit).map(AriRecordingStore::info).toList(),
            found.size() > limit));
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
    if (format != AudioFormat.WAV) {
      return CompletableFuture.failedFuture(
          new ApiException(415, ApiException.UNSUPPORTED_FORMAT, "recordings are available as .wav only"));
    }
    return find(name).thenCompose(entry -> {
      String stored = entry.map(RecordingIndex.Entry::storedName).orElse(name);
      List<String> servers =
          entry.map(e -> List.of(e.serverId())).orElseGet(() -> List.copyOf(ari.links().keySet()));
      return fetch(stored, servers, 0);
    }).thenApply(
            bytes ->
                new RecordingMedia(
                    AudioFormat.WAV, Source.single(ByteString.fromArray(bytes)), OptionalLong.of(bytes.length)));
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
