package org.switchboard.http.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.api.RecordingStore.TranscriptionInfo;

/**
 * {@link Transcriber} with a fake recogniser, audio and outbox: every job ends in one
 * transcribeCallback with Twilio's parameters, {@code completed} with the text or {@code failed};
 * a job a crash interrupted runs again from its pending file.
 */
class TranscriberTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
  private static final byte[] WAV = "RIFF....WAVEfmt ".getBytes();

  @TempDir Path dir;

  private final Outbox outbox = new Outbox();
  private final AtomicInteger reads = new AtomicInteger();

  /** The outbox: records each callback; {@link #refusing} makes it throw as a closed one does. */
  private static final class Outbox implements WebhookPort {
    final LinkedBlockingQueue<WebhookRequest> sent = new LinkedBlockingQueue<>();
    volatile boolean refusing;

    @Override
    public CompletionStage<WebhookResponse> fetch(WebhookRequest request) {
      throw new UnsupportedOperationException("a transcription fetches no TwiML");
    }

    @Override
    public void notify(WebhookRequest request) {
      if (refusing) {
        throw new IllegalStateException("outbox is closed");
      }
      sent.add(request);
    }

    WebhookRequest next() throws InterruptedException {
      WebhookRequest r = sent.poll(10, TimeUnit.SECONDS);
      if (r == null) {
        throw new AssertionError("no transcribeCallback within 10 s");
      }
      return r;
    }
  }

  /** A recogniser answering {@code answer} and recording what it was given. */
  private static final class FakeRecognizer implements SpeechRecognizer {
    final List<Request> requests = new ArrayList<>();
    final List<byte[]> heard = new ArrayList<>();
    final CompletionStage<Recognition> answer;

    FakeRecognizer(CompletionStage<Recognition> answer) {
      this.answer = answer;
    }

    @Override
    public synchronized CompletionStage<Recognition> recognize(byte[] wav, Request request) {
      heard.add(wav);
      requests.add(request);
      return answer;
    }

    @Override
    public String name() {
      return "fake";
    }
  }

  private TranscriptionSettings settings() {
    return new TranscriptionSettings(120, Duration.ofSeconds(5), 1, 3, Duration.ofMillis(1),
        dir.resolve("pending"), 100);
  }

  private Transcriber transcriber(Optional<SpeechRecognizer> recognizer,
      Transcriber.RecordingAudio audio) {
    return new Transcriber(recognizer, audio, outbox, new Transcriptions(100), settings(), CLOCK);
  }

  private Transcriber.RecordingAudio stored() {
    return sid -> {
      reads.incrementAndGet();
      return CompletableFuture.completedFuture(WAV);
    };
  }

  private static TranscriptionJob job(int seconds, String callback) {
    return new TranscriptionJob("TR0123", "RE0123", "CA0123", seconds,
        "https://sb.test/recordings/RE0123?sig=x",
        "https://sb.test/2010-04-01/Accounts/AC1/Transcriptions/TR0123", callback,
        List.of(List.of("AccountSid", "AC1"), List.of("CallSid", "CA0123"),
            List.of("CallStatus", "completed"), List.of("From", "+15550001111")),
        CLOCK.millis());
  }

  private static Map<String, String> params(WebhookPort.WebhookRequest r) {
    Map<String, String> out = new LinkedHashMap<>();
    r.params().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private List<Path> pendingFiles() throws IOException {
    Path pending = dir.resolve("pending");
    if (!Files.isDirectory(pending)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(pending)) {
      return files.toList();
    }
  }

  @Test
  void theTranscribeCallbackCarriesTheTextAndTwiliosParameters() throws Exception {
    FakeRecognizer engine = new FakeRecognizer(CompletableFuture.completedFuture(
        new SpeechRecognizer.Recognition(" call me back ", 0.8)));
    Transcriber t = transcriber(Optional.of(engine), stored());
    t.submit(job(7, "https://app.test/transcribed"));
    WebhookPort.WebhookRequest sent = outbox.next();
    assertEquals(URI.create("https://app.test/transcribed"), sent.url());
    assertEquals(Method.POST, sent.method());
    assertEquals("CA0123", sent.callSid());
    assertEquals(Map.ofEntries(Map.entry("AccountSid", "AC1"), Map.entry("CallSid", "CA0123"),
        Map.entry("CallStatus", "completed"), Map.entry("From", "+15550001111"),
        Map.entry("TranscriptionSid", "TR0123"), Map.entry("TranscriptionText", "call me back"),
        Map.entry("TranscriptionStatus", "completed"),
        Map.entry("TranscriptionUrl",
            "https://sb.test/2010-04-01/Accounts/AC1/Transcriptions/TR0123"),
        Map.entry("RecordingSid", "RE0123"),
        Map.entry("RecordingUrl", "https://sb.test/recordings/RE0123?sig=x")), params(sent));
    assertEquals(List.of(WAV), engine.heard);
    assertEquals("en-US", engine.requests.get(0).language());
    assertEquals(List.of(), engine.requests.get(0).hints());
    TranscriptionInfo kept = t.transcriptions().find("TR0123").orElseThrow();
    assertEquals("completed", kept.status());
    assertEquals("call me back", kept.text());
    assertEquals(7, kept.durationSeconds());
    assertEquals(List.of(), pendingFiles(), "nothing pending once the callback is queued");
  }

  @Test
  void aRecogniserFailureGivesTranscriptionStatusFailedAndStillACallback() throws Exception {
    FakeRecognizer engine = new FakeRecognizer(CompletableFuture.failedFuture(
        new SpeechRecognizer.SpeechEngineException("HTTP 500 from the service")));
    Transcriber t = transcriber(Optional.of(engine), stored());
    t.submit(job(7, "https://app.test/transcribed"));
    Map<String, String> sent = params(outbox.next());
    assertEquals("failed", sent.get("TranscriptionStatus"));
    assertEquals("", sent.get("TranscriptionText"));
    assertEquals("RE0123", sent.get("RecordingSid"));
    assertEquals("failed", t.transcriptions().find("TR0123").orElseThrow().status());
    assertEquals(List.of(), pendingFiles());
  }

  @Test
  void noRecogniserAnEmptyOrATooLongRecordingFailsWithoutReadingTheFile() throws Exception {
    FakeRecognizer engine = new FakeRecognizer(CompletableFuture.completedFuture(
        new SpeechRecognizer.Recognition("never", 1)));
    transcriber(Optional.empty(), stored()).submit(job(7, "https://app.test/t"));
    assertEquals("failed", params(outbox.next()).get("TranscriptionStatus"));
    Transcriber t = transcriber(Optional.of(engine), stored());
    t.submit(job(0, "https://app.test/t"));
    assertEquals("failed", params(outbox.next()).get("TranscriptionStatus"));
    t.submit(job(121, "https://app.test/t"));
    assertEquals("failed", params(outbox.next()).get("TranscriptionStatus"));
    assertEquals(0, reads.get());
    assertEquals(List.of(), engine.heard);
  }

  @Test
  void aFileNotStoredYetIsReadAgain() throws Exception {
    FakeRecognizer engine = new FakeRecognizer(CompletableFuture.completedFuture(
        new SpeechRecognizer.Recognition("hello", 1)));
    Transcriber.RecordingAudio lateFile = sid -> reads.incrementAndGet() < 3
        ? CompletableFuture.failedFuture(new IllegalStateException("recording not found"))
        : CompletableFuture.completedFuture(WAV);
    transcriber(Optional.of(engine), lateFile).submit(job(3, "https://app.test/t"));
    assertEquals("completed", params(outbox.next()).get("TranscriptionStatus"));
    assertEquals(3, reads.get());
  }

  @Test
  void aFileNeverStoredFailsAfterItsAttempts() throws Exception {
    FakeRecognizer engine = new FakeRecognizer(CompletableFuture.completedFuture(
        new SpeechRecognizer.Recognition("hello", 1)));
    Transcriber.RecordingAudio noFile = sid -> {
      reads.incrementAndGet();
      return CompletableFuture.failedFuture(new IllegalStateException("recording not found"));
    };
    transcriber(Optional.of(engine), noFile).submit(job(3, "https://app.test/t"));
    assertEquals("failed", params(outbox.next()).get("TranscriptionStatus"));
    assertEquals(3, reads.get(), "read-attempts");
  }

  @Test
  void aTranscriptionACrashInterruptedRunsAgainWhenTheNodeStarts() throws Exception {
    FakeRecognizer hanging = new FakeRecognizer(new CompletableFuture<>());
    transcriber(Optional.of(hanging), stored()).submit(job(4, "https://app.test/t"));
    assertEquals(1, pendingFiles().size(), "kept while the recogniser runs");
    assertTrue(outbox.sent.isEmpty());

    FakeRecognizer engine = new FakeRecognizer(CompletableFuture.completedFuture(
        new SpeechRecognizer.Recognition("after the restart", 1)));
    Transcriber restarted = transcriber(Optional.of(engine), stored());
    assertEquals(1, restarted.resumePending());
    Map<String, String> sent = params(outbox.next());
    assertEquals("completed", sent.get("TranscriptionStatus"));
    assertEquals("after the restart", sent.get("TranscriptionText"));
    assertEquals("TR0123", sent.get("TranscriptionSid"));
    assertEquals("CA0123", sent.get("CallSid"));
    assertEquals(List.of(), pendingFiles());
    assertEquals(0, restarted.resumePending());
  }

  @Test
  void aCallbackTheOutboxRefusesStaysPendingForTheNextStart() throws Exception {
    FakeRecognizer engine = new FakeRecognizer(CompletableFuture.completedFuture(
        new SpeechRecognizer.Recognition("hello", 1)));
    outbox.refusing = true;
    transcriber(Optional.of(engine), stored()).submit(job(4, "https://app.test/t"));
    assertEquals(1, pendingFiles().size());
    outbox.refusing = false;
    assertEquals(1, transcriber(Optional.of(engine), stored()).resumePending());
    assertEquals("completed", params(outbox.next()).get("TranscriptionStatus"));
    assertEquals(List.of(), pendingFiles());
  }

  @Test
  void withoutACallbackTheTranscriptionIsOnlyKeptForTheRestApi() throws Exception {
    FakeRecognizer engine = new FakeRecognizer(CompletableFuture.completedFuture(
        new SpeechRecognizer.Recognition("hello", 1)));
    Transcriber t = transcriber(Optional.of(engine), stored());
    t.submit(job(4, null));
    assertEquals("hello", t.transcriptions().find("TR0123").orElseThrow().text());
    assertTrue(outbox.sent.isEmpty());
    assertFalse(pendingFiles().iterator().hasNext());
  }
}
