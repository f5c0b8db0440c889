package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.http.Main;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.config.SwitchboardConfig;
import org.switchboard.http.config.SwitchboardSettings;
import org.switchboard.http.e2e.LlamenosCallFlowEndToEndTest.Backend;

/**
 * The bridge's {@code SIP_PROVIDER}, {@code SIP_USERNAME} and {@code SIP_PASSWORD} in the seed's
 * {@code .env}: Switchboard makes the {@code trunk} endpoint that {@code PJSIP/{phone}@trunk}
 * dials through (auth {@code trunk-auth}, aor {@code trunk}, endpoint {@code trunk}) through ARI's
 * dynamic configuration at start, as the bridge's {@code PjsipConfigurator} did; the registration
 * is refused by Asterisk 22 (403) and left to {@code pjsip.conf}. Checked on the objects the
 * server then holds (read back over ARI), again after a restart (idempotent), and with a
 * pre-existing {@code trunk} endpoint that Asterisk refuses to update: the auth and aor this start
 * made are deleted again, the endpoint that was there is left, and {@code /health} says why.
 * {@link SipTrunkOnAsteriskTest} runs the same on a real Asterisk 22.
 */
class SipTrunkEndToEndTest {
  private static final Duration WAIT = LlamenosCallFlowEndToEndTest.WAIT;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROVIDER = "127.0.0.1:5999";
  private static final String OBJECTS = "/asterisk/config/dynamic/res_pjsip/";

  @TempDir Path dir;
  private Backend backend;
  private SwitchboardNode node;
  private final HttpClient http = HttpClient.newHttpClient();

  /** The backend holding the objects: the simulator here. */
  Backend newBackend(Path dir) {
    return new LlamenosCallFlowEndToEndTest.SimulatedBackend(dir);
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (backend != null) {
      for (String object : List.of("registration/trunk-reg", "endpoint/trunk", "aor/trunk",
          "auth/trunk-auth")) {
        ari("DELETE", OBJECTS + object, null);
      }
      backend.close();
    }
  }

  @Test
  void theTrunkIsMadeAtEveryStartAndReportedByHealth() throws Exception {
    backend = newBackend(dir);
    for (int start = 1; start <= 2; start++) {
      node = start();
      JsonNode health = awaitHealth(h -> h.path("sipConfigured").asBoolean(), "sipConfigured");
      assertFalse(health.path("sipConfigSkipped").asBoolean(), health.toString());
      assertFalse(health.has("sipConfigError"), health.toString());

      Map<String, String> endpoint = object("endpoint/trunk");
      assertEquals("from-trunk", endpoint.get("context"), endpoint.toString());
      assertEquals("transport-udp", endpoint.get("transport"));
      assertEquals("trunk-auth", endpoint.get("outbound_auth"));
      assertEquals("trunk", endpoint.get("aors"));
      assertEquals("(ulaw|alaw)", endpoint.get("allow"), "disallow=all before allow");
      assertEquals("sip:trunkuser@" + PROVIDER, object("aor/trunk").get("contact"));
      assertEquals("60", object("aor/trunk").get("qualify_frequency"));
      Map<String, String> auth = object("auth/trunk-auth");
      assertEquals("userpass", auth.get("auth_type"));
      assertEquals("trunkuser", auth.get("username"));
      assertEquals("trunk-secret", auth.get("password"));
      assertEquals(404, ari("GET", OBJECTS + "registration/trunk-reg", null).statusCode(),
          "Asterisk 22 cannot create registrations dynamically");
      node.close();
      node = null;
    }
  }

  @Test
  void aRefusedStepRollsBackWhatThisStartMadeAndKeepsWhatExisted() throws Exception {
    backend = newBackend(dir);
    // An endpoint Asterisk can no longer update: allow before disallow=all leaves it no codec,
    // and every later PUT of it answers 500.
    HttpResponse<String> broken = ari("PUT", OBJECTS + "endpoint/trunk",
        "{\"fields\":[{\"attribute\":\"allow\",\"value\":\"ulaw\"},"
            + "{\"attribute\":\"disallow\",\"value\":\"all\"}]}");
    assertEquals(200, broken.statusCode(), broken.body());
    node = start();
    JsonNode health = awaitHealth(h -> h.has("sipConfigError"), "sipConfigError");
    assertFalse(health.path("sipConfigured").asBoolean(), health.toString());
    assertTrue(health.path("sipConfigError").asText().contains("endpoint/trunk"),
        health.toString());
    assertEquals(404, ari("GET", OBJECTS + "auth/trunk-auth", null).statusCode(),
        "the auth this start made is deleted again");
    assertEquals(404, ari("GET", OBJECTS + "aor/trunk", null).statusCode(),
        "the aor this start made is deleted again");
    assertEquals(200, ari("GET", OBJECTS + "endpoint/trunk", null).statusCode(),
        "the endpoint that existed before is left");
  }

  private SwitchboardNode start() throws Exception {
    int bridgePort = Main.freePort("127.0.0.1");
    Path env = dir.resolve(".env");
    Files.writeString(env, """
        ARI_URL=%s/events
        ARI_REST_URL=%s
        ARI_USERNAME=%s
        ARI_PASSWORD=%s
        WORKER_WEBHOOK_URL=http://127.0.0.1:9
        BRIDGE_SECRET=your-shared-secret-here
        BRIDGE_PORT=%d
        STASIS_APP=%s
        HOTLINE_NUMBER=+15551234567
        SIP_PROVIDER=%s
        SIP_USERNAME=trunkuser
        SIP_PASSWORD=trunk-secret
        """.formatted(backend.restUrl().replaceFirst("^http", "ws"), backend.restUrl(),
        backend.user(), backend.password(), bridgePort, backend.app(), PROVIDER));
    Config loaded = SwitchboardConfig.load(Optional.of(env), Map.of());
    Map<String, String> local = new LinkedHashMap<>(backend.settings());
    local.put("switchboard.webhooks.outbox.dir", dir.resolve("outbox").toString());
    local.put("switchboard.audio.cache-dir", dir.resolve("audio").toString());
    Config config = ConfigFactory.parseMap(local).withFallback(loaded);
    SwitchboardSettings settings = SwitchboardSettings.fromConfig(config);
    return SwitchboardNode.start(config, settings, Main.defaultApplication(config, settings),
        List.of(), Clock.systemUTC());
  }

  private JsonNode awaitHealth(Predicate<JsonNode> condition, String description)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + node.httpAddress().getPort() + "/health")).timeout(WAIT).build(),
          HttpResponse.BodyHandlers.ofString());
      last = JSON.readTree(r.body());
      if (condition.test(last)) {
        return last;
      }
      synchronized (this) {
        wait(100);
      }
    }
    throw new AssertionError("/health never showed " + description + ": " + last);
  }

  /** A dynamic configuration object's fields, read back over ARI. */
  private Map<String, String> object(String typeAndId) throws Exception {
    HttpResponse<String> r = ari("GET", OBJECTS + typeAndId, null);
    assertEquals(200, r.statusCode(), typeAndId + ": " + r.body());
    Map<String, String> fields = new LinkedHashMap<>();
    JSON.readTree(r.body()).forEach(t ->
        fields.put(t.path("attribute").asText(), t.path("value").asText()));
    return fields;
  }

  private HttpResponse<String> ari(String method, String path, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend.restUrl() + path))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (backend.user() + ":" + backend.password()).getBytes(StandardCharsets.UTF_8)))
        .timeout(WAIT);
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
