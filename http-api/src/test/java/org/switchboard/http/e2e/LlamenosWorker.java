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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;
import org.switchboard.http.testing.WorkerValidators;

/**
 * The Llamenos Worker's telephony routes as the bridge reached them, on a real HTTP server: each
 * request must pass the Worker's signature checks ({@link WorkerValidators}: its Twilio adapter and,
 * per {@link Scheme}, its llamenos-hotline or llamenos-platform Asterisk adapter, all keyed with
 * {@code BRIDGE_SECRET}) or it is refused with 403 as the Worker refuses it; scripted TwiML per
 * path otherwise.
 */
final class LlamenosWorker implements AutoCloseable {

  /**
   * Which of the Worker's validators a webhook must pass, with the Switchboard signature mode
   * that serves it: the Twilio adapter only ({@code twilio}), or also the Asterisk adapter of
   * llamenos-hotline ({@code twilio+bridge}) or of llamenos-platform ({@code
   * twilio+bridge-platform}).
   */
  enum Scheme {
    TWILIO("twilio"),
    HOTLINE("twilio+bridge"),
    PLATFORM("twilio+bridge-platform");

    final String signatureMode;

    Scheme(String signatureMode) {
      this.signatureMode = signatureMode;
    }
  }

  /** One request as the Worker saw it. */
  record Request(String method, String path, Map<String, String> query, Map<String, String> form,
      boolean twilioValid, boolean bridgeValid) {
    String param(String name) {
      return form.get(name);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final String secret;
  private final Map<String, Function<Request, String>> twiml = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Request> answered = new CopyOnWriteArrayList<>();
  private final Map<String, byte[]> audio = new ConcurrentHashMap<>();
  private final Scheme scheme;

  LlamenosWorker(String secret) throws IOException {
    this(secret, Scheme.HOTLINE);
  }

  LlamenosWorker(String secret, Scheme scheme) throws IOException {
    this.secret = secret;
    this.scheme = scheme;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code WORKER_WEBHOOK_URL}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Serves {@code bytes} as {@code audio/wav} at {@code path} (the Worker's public {@code
   * /api/ivr-audio/…} prompts: no signature, not listed among the webhooks).
   */
  void audio(String path, byte[] bytes) {
    audio.put(path, bytes);
  }

  /** Scripts the TwiML of {@code path}; other paths answer {@code <Response/>}. */
  void on(String path, Function<Request, String> answer) {
    twiml.put(path, answer);
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Waits for a request matching {@code match}, failing after {@code timeout}. */
  Request await(Predicate<Request> match, String description, Duration timeout) {
    return await(requests, match, description, timeout);
  }

  /** As {@link #await}, for a request whose answer has been sent in full. */
  Request awaitAnswered(Predicate<Request> match, String description, Duration timeout) {
    return await(answered, match, description + " (answered)", timeout);
  }

  private Request await(List<Request> seen, Predicate<Request> match, String description,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Request r : seen) {
        if (match.test(r)) {
          return r;
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
    throw new AssertionError("the Worker got no " + description + " within " + timeout
        + "; it got " + requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    long now = System.currentTimeMillis();
    byte[] body = exchange.getRequestBody().readAllBytes();
    URI uri = exchange.getRequestURI();
    byte[] prompt = audio.get(uri.getRawPath());
    if (prompt != null) {
      exchange.getResponseHeaders().set("Content-Type", "audio/wav");
      exchange.sendResponseHeaders(200, prompt.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(prompt);
      }
      exchange.close();
      return;
    }
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    // The Worker validates against the URL it was called at (request.url).
    String url = url() + uri.getRawPath() + (query.isEmpty() ? "" : "?" + query);
    List<Map.Entry<String, String>> form = parse(new String(body, StandardCharsets.UTF_8));
    String timestamp = exchange.getRequestHeaders().getFirst("X-Bridge-Timestamp");
    boolean twilio = WorkerValidators.twilio(secret, url, form,
        exchange.getRequestHeaders().getFirst("X-Twilio-Signature"));
    String bridgeSignature = exchange.getRequestHeaders().getFirst("X-Bridge-Signature");
    boolean bridge = switch (scheme) {
      case TWILIO -> true;
      case HOTLINE -> WorkerValidators.hotline(secret, timestamp, bridgeSignature, body, now);
      case PLATFORM -> WorkerValidators.platform(secret, url, timestamp, bridgeSignature, body,
          now);
    };
    Map<String, String> formMap = new LinkedHashMap<>();
    form.forEach(e -> formMap.put(e.getKey(), e.getValue()));
    Map<String, String> queryMap = new LinkedHashMap<>();
    parse(query).forEach(e -> queryMap.put(e.getKey(), e.getValue()));
    Request request = new Request(exchange.getRequestMethod(), uri.getRawPath(), queryMap, formMap,
        twilio, bridge);
    requests.add(request);
    synchronized (requests) {
      requests.notifyAll();
    }
    int status;
    String answer;
    if (!twilio || !bridge) {
      status = 403;
      answer = "Forbidden";
    } else {
      status = 200;
      answer = twiml.getOrDefault(uri.getRawPath(), r -> "<Response/>").apply(request);
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", status == 200 ? "text/xml" : "text/plain");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    exchange.close();
    answered.add(request);
    synchronized (requests) {
      requests.notifyAll();
    }
  }

  private static List<Map.Entry<String, String>> parse(String form) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (form.isEmpty()) {
      return out;
    }
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      out.add(Map.entry(
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
