package org.switchboard.http.webhook;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.switchboard.http.signature.TwilioSignature;

/**
 * A TwiML application for tests: a real Pekko HTTP server on 127.0.0.1 and an OS-chosen port
 * that records every request and answers with a replaceable responder.
 */
final class TestApp implements AutoCloseable {

  /** A request as the application saw it; {@code url} is rebuilt from the raw request line. */
  record Received(String method, String url, String path, Map<String, String> headers,
      String contentType, String body, List<Map.Entry<String, String>> form) {

    String header(String name) {
      return headers.get(name.toLowerCase());
    }

    String param(String name) {
      return form.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue)
          .findFirst().orElse(null);
    }

    /** Validates X-Twilio-Signature the way an app with the official SDK would. */
    boolean signatureValid(String authToken) {
      List<Map.Entry<String, String>> params = method.equals("POST") ? form : List.of();
      return TwilioSignature.validate(authToken, header(TwilioSignature.HEADER), url, params);
    }
  }

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private volatile Function<Received, CompletionStage<HttpResponse>> responder;
  private ServerBinding binding;

  private TestApp(Function<Received, CompletionStage<HttpResponse>> responder) {
    this.responder = responder;
  }

  /** An actor test kit whose HTTP server reports the raw request line (for signature checks). */
  static org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit testKit(String name) {
    return org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create(name,
        com.typesafe.config.ConfigFactory.parseString(
            "pekko.http.server.raw-request-uri-header = on\npekko.loglevel = INFO")
            .withFallback(com.typesafe.config.ConfigFactory.load()));
  }

  /** Starts a server; the actor system needs {@code raw-request-uri-header = on}. */
  static TestApp start(ClassicActorSystemProvider system,
      Function<Received, CompletionStage<HttpResponse>> responder) throws Exception {
    return start(system, 0, responder);
  }

  /** Starts a server on {@code port} (0: any free port), e.g. an application coming back. */
  static TestApp start(ClassicActorSystemProvider system, int port,
      Function<Received, CompletionStage<HttpResponse>> responder) throws Exception {
    TestApp app = new TestApp(responder);
    org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> handler =
        request -> app.handle(system, request);
    app.binding = Http.get(system).newServerAt("127.0.0.1", port)
        .bind(handler)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    return app;
  }

  static CompletionStage<HttpResponse> twiml(String body) {
    return CompletableFuture.completedFuture(HttpResponse.create()
        .withEntity(ContentTypes.TEXT_XML_UTF8, body));
  }

  static CompletionStage<HttpResponse> status(int status) {
    return CompletableFuture.completedFuture(HttpResponse.create().withStatus(status));
  }

  void respond(Function<Received, CompletionStage<HttpResponse>> newResponder) {
    this.responder = newResponder;
  }

  String url(String pathAndQuery) {
    return "http://127.0.0.1:" + port() + pathAndQuery;
  }

  int port() {
    return binding.localAddress().getPort();
  }

  /** The next request, waiting at most 10 s. */
  Received next() throws InterruptedException {
    Received request = received.poll(10, TimeUnit.SECONDS);
    assertNotNull(request, "the application received no request within 10 s");
    return request;
  }

  /** A port nothing listens on now: an application that is down. */
  static int closedPort() throws java.io.IOException {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The next request if one arrives within {@code millis}, else null. */
  Received poll(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }

  int pending() {
    return received.size();
  }

  private CompletionStage<HttpResponse> handle(ClassicActorSystemProvider system,
      HttpRequest request) {
    return request.entity().toStrict(5000, system).thenCompose(strict -> {
      Map<String, String> headers = new HashMap<>();
      for (HttpHeader header : request.getHeaders()) {
        headers.put(header.lowercaseName(), header.value());
      }
      String raw = headers.getOrDefault("raw-request-uri", request.getUri().toRelative().toString());
      String body = strict.getData().utf8String();
      List<Map.Entry<String, String>> form = new ArrayList<>();
      if (!body.isEmpty()) {
        for (String pair : body.split("&")) {
          int eq = pair.indexOf('=');
          form.add(new SimpleEntry<>(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
        }
      }
      Received r = new Received(request.method().value(), url(raw), request.getUri().path(),
          headers, strict.getContentType().toString(), body, form);
      received.add(r);
      return responder.apply(r);
    });
  }

  @Override
  public void close() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
