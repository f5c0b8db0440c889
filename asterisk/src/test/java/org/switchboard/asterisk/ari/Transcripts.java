package org.switchboard.asterisk.ari;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the real Asterisk transcripts in {@code src/test/resources/asterisk-22/ari-transcripts}. */
public final class Transcripts {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private Transcripts() {}

  /**
   * The transcripts kept with the tests ({@code src/test/resources/asterisk-22/ari-transcripts},
   * copied from the recordings of Asterisk 22.10.1), so the build needs nothing outside the
   * repository.
   */
  public static Path dir() {
    var url = Transcripts.class.getResource("/asterisk-22/ari-transcripts/README.md");
    if (url == null) {
      throw new IllegalStateException("asterisk-22/ari-transcripts missing from the test classpath");
    }
    try {
      return Path.of(url.toURI()).getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every transcript file, sorted by name. */
  public static List<Path> files() {
    try (Stream<Path> files = Files.list(dir())) {
      return files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** All lines of one transcript as JSON trees. */
  public static List<JsonNode> lines(Path file) {
    try {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          lines.add(PLAIN.readTree(line));
        }
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One transcript by file name prefix, e.g. {@code 01-}. */
  public static List<JsonNode> lines(String prefix) {
    return lines(
        files().stream()
            .filter(p -> p.getFileName().toString().startsWith(prefix))
            .findFirst()
            .orElseThrow());
  }

  /** The raw text of every {@code ws_event} in a transcript, in order. */
  public static List<String> eventJson(List<JsonNode> lines) {
    return lines.stream()
        .filter(l -> "ws_event".equals(l.path("type").asText()))
        .map(l -> l.get("event").toString())
        .toList();
  }

  /** A REST exchange of a transcript: the request line and its response line. */
  public record Exchange(JsonNode request, JsonNode response) {
    public String method() {
      return request.path("method").asText();
    }

    public String path() {
      return request.path("path").asText();
    }

    public int status() {
      return response.path("status").asInt();
    }

    public byte[] body() {
      return response.get("body").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Every request with its response, in the order of the responses. */
  public static List<Exchange> exchanges(List<JsonNode> lines) {
    Map<Integer, JsonNode> requests = new HashMap<>();
    List<Exchange> out = new ArrayList<>();
    for (JsonNode line : lines) {
      String type = line.path("type").asText();
      if ("rest_request".equals(type)) {
        requests.put(line.path("id").asInt(), line);
      } else if ("rest_response".equals(type)) {
        JsonNode request = requests.get(line.path("id").asInt());
        if (request != null) {
          out.add(new Exchange(request, line));
        }
      }
    }
    return out;
  }
}
