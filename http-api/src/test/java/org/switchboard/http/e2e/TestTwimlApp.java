package org.switchboard.http.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;
import org.switchboard.http.signature.TwilioSignature;

/**
 * A TwiML application on a real HTTP server (the JDK's), as an end-to-end test's counterpart:
 * answers each path with a scripted response, records every request it gets, and checks each
 * one's {@code X-Twilio-Signature} with Twilio's algorithm.
 */
final class TestTwimlApp implements AutoCloseable {

  /** One request as the application saw it. */
  record Request(
      String method, String path, String query, Map<String, String> params, boolean signatureValid) {
    String param(String name) {
      return params.get(name);
    }
  }

  /** A scripted answer. */
  record Response(int status, String contentType, String body, byte[] bytes) {
    Response(int status, String contentType, String body) {
      this(status, contentType, body, body.getBytes(StandardCharsets.UTF_8));
    }

    static Response binary(String contentType, byte[] bytes) {
      return new Response(200, contentType, "", bytes);
    }

    static Response twiml(String verbs) {
      return new Response(200, "text/xml", "<?xml version=\"1.0\"?><Response>" + verbs + "</Response>");
    }

    static Response empty() {
      return new Response(204, "text/plain", "");
    }
  }

  private volatile HttpServer server;
  private final int port;
  private final String authToken;
  private final Map<String, Function<Request, Response>> handlers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  TestTwimlApp(String authToken) throws IOException {
    this.authToken = authToken;
    server = listen(0);
    port = server.getAddress().getPort();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpServer listen(int onPort) throws IOException {
    HttpServer listening = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
    listening.setExecutor(Executors.newFixedThreadPool(8));
    listening.createContext("/", this::handle);
    listening.start();
    return listening;
  }

  /** The application goes down: its port refuses connections until {@link #restart}. */
  void stop() {
    server.stop(0);
  }

  /** The application comes back on the same port. */
  void restart() throws IOException {
    server = listen(port);
  }

  /** Scripts the answer for {@code path} (without query). Unscripted paths answer 204. */
  void on(String path, Function<Request, Response> handler) {
    handlers.put(path, handler);
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Waits for a request matching {@code match}, failing after {@code timeout}. */
  Request await(Predicate<Request> match, String description, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (System.nanoTime() < deadline) {
      List<Request> now = requests;
      for (int i = seen; i < now.size(); i++) {
        if (match.test(now.get(i))) {
          return now.get(i);
        }
      }
      synchronized (requests) {
        try {
          requests.wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted");
        }
      }
    }
    throw new AssertionError("no request " + description + " within " + timeout + "; got " + summary());
  }

  /** Waits for a request to {@code path} from the call {@code callSid}. */
  Request await(String path, String callSid, Duration timeout) {
    return await(
        r -> r.path().equals(path) && callSid.equals(r.param("CallSid")),
        path + " for " + callSid,
        timeout);
  }

  List<String> summary() {
    List<String> out = new ArrayList<>();
    for (Request r : requests) {
      out.add(r.method() + " " + r.path() + " " + r.params().getOrDefault("CallSid", ""));
    }
    return out;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    URI uri = exchange.getRequestURI();
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    Map<String, String> params = new LinkedHashMap<>();
    List<Map.Entry<String, String>> bodyParams = new ArrayList<>();
    parse(query, params, null);
    boolean post = exchange.getRequestMethod().equals("POST");
    if (post) {
      parse(body, params, bodyParams);
    }
    String signedUrl = url(uri.getRawPath()) + (query.isEmpty() ? "" : "?" + query);
    String signature = exchange.getRequestHeaders().getFirst(TwilioSignature.HEADER);
    boolean valid =
        signature != null
            && TwilioSignature.validate(authToken, signature, signedUrl, post ? bodyParams : List.of());
    Request request = new Request(exchange.getRequestMethod(), uri.getRawPath(), query, params, valid);
    requests.add(request);
    synchronized (requests) {
      requests.notifyAll();
    }
    Response response =
        handlers.getOrDefault(uri.getRawPath(), r -> Response.empty()).apply(request);
    byte[] bytes = response.bytes();
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }

  private static void parse(String form, Map<String, String> into, List<Map.Entry<String, String>> list) {
    if (form.isEmpty()) {
      return;
    }
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      into.put(name, value);
      if (list != null) {
        list.add(Map.entry(name, value));
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
