package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.http.e2e.E2eHarness.Caller;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.SeedSettings;
import org.switchboard.http.e2e.TestTwimlApp.Response;
import org.switchboard.http.provision.EndpointProvisioner;

/**
 * The Llamenos bridge's endpoints end to end: {@code /ring} with the bridge's own payload (no
 * {@code answerUrl}) rings each volunteer's phone and browser as the bridge dialled them, the
 * first answer runs the Worker's {@code volunteer-answer} URL and the other legs report {@code
 * canceled} to the Worker's {@code call-status}; {@code /provision-endpoint}, {@code
 * /check-endpoint} and {@code /deprovision-endpoint} create, find and delete the PJSIP objects
 * through ARI's dynamic configuration, with rollback. {@link LlamenosEndpointsOnAsteriskTest}
 * runs the provisioning tests on a real Asterisk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LlamenosEndpointsEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PUBKEY =
      "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d";
  private static final java.util.concurrent.atomic.AtomicLong STAMPS =
      new java.util.concurrent.atomic.AtomicLong();
  E2eHarness h;
  ApiClient api;

  /** The harness the tests run on; the simulator here. */
  E2eHarness newHarness(Map<String, String> settings) throws Exception {
    return new E2eHarness(List.of(
        new DialRule("*+15550300001*", DialBehaviour.parse("answer-after-1000")),
        new DialRule("*vol_v1*", DialBehaviour.parse("no-answer")),
        new DialRule("*+15550300002*", DialBehaviour.parse("no-answer"))), settings);
  }

  @BeforeAll
  void start() throws Exception {
    h = newHarness(Map.of());
    api = new ApiClient(h.node.publicUrl());
  }

  @AfterAll
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @AfterEach
  void clean() {
    h.awaitClean();
    for (String type : List.of("endpoint", "aor", "auth")) {
      h.rest("DELETE", "/asterisk/config/dynamic/res_pjsip/" + type + "/vol_"
          + PUBKEY.substring(0, 12));
    }
  }

  @Test
  void theBridgesRingPayloadRingsPhoneAndBrowserAndTheLosersReportCanceled() throws Exception {
    assumeTrue(h.simulated(), "the volunteers are the simulator's dial rules");
    h.app.on("/voice", r -> Response.twiml(
        "<Enqueue waitUrl=\"/wait\">" + r.param("CallSid") + "</Enqueue>"));
    h.app.on("/wait", r -> Response.twiml("<Pause length=\"5\"/>"));
    h.app.on("/api/telephony/volunteer-answer", r -> Response.twiml(
        "<Dial><Queue>" + query(r).get("parentCallSid") + "</Queue></Dial>"));
    String caller = h.call("+15557770101", "+15550009000", Caller.SILENT);
    String sid = E2eHarness.callSid(caller);
    h.app.await("/wait", sid, E2eHarness.WAIT);
    // No Worker URL is configured: the volunteer URLs go to the Worker's callbackUrl.
    String ring = """
        {"parentCallSid":"%s","callerNumber":"+15557770101",
         "volunteers":[{"pubkey":"v1","phone":"+15550300001","browserIdentity":"vol_v1"},
                       {"pubkey":"v2","phone":"+15550300002"}],
         "callbackUrl":"%s","hubId":"hub-1"}""".formatted(sid, h.app.url(""));
    HttpResponse<String> response = api.signedPost("/ring", ring, E2eHarness.BRIDGE_SECRET);
    assertEquals(200, response.statusCode(), response.body());
    JsonNode body = JSON.readTree(response.body());
    assertTrue(body.path("ok").asBoolean());
    assertEquals(3, body.path("channelIds").size(), "a leg per phone and per browser");
    // The legs are originated once /ring has answered, as the bridge dialled them.
    for (String dialled : List.of("PJSIP/+15550300001@trunk", "PJSIP/vol_v1",
        "PJSIP/+15550300002@trunk")) {
      h.awaitTrue(() -> h.sim.log().requests().stream()
          .filter(r -> r.method().equals("POST") && r.path().equals("/ari/channels"))
          .map(r -> URLDecoder.decode(r.query() + "&" + r.body(), StandardCharsets.UTF_8))
          .anyMatch(o -> o.contains("endpoint=" + dialled + "&")
              || o.contains("\"endpoint\":\"" + dialled + "\"")), "an originate of " + dialled);
    }
    TestTwimlApp.Request answered = h.app.await(
        r -> r.path().equals("/api/telephony/volunteer-answer")
            && sid.equals(r.param("ParentCallSid")),
        "the Worker's volunteer-answer", E2eHarness.WAIT);
    assertEquals(Map.of("parentCallSid", sid, "pubkey", "v1", "hub", "hub-1"), query(answered));
    h.awaitBridged(caller);
    String winner = answered.param("CallSid");
    for (JsonNode legSid : body.path("callSids")) {
      if (legSid.asText().equals(winner)) {
        continue;
      }
      TestTwimlApp.Request end = h.app.await(
          r -> r.path().equals("/api/telephony/call-status")
              && legSid.asText().equals(r.param("CallSid"))
              && Set.of("canceled", "completed", "no-answer", "busy", "failed")
                  .contains(r.param("CallStatus")),
          "the final status of " + legSid, E2eHarness.WAIT);
      assertEquals("canceled", end.param("CallStatus"),
          "never completed: the Worker ends the caller's call on a completed volunteer leg");
      assertEquals(sid, query(end).get("parentCallSid"));
    }
    h.callerHangsUp(caller);
  }

  @Test
  void provisionCheckAndDeprovisionAPjsipEndpoint() throws Exception {
    JsonNode provisioned = post("/provision-endpoint", PUBKEY, 200);
    String username = "vol_" + PUBKEY.substring(0, 12);
    assertEquals(username, provisioned.path("username").asText());
    String password = provisioned.path("password").asText();
    assertEquals(43, password.length(), "32 random bytes, base64url");
    Map<String, String> endpoint = object("endpoint", username).orElseThrow();
    assertEquals(username, endpoint.get("auth"));
    assertEquals(username, endpoint.get("aors"));
    assertEquals("volunteers", endpoint.get("context"));
    assertEquals("transport-wss", endpoint.get("transport"));
    assertEquals("dtls", endpoint.get("media_encryption"));
    Map<String, String> auth = object("auth", username).orElseThrow();
    assertEquals(password, auth.get("password"));
    assertEquals(username, auth.get("username"));
    assertEquals("1", object("aor", username).orElseThrow().get("max_contacts"));
    JsonNode check = post("/check-endpoint", PUBKEY, 200);
    assertTrue(check.path("exists").asBoolean(), check.toString());
    assertEquals("(opus|ulaw)", endpoint.get("allow"), "codecs set after disallow=all");
    JsonNode again = post("/provision-endpoint", PUBKEY, 200);
    assertFalse(again.path("password").asText().equals(password), "a new password each time");
    assertEquals(again.path("password").asText(), object("auth", username).orElseThrow()
        .get("password"));
    JsonNode gone = post("/deprovision-endpoint", PUBKEY, 200);
    assertEquals(3, gone.path("deleted").size(), gone.toString());
    for (String type : List.of("endpoint", "aor", "auth")) {
      assertTrue(object(type, username).isEmpty(), type + " deleted");
    }
    assertFalse(post("/check-endpoint", PUBKEY, 200).path("exists").asBoolean());
    assertEquals(0, post("/deprovision-endpoint", PUBKEY, 200).path("deleted").size(),
        "deprovisioning twice is not an error");
    assertEquals(400, api.signedPost("/provision-endpoint", "{\"pubkey\":\"../x\"}",
        E2eHarness.BRIDGE_SECRET).statusCode());
  }

  @Test
  void aFailedStepRollsBackWhatWasCreated() throws Exception {
    SeedSettings.Provisioning reference = SeedSettings.defaults().provisioning();
    Map<String, String> endpoint = new HashMap<>(reference.endpoint());
    endpoint.put("no_such_option", "1");
    EndpointProvisioner broken = new EndpointProvisioner(h.node.ari().ariPort(),
        () -> List.of(E2eHarness.SERVER), new SeedSettings.Provisioning(reference.configClass(),
            reference.usernamePrefix(), reference.pubkeyChars(), endpoint, reference.aor()),
        new SecureRandom());
    String username = "vol_" + PUBKEY.substring(0, 12);
    ApiException failure = assertThrows(ApiException.class, () -> {
      try {
        broken.provision(PUBKEY).toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw e.getCause();
      }
    });
    assertEquals(502, failure.status());
    assertTrue(failure.getMessage().contains("400 Creation of object '" + username
        + "' failed field value validation"), failure.getMessage());
    for (String type : List.of("endpoint", "aor", "auth")) {
      assertTrue(object(type, username).isEmpty(), type + " rolled back");
    }
  }

  @Test
  void anAsteriskWithoutWritableSorceryRefusesAndNothingIsLeft() throws Exception {
    assumeTrue(h.simulated(), "the simulator models a stock sorcery.conf");
    h.sim.dynamicConfigWritable(false);
    try {
      HttpResponse<String> refused = send("/provision-endpoint", PUBKEY);
      assertEquals(502, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("403 Cannot create sorcery objects of type 'auth'"),
          refused.body());
      assertTrue(refused.body().contains("sorcery.conf"), refused.body());
    } finally {
      h.sim.dynamicConfigWritable(true);
    }
    assertTrue(object("auth", "vol_" + PUBKEY.substring(0, 12)).isEmpty());
  }

  /**
   * A signed POST stamped one second after the previous one: the same body to the same path in
   * the same second would be refused as a replay, and the Worker never sends that.
   */
  private JsonNode post(String path, String pubkey, int status) throws Exception {
    HttpResponse<String> response = send(path, pubkey);
    assertEquals(status, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  /** {@code {"pubkey":…}} to {@code path}, signed one second after every earlier request. */
  private HttpResponse<String> send(String path, String pubkey) {
    long stamp = STAMPS.updateAndGet(last -> Math.max(last + 1,
        java.time.Instant.now().getEpochSecond()));
    return api.signedPost(path, "{\"pubkey\":\"" + pubkey + "\"}", E2eHarness.BRIDGE_SECRET,
        stamp);
  }

  /** The object as Asterisk (or the simulator) holds it. */
  private Optional<Map<String, String>> object(String type, String id) {
    E2eHarness.Reply reply = h.rest("GET", "/asterisk/config/dynamic/res_pjsip/" + type + "/" + id);
    if (reply.status() == 404) {
      return Optional.empty();
    }
    assertEquals(200, reply.status(), reply.body());
    Map<String, String> fields = new HashMap<>();
    try {
      JSON.readTree(reply.body()).forEach(t -> fields.put(t.path("attribute").asText(),
          t.path("value").asText()));
    } catch (java.io.IOException e) {
      throw new AssertionError(reply.body(), e);
    }
    return Optional.of(fields);
  }

  private static Map<String, String> query(TestTwimlApp.Request request) {
    Map<String, String> params = new HashMap<>();
    if (request.query() == null || request.query().isEmpty()) {
      return params;
    }
    for (String pair : request.query().split("&")) {
      int eq = pair.indexOf('=');
      params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }
}
