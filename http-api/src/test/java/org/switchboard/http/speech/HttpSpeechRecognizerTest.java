package org.switchboard.http.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.http.speech.SpeechRecognizer.Recognition;
import org.switchboard.http.speech.SpeechRecognizer.Request;
import org.switchboard.http.speech.SpeechRecognizer.SpeechEngineException;

/**
 * The HTTP recogniser against a fake OpenAI-compatible {@code /v1/audio/transcriptions} server of
 * our own on loopback: what it sends (multipart fields, the WAV, the key) and how it reads answers,
 * errors and garbage.
 */
class HttpSpeechRecognizerTest {
  private static final byte[] WAV = "RIFF....WAVEfmt fake audio".getBytes(StandardCharsets.ISO_8859_1);
  private static final Request REQUEST =
      new Request("en-US", List.of("sales", "support"), "default", true);
  private HttpServer server;
  private final AtomicReference<String> received = new AtomicReference<>();
  private final AtomicReference<String> headers = new AtomicReference<>();
  private volatile int status = 200;
  private volatile String answer = "";

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/audio/transcriptions", exchange -> {
      received.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1));
      headers.set(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type")
          + " " + exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private HttpSpeechRecognizer recognizer(String url) {
    return new HttpSpeechRecognizer(new SpeechSettings.Http(HttpSpeechRecognizer.endpoint(url),
        "whisper-1", Optional.of("sk-test"), Duration.ofSeconds(5)));
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private Recognition recognize(HttpSpeechRecognizer r) {
    return r.recognize(WAV, REQUEST).toCompletableFuture().join();
  }

  @Test
  void sendsTheCaptureAndTheGathersHintsAsAnOpenAiTranscriptionRequest() {
    answer = "{\"text\":\" Sales.\",\"segments\":[{\"avg_logprob\":-0.1},{\"avg_logprob\":-0.3}]}";
    Recognition r = recognize(recognizer(base()));
    assertEquals("Sales.", r.text());
    assertEquals((Math.exp(-0.1) + Math.exp(-0.3)) / 2, r.confidence(), 1e-9);
    String body = received.get();
    assertTrue(headers.get().startsWith("POST multipart/form-data; boundary="), headers.get());
    assertTrue(headers.get().endsWith("Bearer sk-test"), headers.get());
    assertTrue(body.contains("name=\"model\"\r\n\r\nwhisper-1\r\n"), body);
    assertTrue(body.contains("name=\"language\"\r\n\r\nen\r\n"), body);
    assertTrue(body.contains("name=\"prompt\"\r\n\r\nsales, support\r\n"), body);
    assertTrue(body.contains("name=\"response_format\"\r\n\r\nverbose_json\r\n"), body);
    assertTrue(body.contains("filename=\"speech.wav\"\r\nContent-Type: audio/wav\r\n\r\n"
        + new String(WAV, StandardCharsets.ISO_8859_1)), body);
  }

  @Test
  void aPlainJsonAnswerHasNoConfidence() {
    answer = "{\"text\":\"billing\"}";
    Recognition r = recognize(recognizer(base() + "/v1/audio/transcriptions"));
    assertEquals("billing", r.text());
    assertEquals(-1, r.confidence());
  }

  @Test
  void anEmptyTextIsNothingRecognised() {
    answer = "{\"text\":\"  \"}";
    assertEquals(Recognition.NOTHING, recognize(recognizer(base())));
  }

  @Test
  void anErrorStatusFailsWithTheServicesWords() {
    status = 503;
    answer = "{\"error\":\"model loading\"}";
    CompletionException e = assertThrows(CompletionException.class, () -> recognize(recognizer(base())));
    assertInstanceOf(SpeechEngineException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("503") && e.getCause().getMessage().contains("model loading"),
        e.getCause().getMessage());
  }

  @Test
  void garbageIsAFailureNotAResult() {
    answer = "<html>proxy error</html>";
    CompletionException e = assertThrows(CompletionException.class, () -> recognize(recognizer(base())));
    assertTrue(e.getCause().getMessage().contains("not JSON"), e.getCause().getMessage());
    answer = "{\"transcript\":\"sales\"}";
    e = assertThrows(CompletionException.class, () -> recognize(recognizer(base())));
    assertTrue(e.getCause().getMessage().contains("no text"), e.getCause().getMessage());
  }

  @Test
  void anUnreachableServiceFails() {
    int port = server.getAddress().getPort();
    server.stop(0);
    CompletionException e = assertThrows(CompletionException.class,
        () -> recognize(recognizer("http://127.0.0.1:" + port)));
    assertTrue(e.getCause().getMessage().contains("unreachable"), e.getCause().getMessage());
    assertEquals(URI.create("http://127.0.0.1:" + port + "/v1/audio/transcriptions"),
        HttpSpeechRecognizer.endpoint("http://127.0.0.1:" + port + "/"));
  }
}
