package org.switchboard.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.http.api.MetricsRegistry;

/**
 * HTTPS of the HTTP server from PEM files ({@code src/test/resources/tls}, test-only, made with
 * openssl): a client that trusts the certificate gets the answer over TLS on 127.0.0.1, one that
 * does not is refused in the handshake, and unusable key files are refused with their fix.
 */
class PemTlsTest extends AllDirectives {
  private static ActorSystem system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create("pem-tls-test", ConfigFactory.load());
  }

  @AfterAll
  static void stop() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static Path tls(String name) throws URISyntaxException {
    return Path.of(PemTlsTest.class.getResource("/tls/" + name).toURI());
  }

  private static Config tlsConfig(String cert, String key) {
    return ConfigFactory.parseMap(Map.of(
            "switchboard.http.tls.cert", cert, "switchboard.http.tls.key", key))
        .withFallback(ConfigFactory.load());
  }

  private ServerBinding bind(Optional<HttpsConnectionContext> https) throws Exception {
    Route route = path("hello", () -> complete("hello over tls"));
    Config config = ConfigFactory.load();
    return GuardedServer.bind(system, "127.0.0.1", 0, route, ServerLimits.fromConfig(config),
            new MetricsRegistry(), https)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("switchboard", PemTls.certificates(cert)[0]);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static HttpResponse<String> get(SSLContext client, URI uri) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(client)
        .connectTimeout(Duration.ofSeconds(10)).build();
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aClientTrustingTheCertificateIsServedOverTls() throws Exception {
    for (String key : new String[] {"key-pkcs8.pem", "key-pkcs1.pem"}) {
      Optional<HttpsConnectionContext> https =
          PemTls.fromConfig(tlsConfig(tls("cert.pem").toString(), tls(key).toString()));
      assertTrue(https.isPresent());
      ServerBinding binding = bind(https);
      try {
        URI uri = URI.create("https://127.0.0.1:" + binding.localAddress().getPort() + "/hello");
        HttpResponse<String> response = get(trusting(tls("cert.pem")), uri);
        assertEquals(200, response.statusCode(), key);
        assertEquals("hello over tls", response.body(), key);
        assertTrue(response.sslSession().isPresent(), key);
        // The JDK's default trust store does not know this certificate.
        assertThrows(SSLHandshakeException.class, () -> get(SSLContext.getDefault(), uri), key);
        // Plain HTTP to the TLS port gets no HTTP answer.
        URI plain = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/hello");
        assertThrows(java.io.IOException.class, () -> get(SSLContext.getDefault(), plain), key);
      } finally {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void withoutCertificateAndKeyTheServerSpeaksPlainHttp() throws Exception {
    assertTrue(PemTls.fromConfig(ConfigFactory.load()).isEmpty());
    ServerBinding binding = bind(Optional.empty());
    try {
      HttpResponse<String> response = get(SSLContext.getDefault(),
          URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/hello"));
      assertEquals("hello over tls", response.body());
    } finally {
      binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void unusableFilesAreRefusedWithAReason() throws Exception {
    String cert = tls("cert.pem").toString();
    IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
        () -> PemTls.fromConfig(tlsConfig(cert, "")));
    assertTrue(half.getMessage().contains("needs both cert and key"), half.getMessage());
    IllegalArgumentException sec1 = assertThrows(IllegalArgumentException.class,
        () -> PemTls.fromConfig(tlsConfig(cert, tls("ec-sec1.pem").toString())));
    assertTrue(sec1.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), sec1.getMessage());
    IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
        () -> PemTls.fromConfig(tlsConfig(cert, cert)));
    assertTrue(noKey.getMessage().contains("holds no PEM private key"), noKey.getMessage());
  }
}
