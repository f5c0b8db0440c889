package org.switchboard.http.api;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.switchboard.http.api.CallModel.CallFilter;
import org.switchboard.http.api.CallModel.CallInfo;
import org.switchboard.http.api.RecordingStore.AudioFormat;
import org.switchboard.http.api.RecordingStore.RecordingInfo;

/**
 * Recordings as the Llamenos Worker fetches them from the bridge: JSON {@code {audio: <base64
 * WAV>}} ({@code GET /recordings/call/{callSid}}, {@code GET /recordings/{sid}} asked for JSON,
 * {@code /command action=getRecordingAudio}). A call's recording is its own newest completed one
 * or, when it has none, the newest of its child calls: a volunteer leg that answered runs {@code
 * <Dial record><Queue>} and so holds the recording of the caller's conversation.
 */
public final class RecordingAudio {
  private static final int PAGE = 1000;

  private final RecordingStore store;
  private final CallControl calls;

  public RecordingAudio(RecordingStore store, CallControl calls) {
    this.store = store;
    this.calls = calls;
  }

  /** {@code {ok, recordingSid, contentType, audio}} of a recording (sid or Asterisk name). */
  public CompletionStage<Map<String, Object>> byName(String name, Materializer mat) {
    if (!RecordingUrls.NAME.matcher(name).matches()) {
      return CompletableFuture.failedFuture(
          ApiException.invalidParameter("invalid recording name"));
    }
    return ApiJson.attempt(() -> store.openMedia(name, AudioFormat.WAV))
        .thenCompose(media -> media.data().runWith(Sink.fold(ByteString.emptyByteString(),
            ByteString::concat), mat).thenApply(bytes -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("ok", true);
              body.put("recordingSid", name);
              body.put("contentType", media.format().mediaType());
              body.put("audio", Base64.getEncoder().encodeToString(bytes.toArray()));
              return body;
            }));
  }

  /** The same for the newest completed recording of {@code callSid} or of its child calls. */
  public CompletionStage<Map<String, Object>> byCall(String callSid, Materializer mat) {
    return newest(List.of(callSid)).thenCompose(own -> own.isPresent()
            ? CompletableFuture.completedFuture(own)
            : children(callSid).thenCompose(this::newest))
        .thenCompose(found -> {
          RecordingInfo recording = found.orElseThrow(
              () -> ApiException.notFound("no recording of call " + callSid));
          return byName(recording.sid(), mat).thenApply(body -> {
            body.put("callSid", recording.callSid());
            return body;
          });
        });
  }

  private CompletionStage<List<String>> children(String callSid) {
    CallFilter filter = new CallFilter(Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(callSid));
    return ApiJson.attempt(() -> calls.listCalls(filter, 0, PAGE))
        .thenApply(page -> page.items().stream().map(CallInfo::sid).toList());
  }

  private CompletionStage<Optional<RecordingInfo>> newest(List<String> callSids) {
    List<CompletableFuture<List<RecordingInfo>>> lists = new ArrayList<>();
    for (String sid : callSids) {
      lists.add(ApiJson.attempt(() -> store.listRecordings(Optional.of(sid), 0, PAGE))
          .toCompletableFuture().thenApply(Page::items));
    }
    return CompletableFuture.allOf(lists.toArray(CompletableFuture[]::new))
        .thenApply(v -> lists.stream().flatMap(l -> l.join().stream())
            .filter(r -> r.status().equals("completed"))
            .max(Comparator.comparing(RecordingInfo::dateCreated)));
  }
}
