package org.switchboard.compat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.twilio.security.RequestValidator;
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

/**
 * The Twilio application under test, on a real HTTP server: answers each path with scripted
 * TwiML, records every webhook it gets and checks each {@code X-Twilio-Signature} with the Twilio
 * SDK's own {@link RequestValidator}, as a Twilio application does.
 */
final class WebhookApp implements AutoCloseable {

  /** One webhook as the application saw it. */
  record Webhook(String method, String path, String query, Map<String, String> params,
      boolean signatureValid) {
    String param(String name) {
      return params.get(name);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final RequestValidator validator;
  private final Map<String, Function<Webhook, String>> twiml = new ConcurrentHashMap<>();
  private final List<Webhook> webhooks = new CopyOnWriteArrayList<>();

  WebhookApp(String authToken) throws IOException {
    validator = new RequestValidator(authToken);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Answers {@code path} with the TwiML {@code verbs} (inside {@code <Response>}). */
  void on(String path, String verbs) {
    on(path, w -> verbs);
  }

  /** Answers {@code path} with the verbs {@code answer} gives; other paths get an empty 204. */
  void on(String path, Function<Webhook, String> answer) {
    twiml.put(path, answer);
  }

  List<Webhook> webhooks() {
    return List.copyOf(webhooks);
  }

  /** Waits for a webhook matching {@code match}, failing after {@code timeout}. */
  Webhook await(Predicate<Webhook> match, String description, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Webhook w : webhooks) {
        if (match.test(w)) {
          return w;
        }
      }
      synchronized (webhooks) {
        try {
          webhooks.wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted");
        }
      }
    }
    throw new AssertionError("no webhook " + description + " within " + timeout + "; got "
        + webhooks.stream().map(w -> w.method() + " " + w.path() + " " + w.params()).toList());
  }

  /** Waits for a webhook to {@code path} of call {@code callSid} whose params include {@code with}. */
  Webhook await(String path, String callSid, Map<String, String> with, Duration timeout) {
    return await(w -> w.path().equals(path) && callSid.equals(w.param("CallSid"))
            && with.entrySet().stream().allMatch(e -> e.getValue().equals(w.param(e.getKey()))),
        path + " of " + callSid + " with " + with, timeout);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    URI uri = exchange.getRequestURI();
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    boolean post = exchange.getRequestMethod().equals("POST");
    Map<String, String> bodyParams = post ? parse(body) : Map.of();
    Map<String, String> params = new LinkedHashMap<>(parse(query));
    params.putAll(bodyParams);
    String signature = exchange.getRequestHeaders().getFirst("X-Twilio-Signature");
    String signedUrl = url(uri.getRawPath()) + (query.isEmpty() ? "" : "?" + query);
    boolean valid = signature != null && validator.validate(signedUrl, bodyParams, signature);
    Webhook webhook = new Webhook(exchange.getRequestMethod(), uri.getRawPath(), query, params,
        valid);
    webhooks.add(webhook);
    synchronized (webhooks) {
      webhooks.notifyAll();
    }
    Function<Webhook, String> answer = twiml.get(uri.getRawPath());
    if (answer == null) {
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
      return;
    }
    byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>" + answer.apply(webhook)
        + "</Response>").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    exchange.close();
  }

  private static Map<String, String> parse(String form) {
    Map<String, String> out = new LinkedHashMap<>();
    if (form.isEmpty()) {
      return out;
    }
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The webhooks whose signature the SDK's validator refused (none, in a passing test). */
  List<Webhook> invalid() {
    List<Webhook> out = new ArrayList<>();
    for (Webhook w : webhooks) {
      if (!w.signatureValid()) {
        out.add(w);
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
