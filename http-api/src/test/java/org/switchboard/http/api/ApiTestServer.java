package org.switchboard.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.switchboard.http.testing.SteppedClock;
import org.switchboard.http.signature.BridgeSignature;
import org.switchboard.http.signature.BridgeSignatureVerifier;

/**
 * The whole API over a {@link FakeEngine}, bound on 127.0.0.1 and an OS-chosen port, with a
 * settable clock, and a Pekko HTTP client to call it.
 */
final class ApiTestServer implements AutoCloseable {
  static final String ACCOUNT = "AC" + "a".repeat(32);
  static final String TOKEN = "token-123";
  static final String SECRET = "bridge-secret";


  /** A response read in full. */
  record Reply(int status, String body, String contentType, Map<String, String> headers) {
    JsonNode json() {
      try {
        return ApiJson.MAPPER.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  final ActorSystem system;
  final FakeEngine engine = new FakeEngine();
  final SteppedClock clock = SteppedClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  final ApiSettings settings;
  final RecordingUrls urls;
  final SwitchboardMetrics metrics = new SwitchboardMetrics(new MetricsRegistry());
  private final ServerBinding binding;

  ApiTestServer(ActorSystem system) throws Exception {
    this(system, SeedSettings.defaults());
  }

  /** The API with these seed settings (volunteer URLs, dial templates). */
  ApiTestServer(ActorSystem system, SeedSettings seed) throws Exception {
    this.system = system;
    settings = new ApiSettings(ACCOUNT, TOKEN, Optional.of("SK" + "b".repeat(32)),
        Optional.of("key-secret"), SECRET, Duration.ofSeconds(300), 1000, "signing-key",
        Duration.ofHours(1), URI.create("http://127.0.0.1:9"), 1 << 20, Duration.ofSeconds(5));
    urls = new RecordingUrls(settings.publicBaseUrl(), settings.recordingSigningKey(),
        settings.recordingUrlTtl(), clock);
    BridgeSignatureVerifier verifier = new BridgeSignatureVerifier(SECRET,
        settings.signatureTolerance(), settings.replayCacheSize(), clock);
    ApiRoutes routes = new ApiRoutes(engine, engine, engine, verifier, urls, settings, metrics,
        clock, seed, Optional.empty());
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(routes.route())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String base() {
    return "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  Reply send(HttpRequest request) throws Exception {
    HttpResponse response = Http.get(system)
        .singleRequest(request.withUri(base() + request.getUri().toString()))
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    var strict = response.entity().toStrict(30_000, system).toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    Map<String, String> headers = new HashMap<>();
    for (HttpHeader header : response.getHeaders()) {
      headers.put(header.lowercaseName(), header.value());
    }
    return new Reply(response.status().intValue(), strict.getData().utf8String(),
        strict.getContentType().toString(), headers);
  }

  Reply get(String path) throws Exception {
    return send(HttpRequest.GET(path));
  }

  /** A POST signed with the bridge secret at the clock's current second. */
  Reply signedPost(String path, String body) throws Exception {
    return signedPost(path, body, clock.instant().getEpochSecond(), SECRET);
  }

  Reply signedPost(String path, String body, long timestamp, String secret) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String signature = BridgeSignature.sign(secret, timestamp, bytes);
    return send(HttpRequest.POST(path).withEntity(ContentTypes.APPLICATION_JSON, bytes)
        .addHeader(RawHeader.create(BridgeSignature.SIGNATURE_HEADER, signature))
        .addHeader(RawHeader.create(BridgeSignature.TIMESTAMP_HEADER, Long.toString(timestamp))));
  }

  /** A bodiless request signed with the bridge secret over the empty body, as the Worker sends. */
  Reply signedBodiless(HttpMethod method, String path, HttpHeader... extra) throws Exception {
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request = HttpRequest.create(path).withMethod(method)
        .addHeader(RawHeader.create(BridgeSignature.SIGNATURE_HEADER,
            BridgeSignature.sign(SECRET, timestamp, new byte[0])))
        .addHeader(RawHeader.create(BridgeSignature.TIMESTAMP_HEADER, Long.toString(timestamp)));
    for (HttpHeader header : extra) {
      request = request.addHeader(header);
    }
    return send(request);
  }

  static HttpHeader basic(String user, String password) {
    return RawHeader.create("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  /** A Twilio request with the right Basic credentials. */
  Reply twilio(String method, String path, String form) throws Exception {
    return twilio(method, path, form, basic(ACCOUNT, TOKEN));
  }

  Reply twilio(String method, String path, String form, HttpHeader auth) throws Exception {
    HttpRequest request = HttpRequest.create("/2010-04-01/Accounts/" + ACCOUNT + path)
        .withMethod(HttpMethods.lookup(method).orElseThrow()).addHeader(auth);
    if (form != null) {
      request = request.withEntity(ContentTypes.APPLICATION_X_WWW_FORM_URLENCODED, form);
    }
    return send(request);
  }

  @Override
  public void close() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
