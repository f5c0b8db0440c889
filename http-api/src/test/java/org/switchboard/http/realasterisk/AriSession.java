package org.switchboard.http.realasterisk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A bare ARI application for tests: one event WebSocket (as Switchboard opens it: no {@code
 * subscribeAll}) and REST requests, recording both in the order they happened so that two
 * servers can be compared.
 */
final class AriSession implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** One thing the application saw: an event, or a REST request with its status. */
  record Entry(JsonNode event, String request, int status) {}

  private final String base;
  private final String auth;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Entry> seen = new ArrayList<>();
  private final WebSocket socket;

  AriSession(String ariUrl, String user, String password, String app) {
    this.base = ariUrl;
    this.auth = "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    String ws = ariUrl.replaceFirst("^http", "ws") + "/events?app=" + enc(app);
    try {
      socket = http.newWebSocketBuilder().header("Authorization", auth)
          .buildAsync(URI.create(ws), new TextFrames(this::received)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("event socket " + ws + ": " + e, e);
    }
  }

  /** Sends a REST request; its status joins the record (with {@code path} as given). */
  synchronized int rest(String method, String path, Map<String, String> query) {
    StringBuilder uri = new StringBuilder(base).append(path);
    char sep = '?';
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(query).entrySet()) {
      uri.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
      sep = '&';
    }
    HttpRequest req = HttpRequest.newBuilder(URI.create(uri.toString()))
        .header("Authorization", auth).timeout(Duration.ofSeconds(15))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    int status;
    try {
      status = http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    seen.add(new Entry(null, method + " " + path, status));
    notifyAll();
    return status;
  }

  /**
   * Sends a REST request with a JSON body (or none); joins the record with its status and, for
   * an error, Asterisk's {@code message} or {@code error} text, for a 2xx the listed attributes
   * of a {@code ConfigTuple} list answer (dynamic configuration).
   */
  synchronized int restJson(String method, String path, String json, List<String> show) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", auth).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(15))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json)).build();
    HttpResponse<String> response;
    try {
      response = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    StringBuilder summary = new StringBuilder(method + " " + path);
    try {
      JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
      if (body != null && body.isObject()) {
        summary.append(" ").append(body.has("message") ? "message=" + body.get("message")
            : "error=" + body.get("error"));
      } else if (body != null && body.isArray()) {
        for (JsonNode tuple : body) {
          if (show.contains(tuple.path("attribute").asText())) {
            summary.append(" ").append(tuple.path("attribute").asText()).append("=")
                .append(tuple.path("value").asText());
          }
        }
      }
    } catch (IOException e) {
      summary.append(" unreadable body");
    }
    seen.add(new Entry(null, summary.toString(), response.statusCode()));
    notifyAll();
    return response.statusCode();
  }

  /** Waits for an event of {@code type} about {@code id} (channel, playback or bridge). */
  synchronized JsonNode await(String type, String id) {
    return await(e -> e.path("type").asText().equals(type) && AriSession.idOf(e).equals(id),
        type + " for " + id);
  }

  synchronized JsonNode await(Predicate<JsonNode> match, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    int from = 0;
    while (true) {
      for (; from < seen.size(); from++) {
        JsonNode e = seen.get(from).event();
        if (e != null && match.test(e)) {
          return e;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out waiting for " + what + "; saw " + seen);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  /**
   * Makes sure every event caused so far has arrived: events of one application come in order,
   * so once a bridge created (and subscribed to) now is reported destroyed, nothing earlier is
   * still under way.
   */
  synchronized void drain(String app, String sentinelBridge) {
    rest("POST", "/bridges/" + sentinelBridge, Map.of("type", "mixing"));
    rest("POST", "/applications/" + app + "/subscription",
        Map.of("eventSource", "bridge:" + sentinelBridge));
    rest("DELETE", "/bridges/" + sentinelBridge, Map.of());
    await("BridgeDestroyed", sentinelBridge);
  }

  synchronized List<Entry> seen() {
    return List.copyOf(seen);
  }

  /** The channel, playback or bridge id an event is about. */
  static String idOf(JsonNode e) {
    for (String field : List.of("playback", "recording", "channel", "peer", "bridge")) {
      if (e.has(field)) {
        return e.path(field).path(field.equals("recording") ? "name" : "id").asText();
      }
    }
    return "";
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
  }

  private synchronized void received(String text) {
    try {
      seen.add(new Entry(JSON.readTree(text), null, 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    notifyAll();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
