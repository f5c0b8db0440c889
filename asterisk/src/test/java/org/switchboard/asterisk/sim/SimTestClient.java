package org.switchboard.asterisk.sim;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A plain ARI client over java.net.http, as an application would talk to the simulator. */
final class SimTestClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String auth;

  /** A REST answer. */
  record Response(int status, JsonNode body, byte[] raw, String contentType) {}

  /** One event socket and what it received. */
  static final class Events implements WebSocket.Listener {
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    volatile boolean closed;
    WebSocket socket;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          received.add(JSON.readTree(partial.toString()));
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed = true;
      return null;
    }

    List<String> types() {
      return received.stream().map(e -> e.path("type").asText()).collect(Collectors.toList());
    }

    JsonNode await(Predicate<JsonNode> p) {
      awaitTrue(() -> received.stream().anyMatch(p), "event not received");
      return received.stream().filter(p).findFirst().orElseThrow();
    }

    void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }
  }

  SimTestClient(int port, String user, String password) {
    this.base = "http://127.0.0.1:" + port;
    this.auth = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  Events connect(String app, boolean subscribeAll) {
    Events l = new Events();
    l.socket = http.newWebSocketBuilder().header("Authorization", auth)
        .buildAsync(URI.create(base.replace("http", "ws") + "/ari/events?app=" + app
            + "&subscribeAll=" + subscribeAll), l).join();
    return l;
  }

  Response rest(String method, String path, Map<String, ?> query) {
    return send(method, path, query, null, true);
  }

  Response send(String method, String path, Map<String, ?> query, String body, boolean withAuth) {
    String q = query == null || query.isEmpty() ? "" : "?" + query.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(String.valueOf(e.getValue())))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path + q))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (withAuth) {
      b.header("Authorization", auth);
    }
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      String ct = r.headers().firstValue("Content-Type").orElse("");
      JsonNode json = ct.contains("json") && r.body().length > 0 ? JSON.readTree(r.body()) : null;
      return new Response(r.statusCode(), json, r.body(), ct);
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out: " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  static List<String> list(String... s) {
    return new ArrayList<>(List.of(s));
  }
}
