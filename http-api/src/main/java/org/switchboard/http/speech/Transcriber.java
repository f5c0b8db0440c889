package org.switchboard.http.speech;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.api.RecordingStore.TranscriptionInfo;

/**
 * Transcribes {@code <Record transcribe>} recordings: the recording's WAV (as the REST API serves
 * it: trimmed when the recording was) is read, given to the {@link SpeechRecognizer} in US
 * English, and the outcome recorded in {@link Transcriptions} and, when the verb has a {@code
 * transcribeCallback}, POSTed there through the durable outbox ({@link WebhookPort#notify}) with
 * the call's parameters and {@code TranscriptionSid}, {@code TranscriptionText}, {@code
 * TranscriptionStatus}, {@code TranscriptionUrl}, {@code RecordingSid}, {@code RecordingUrl}.
 * Every job ends in one callback: {@code completed}, or {@code failed} with the reason in the
 * log (no recogniser, a recording empty or over {@code max-seconds}, a file that cannot be read,
 * an engine that fails). A job is kept in {@link PendingTranscriptions} from its start until its
 * callback is in the outbox; one a crash interrupted runs again when the node starts ({@link
 * #resumePending}).
 */
public final class Transcriber {
  private static final Logger LOG = LoggerFactory.getLogger(Transcriber.class);
  /** Twilio transcribes US English only. */
  private static final SpeechRecognizer.Request ENGLISH =
      new SpeechRecognizer.Request("en-US", List.of(), "default", false);

  /** Reads a recording's audio as one WAV file, by RecordingSid. */
  @FunctionalInterface
  public interface RecordingAudio {
    CompletionStage<byte[]> wav(String recordingSid);
  }

  private final Optional<SpeechRecognizer> recognizer;
  private final RecordingAudio audio;
  private final WebhookPort webhooks;
  private final Transcriptions transcriptions;
  private final PendingTranscriptions pending;
  private final TranscriptionSettings settings;
  private final Clock clock;

  public Transcriber(Optional<SpeechRecognizer> recognizer, RecordingAudio audio,
      WebhookPort webhooks, Transcriptions transcriptions, TranscriptionSettings settings,
      Clock clock) {
    this.recognizer = recognizer;
    this.audio = audio;
    this.webhooks = webhooks;
    this.transcriptions = transcriptions;
    this.pending = new PendingTranscriptions(settings.pendingDir());
    this.settings = settings;
    this.clock = clock;
  }

  /** The transcriptions this transcriber made (the REST API's). */
  public Transcriptions transcriptions() {
    return transcriptions;
  }

  /**
   * Starts {@code job}: kept as pending, shown {@code in-progress}, then transcribed. Returns at
   * once; never throws (a pending file that cannot be written is logged: the job still runs, but
   * a crash before its callback would lose it).
   */
  public void submit(TranscriptionJob job) {
    try {
      pending.keep(job);
    } catch (IOException | RuntimeException e) {
      LOG.error("call {}: transcription {} of recording {} cannot be kept as pending ({}); it runs,"
          + " but a restart before its callback would lose it", job.callSid(),
          job.transcriptionSid(), job.recordingSid(), e.toString());
    }
    run(job);
  }

  /** Runs again the jobs a previous run of the node left unfinished; how many. */
  public int resumePending() {
    List<TranscriptionJob> left = pending.left();
    for (TranscriptionJob job : left) {
      LOG.info("call {}: transcription {} of recording {} was under way when the node stopped;"
          + " it runs again", job.callSid(), job.transcriptionSid(), job.recordingSid());
      run(job);
    }
    return left.size();
  }

  private void run(TranscriptionJob job) {
    record(job, "in-progress", "");
    if (recognizer.isEmpty()) {
      fail(job, "switchboard.speech.engine is none: no recogniser");
    } else if (job.durationSeconds() <= 0) {
      fail(job, "the recording holds no sound");
    } else if (job.durationSeconds() > settings.maxSeconds()) {
      fail(job, "the recording lasts " + job.durationSeconds() + " s, more than the "
          + settings.maxSeconds() + " s transcribed (switchboard.speech.transcription"
          + ".max-seconds)");
    } else {
      SpeechRecognizer engine = recognizer.get();
      read(job.recordingSid(), 1, settings.readRetry())
          .thenCompose(wav -> engine.recognize(wav, ENGLISH))
          .whenComplete((result, error) -> {
            if (error != null) {
              fail(job, engine.name() + ": " + Failures.cause(error).getMessage());
            } else {
              LOG.info("call {}: recording {} transcribed by {} ({} characters)", job.callSid(),
                  job.recordingSid(), engine.name(), result.text().length());
              finish(job, "completed", result.text());
            }
          });
    }
  }

  /** The recording's WAV, read up to {@code read-attempts} times (the file may not be stored yet). */
  private CompletionStage<byte[]> read(String recordingSid, int attempt, Duration wait) {
    CompletionStage<byte[]> first;
    try {
      first = audio.wav(recordingSid);
    } catch (RuntimeException e) {
      first = CompletableFuture.failedFuture(e);
    }
    if (attempt >= settings.readAttempts()) {
      return first;
    }
    return first.handle((wav, error) -> error == null
            ? CompletableFuture.completedFuture(wav)
            : CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                    wait.toMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(d -> read(recordingSid, attempt + 1, wait.multipliedBy(2))))
        .thenCompose(f -> f);
  }

  private void fail(TranscriptionJob job, String reason) {
    LOG.warn("call {}: transcription {} of recording {} failed: {}; TranscriptionStatus=failed",
        job.callSid(), job.transcriptionSid(), job.recordingSid(), reason);
    finish(job, "failed", "");
  }

  /** The outcome: recorded, its callback in the outbox, then the pending file goes. */
  private void finish(TranscriptionJob job, String status, String text) {
    record(job, status, text);
    if (job.callback() != null) {
      try {
        webhooks.notify(new WebhookPort.WebhookRequest(URI.create(job.callback()), Method.POST,
            job.callbackParams(status, text), job.callSid(), "transcription-" + status));
      } catch (RuntimeException e) {
        LOG.error("call {}: the transcribeCallback of transcription {} could not be queued ({});"
            + " kept as pending, it runs again after a restart", job.callSid(),
            job.transcriptionSid(), e.toString());
        return;
      }
    }
    pending.done(job.transcriptionSid());
  }

  private void record(TranscriptionJob job, String status, String text) {
    Instant created = Instant.ofEpochMilli(job.createdAt());
    transcriptions.put(new TranscriptionInfo(job.transcriptionSid(), job.recordingSid(),
        job.callSid(), status, text, job.durationSeconds(), created, clock.instant()));
  }
}
