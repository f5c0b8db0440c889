package org.switchboard.http.speech;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * The production recogniser: an OpenAI-compatible {@code POST /v1/audio/transcriptions}
 * (multipart: {@code file} = the capture as WAV, {@code model}, {@code language} as ISO-639-1,
 * {@code prompt} = the hints, {@code response_format=verbose_json}), as OpenAI, whisper.cpp's
 * server and Vosk's servers offer. The answer's {@code text} is the result; its confidence is the
 * mean over {@code segments} of {@code exp(avg_logprob)}, none when the service sends no segments.
 */
public final class HttpSpeechRecognizer implements SpeechRecognizer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SpeechSettings.Http settings;
  private final HttpClient client;

  public HttpSpeechRecognizer(SpeechSettings.Http settings) {
    this.settings = settings;
    this.client = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public CompletionStage<Recognition> recognize(byte[] wav, Request request) {
    String boundary = "switchboard-" + UUID.randomUUID();
    byte[] body = multipart(boundary, wav, request);
    HttpRequest.Builder http = HttpRequest.newBuilder(settings.url())
        .timeout(settings.timeout())
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    settings.apiKey().ifPresent(key -> http.header("Authorization", "Bearer " + key));
    return client.sendAsync(http.build(), HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, error) -> {
          if (error != null) {
            throw new SpeechEngineException("speech service " + settings.url() + " unreachable: "
                + error, error);
          }
          if (response.statusCode() / 100 != 2) {
            throw new SpeechEngineException("speech service " + settings.url() + " answered "
                + response.statusCode() + ": " + snippet(response.body()));
          }
          return parse(response.body());
        });
  }

  /** The transcription in a service's JSON answer. */
  static Recognition parse(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new SpeechEngineException("speech service answer is not JSON: " + snippet(body));
    }
    if (root == null || !root.path("text").isTextual()) {
      throw new SpeechEngineException("speech service answer has no text: " + snippet(body));
    }
    String text = root.get("text").asText();
    JsonNode segments = root.path("segments");
    double confidence = -1;
    if (segments.isArray() && !segments.isEmpty()) {
      double sum = 0;
      int n = 0;
      for (JsonNode s : segments) {
        if (s.path("avg_logprob").isNumber()) {
          sum += Math.exp(Math.min(0, s.get("avg_logprob").asDouble()));
          n++;
        }
      }
      confidence = n == 0 ? -1 : sum / n;
    }
    return text.isBlank() ? Recognition.NOTHING : new Recognition(text, confidence);
  }

  private byte[] multipart(String boundary, byte[] wav, Request request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(wav.length + 1024);
    field(out, boundary, "model", settings.model());
    String language = request.language().toLowerCase(Locale.ROOT);
    int dash = language.indexOf('-');
    field(out, boundary, "language", dash < 0 ? language : language.substring(0, dash));
    field(out, boundary, "response_format", "verbose_json");
    if (!request.hints().isEmpty()) {
      field(out, boundary, "prompt", String.join(", ", request.hints()));
    }
    write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\";"
        + " filename=\"speech.wav\"\r\nContent-Type: audio/wav\r\n\r\n");
    out.writeBytes(wav);
    write(out, "\r\n--" + boundary + "--\r\n");
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String boundary, String name, String value) {
    write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
        + "\"\r\n\r\n" + value + "\r\n");
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String snippet(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8);
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  /** The endpoint a base URL names: {@code <base>/v1/audio/transcriptions} unless given. */
  static URI endpoint(String url) {
    String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return URI.create(u.endsWith("/audio/transcriptions") ? u : u + "/v1/audio/transcriptions");
  }
}
