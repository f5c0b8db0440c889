package org.switchboard.http.speech;

import com.typesafe.config.Config;
import java.net.URI;
import java.time.Clock;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.http.api.RecordingStore;

/**
 * The transcription of {@code <Record transcribe>} recordings in one node: a {@link Transcriber}
 * on a recogniser of its own ({@link TranscriptionSettings}), reading recordings through {@code
 * recordings} (WAV, trimmed as served), its callbacks through the node's outbox. The node wraps
 * its call delegates ({@link #delegates}) and its REST recordings ({@link #recordings}) with it,
 * and takes up what a previous run left ({@link #resumePending}) once it listens.
 */
public final class NodeTranscription {
  private final Transcriber transcriber;
  private final String accountBase;
  private final Clock clock;

  private NodeTranscription(Transcriber transcriber, String accountBase, Clock clock) {
    this.transcriber = transcriber;
    this.accountBase = accountBase;
    this.clock = clock;
  }

  /**
   * @param publicBaseUrl how applications reach the node (the base of {@code TranscriptionUrl})
   */
  public static NodeTranscription create(Config config, RecordingStore recordings,
      WebhookPort webhooks, ClassicActorSystemProvider system, String publicBaseUrl,
      String accountSid, Clock clock) {
    TranscriptionSettings settings = TranscriptionSettings.fromConfig(config);
    Transcriber.RecordingAudio audio = sid -> recordings
        .openMedia(sid, RecordingStore.AudioFormat.WAV)
        .thenCompose(media -> media.data()
            .runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), system))
        .thenApply(bytes -> bytes.toArray());
    Transcriber transcriber = new Transcriber(
        SpeechRecognizers.create(settings.recognizer(SpeechSettings.fromConfig(config))), audio,
        webhooks, new Transcriptions(settings.capacity()), settings, clock);
    String base = publicBaseUrl.endsWith("/")
        ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    return new NodeTranscription(transcriber, base + "/2010-04-01/Accounts/" + accountSid, clock);
  }

  /** {@code inner} with {@code <Record transcribe>} carried out. */
  public CallDelegates delegates(CallDelegates inner) {
    return new TranscribingDelegates(inner, transcriber,
        sid -> URI.create(accountBase + "/Transcriptions/" + sid), clock);
  }

  /** {@code store} with the Transcriptions resource of this node. */
  public RecordingStore recordings(RecordingStore store) {
    return new TranscribedRecordings(store, transcriber.transcriptions());
  }

  /** Runs again the transcriptions a previous run left unfinished; how many. */
  public int resumePending() {
    return transcriber.resumePending();
  }
}
