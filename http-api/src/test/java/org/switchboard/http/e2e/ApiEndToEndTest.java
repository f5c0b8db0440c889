package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.switchboard.http.e2e.E2eHarness.Caller;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * The Twilio-compatible REST API end to end, as a Twilio SDK would use it: a call created through
 * the Calls API reaches its Url on answer and sends its status callbacks; updating it with TwiML
 * redirects it; {@code Status=completed} hangs it up; a recording made during a call is listed
 * under it and downloads through its signed URL; {@code /metrics} counts the calls. {@link
 * ApiOnAsteriskTest} runs the same on a real Asterisk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  E2eHarness h;
  private ApiClient api;
  private String account;

  /** The harness the tests run on; the simulator here. */
  E2eHarness newHarness() throws Exception {
    return new E2eHarness(List.of(new DialRule("*+15550300001*", DialBehaviour.parse("answer-after-300"))));
  }

  @BeforeAll
  void start() throws Exception {
    h = newHarness();
    api = new ApiClient(h.node.publicUrl());
    account = h.node.system().settings().config().getString("switchboard.account-sid");
    h.app.on("/outbound", r -> Response.twiml("<Say>Hello from the API.</Say><Pause length=\"60\"/>"));
    h.app.on(
        "/voice",
        r -> Response.twiml("<Record maxLength=\"1\" playBeep=\"false\" action=\"/recorded\"/>"));
    h.app.on("/recorded", r -> Response.twiml("<Pause length=\"60\"/>"));
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
  }

  @Test
  void callsApiCreatesRedirectsAndCompletesACall() {
    HttpResponse<String> created =
        api.twilioPost(
            calls(""),
            List.of(
                Map.entry("To", "+15550300001"),
                Map.entry("From", "+15550009999"),
                Map.entry("Url", h.app.url("/outbound").toString()),
                Map.entry("StatusCallback", h.app.url("/call-status").toString()),
                Map.entry("StatusCallbackEvent", "initiated"),
                Map.entry("StatusCallbackEvent", "ringing"),
                Map.entry("StatusCallbackEvent", "answered"),
                Map.entry("StatusCallbackEvent", "completed")),
            account,
            E2eHarness.AUTH_TOKEN);
    assertEquals(201, created.statusCode(), created.body());
    JsonNode call = read(created.body());
    String sid = call.path("sid").asText();
    assertEquals("queued", call.path("status").asText());
    assertEquals("outbound-api", call.path("direction").asText());
    TestTwimlApp.Request answered = h.app.await("/outbound", sid, E2eHarness.WAIT);
    assertEquals("outbound-api", answered.param("Direction"));
    assertEquals("in-progress", answered.param("CallStatus"));
    assertTrue(answered.signatureValid());
    for (String status : List.of("initiated", "ringing", "in-progress")) {
      h.app.await(
          r -> r.path().equals("/call-status") && sid.equals(r.param("CallSid")) && status.equals(r.param("CallStatus")),
          status + " callback",
          E2eHarness.WAIT);
    }
    if (h.simulated()) {
      h.awaitTrue(() -> !h.sim.playbacks().isEmpty(), "the first prompt playing");
    }
    JsonNode fetched = read(api.twilioGet(calls("/" + sid), account, E2eHarness.AUTH_TOKEN).body());
    assertEquals("in-progress", fetched.path("status").asText());

    HttpResponse<String> redirected =
        api.twilioPost(
            calls("/" + sid),
            List.of(Map.entry("Twiml", "<Response><Say>Redirected.</Say><Pause length=\"60\"/></Response>")),
            account,
            E2eHarness.AUTH_TOKEN);
    assertEquals(200, redirected.statusCode(), redirected.body());
    h.awaitTrue(
        () ->
            !h.simulated() || h.sim.log().requests().stream()
                    .filter(r -> r.path().endsWith("/play"))
                    .count()
                >= 2,
        "the redirected TwiML playing");

    HttpResponse<String> completed =
        api.twilioPost(calls("/" + sid), List.of(Map.entry("Status", "completed")), account, E2eHarness.AUTH_TOKEN);
    assertEquals(200, completed.statusCode(), completed.body());
    TestTwimlApp.Request last =
        h.app.await(
            r -> r.path().equals("/call-status") && sid.equals(r.param("CallSid")) && "completed".equals(r.param("CallStatus")),
            "completed callback",
            E2eHarness.WAIT);
    assertTrue(Integer.parseInt(last.param("CallDuration")) >= 0);
    JsonNode after = read(api.twilioGet(calls("/" + sid), account, E2eHarness.AUTH_TOKEN).body());
    assertEquals("completed", after.path("status").asText());
    HttpResponse<String> wrongPassword = api.twilioGet(calls("/" + sid), account, "not-the-token");
    assertEquals(401, wrongPassword.statusCode());
  }

  @Test
  void aRecordingIsListedUnderItsCallAndDownloadsThroughItsSignedUrl() {
    // On Asterisk the caller talks (plays tunes) from the answer on.
    String caller = h.call("+15557770091", "+15550003001", new Caller("talk", Optional.empty()));
    String sid = E2eHarness.callSid(caller);
    if (h.simulated()) {
      h.awaitTrue(() -> !h.sim.liveRecordings().isEmpty(), "recording running");
      h.sim.speak(caller, java.time.Duration.ofSeconds(2));
    }
    TestTwimlApp.Request recorded = h.app.await("/recorded", sid, E2eHarness.WAIT);
    String recordingSid = recorded.param("RecordingSid");
    JsonNode list =
        read(api.twilioGet(calls("/" + sid + "/Recordings"), account, E2eHarness.AUTH_TOKEN).body());
    assertEquals(1, list.path("recordings").size(), list.toString());
    assertEquals(recordingSid, list.path("recordings").get(0).path("sid").asText());
    assertEquals(sid, list.path("recordings").get(0).path("call_sid").asText());
    HttpResponse<byte[]> wav = api.getBytes(URI.create(recorded.param("RecordingUrl")));
    assertEquals(200, wav.statusCode());
    assertEquals("RIFF", new String(wav.body(), 0, 4, StandardCharsets.US_ASCII));
    HttpResponse<byte[]> unsigned =
        api.getBytes(h.node.publicUrl().resolve("/recordings/" + recordingSid));
    assertTrue(unsigned.statusCode() == 401 || unsigned.statusCode() == 403, "unsigned: " + unsigned.statusCode());
    HttpResponse<byte[]> viaRest =
        apiGetBytesBasic("/2010-04-01/Accounts/" + account + "/Recordings/" + recordingSid + ".wav");
    assertEquals(200, viaRest.statusCode());
    h.callerHangsUp(caller);
    h.app.await(r -> r.path().equals("/status") && sid.equals(r.param("CallSid")), "final status", E2eHarness.WAIT);
    String metrics = api.get(h.node.publicUrl().resolve("/metrics")).body();
    assertTrue(metrics.contains("switchboard_calls_ended_total"), metrics);
    h.awaitTrue(
        () ->
            api.get(h.node.publicUrl().resolve("/metrics")).body().lines()
                .anyMatch(l -> l.startsWith("switchboard_calls_ended_total{") && !l.endsWith(" 0") && !l.endsWith(" 0.0")),
        "a non-zero ended-calls counter");
    String after = api.get(h.node.publicUrl().resolve("/metrics")).body();
    for (String family :
        List.of(
            "switchboard_ari_command_latency_seconds_count",
            "switchboard_ari_event_lag_seconds_count",
            "switchboard_webhook_latency_seconds_count")) {
      assertTrue(
          after.lines().anyMatch(l -> l.startsWith(family) && !l.endsWith(" 0") && !l.endsWith(" 0.0")),
          family + " counted: " + after);
    }
  }

  private HttpResponse<byte[]> apiGetBytesBasic(String path) {
    try {
      var request =
          java.net.http.HttpRequest.newBuilder(h.node.publicUrl().resolve(path))
              .header(
                  "Authorization",
                  "Basic "
                      + java.util.Base64.getEncoder()
                          .encodeToString((account + ":" + E2eHarness.AUTH_TOKEN).getBytes(StandardCharsets.UTF_8)))
              .GET()
              .build();
      return java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private String calls(String rest) {
    return "/2010-04-01/Accounts/" + account + "/Calls" + rest + ".json";
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }
}
