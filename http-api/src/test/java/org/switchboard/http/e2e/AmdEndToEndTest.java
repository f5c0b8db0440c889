package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.switchboard.asterisk.sim.AmdOutcome;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.http.e2e.E2eHarness.Caller;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * Answering machine detection end to end (docs/amd.md), with real HTTP webhooks: {@code
 * MachineDetection} on {@code Calls.json} puts {@code AnsweredBy} on the answer webhook and the
 * Call resource, {@code AsyncAmd} posts it to {@code AsyncAmdStatusCallback}; a {@code /ring} with
 * {@code machineDetection} never bridges the volunteer whose voicemail answered first, reports
 * that leg {@code no-answer} (never {@code completed}) and bridges the person. {@code +15550400001}
 * is a voicemail greeting, {@code +15550400002} a person saying hello: told to the simulator here,
 * played by the far end on a real Asterisk ({@link AmdOnAsteriskTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AmdEndToEndTest {
  static final String MACHINE = "+15550400001";
  static final String HUMAN = "+15550400002";
  private static final ObjectMapper JSON = new ObjectMapper();
  E2eHarness h;
  private ApiClient api;
  private String account;

  /** The harness the tests run on; the simulator here. */
  E2eHarness newHarness() throws Exception {
    E2eHarness harness = new E2eHarness(List.of(
        new DialRule("*" + MACHINE + "*", DialBehaviour.parse("answer-after-300")),
        new DialRule("*" + HUMAN + "*", DialBehaviour.parse("answer-after-300"))));
    harness.sim.answeringMachine("*" + MACHINE + "*", AmdOutcome.machine(Duration.ofMillis(800)));
    harness.sim.answeringMachine("*" + HUMAN + "*", AmdOutcome.human(Duration.ofMillis(1700)));
    return harness;
  }

  @BeforeAll
  void start() throws Exception {
    h = newHarness();
    api = new ApiClient(h.node.publicUrl());
    account = h.node.system().settings().config().getString("switchboard.account-sid");
    h.app.on("/amd-answer", r -> Response.twiml("<Pause length=\"30\"/>"));
    h.app.on("/voice", r -> Response.twiml(
        "<Enqueue waitUrl=\"/wait\" action=\"/queue-exit\">amd-support</Enqueue>"));
    h.app.on("/wait", r -> Response.twiml("<Pause length=\"5\"/>"));
    h.app.on("/queue-exit", r -> Response.twiml("<Hangup/>"));
    h.app.on("/volunteer", r -> Response.twiml(
        "<Dial action=\"/dial-done\"><Queue>amd-support</Queue></Dial>"));
    h.app.on("/dial-done", r -> Response.twiml("<Hangup/>"));
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
    assertTrue(h.app.requests().stream().allMatch(TestTwimlApp.Request::signatureValid),
        "every webhook carries a valid X-Twilio-Signature");
  }

  @Test
  void callsApiMachineDetectionPutsAnsweredByOnTheAnswerWebhookAndTheCall() {
    String sid = create(MACHINE, List.of(Map.entry("MachineDetection", "Enable")));
    TestTwimlApp.Request answered = h.app.await("/amd-answer", sid, E2eHarness.WAIT);
    assertEquals("machine_start", answered.param("AnsweredBy"));
    assertEquals("in-progress", answered.param("CallStatus"));
    JsonNode call = read(api.twilioGet(calls("/" + sid), account, E2eHarness.AUTH_TOKEN).body());
    assertEquals("machine_start", call.path("answered_by").asText());
    hangUp(sid);
  }

  @Test
  void asyncDetectionAnswersAtDetectionsEndAndPostsTheVerdictToItsCallback() {
    String sid = create(HUMAN, List.of(Map.entry("MachineDetection", "Enable"),
        Map.entry("AsyncAmd", "true"),
        Map.entry("AsyncAmdStatusCallback", h.app.url("/amd-status").toString())));
    TestTwimlApp.Request verdict = h.app.await("/amd-status", sid, E2eHarness.WAIT);
    assertEquals("human", verdict.param("AnsweredBy"));
    assertTrue(Long.parseLong(verdict.param("MachineDetectionDuration")) > 0,
        verdict.param("MachineDetectionDuration"));
    TestTwimlApp.Request answered = h.app.await("/amd-answer", sid, E2eHarness.WAIT);
    assertNull(answered.param("AnsweredBy"), "an asynchronous verdict is not in the answer webhook");
    hangUp(sid);
  }

  @Test
  void aBadMachineDetectionValueIsRefusedWithItsName() {
    HttpResponse<String> refused = api.twilioPost(calls(""), List.of(Map.entry("To", HUMAN),
        Map.entry("From", "+15550009999"), Map.entry("Url", h.app.url("/amd-answer").toString()),
        Map.entry("MachineDetection", "Maybe")), account, E2eHarness.AUTH_TOKEN);
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("MachineDetection"), refused.body());
  }

  @Test
  void ringWithMachineDetectionNeverBridgesTheVoicemailThatAnsweredFirst() {
    String caller = h.call("+15557770401", "+15550002401", Caller.SILENT);
    String parent = E2eHarness.callSid(caller);
    h.app.await("/wait", parent, E2eHarness.WAIT);
    String ring = "{\"parentCallSid\":\"" + parent + "\",\"callerNumber\":\"+15550002401\","
        + "\"timeout\":30,\"machineDetection\":\"Enable\",\"answerUrl\":\""
        + h.app.url("/volunteer") + "\",\"statusCallback\":\"" + h.app.url("/leg-status") + "\","
        + "\"volunteers\":[{\"pubkey\":\"vm\",\"phone\":\"" + MACHINE + "\"},"
        + "{\"pubkey\":\"person\",\"phone\":\"" + HUMAN + "\"}]}";
    HttpResponse<String> response = api.signedPost("/ring", ring, E2eHarness.BRIDGE_SECRET);
    assertEquals(200, response.statusCode(), response.body());
    JsonNode legs = read(response.body()).path("legs");
    String machineLeg = legSid(legs, "vm");
    String humanLeg = legSid(legs, "person");
    TestTwimlApp.Request machineEnd = h.app.await(r -> r.path().equals("/leg-status")
        && machineLeg.equals(r.param("CallSid")) && !"initiated".equals(r.param("CallStatus"))
        && !"ringing".equals(r.param("CallStatus")), "the voicemail leg's next status",
        E2eHarness.WAIT);
    assertEquals("no-answer", machineEnd.param("CallStatus"),
        "a voicemail's leg is never answered nor completed");
    TestTwimlApp.Request answered = h.app.await(r -> r.path().equals("/volunteer")
        && parent.equals(r.param("ParentCallSid")), "the person's answer URL", E2eHarness.WAIT);
    assertEquals(humanLeg, answered.param("CallSid"));
    assertEquals("human", answered.param("AnsweredBy"));
    h.awaitBridged(caller);
    h.callerHangsUp(caller);
    h.app.await("/dial-done", humanLeg, E2eHarness.WAIT);
    assertTrue(h.app.requests().stream().noneMatch(r -> r.path().equals("/volunteer")
        && machineLeg.equals(r.param("CallSid"))), "the voicemail never ran the answer URL");
    assertEquals(List.of("initiated", "no-answer"), h.app.requests().stream()
        .filter(r -> r.path().equals("/leg-status") && machineLeg.equals(r.param("CallSid")))
        .map(r -> r.param("CallStatus")).filter(s -> !s.equals("ringing")).toList());
  }

  private String create(String to, List<Map.Entry<String, String>> amd) {
    List<Map.Entry<String, String>> form = new java.util.ArrayList<>(List.of(Map.entry("To", to),
        Map.entry("From", "+15550009999"), Map.entry("Url", h.app.url("/amd-answer").toString())));
    form.addAll(amd);
    HttpResponse<String> created = api.twilioPost(calls(""), form, account, E2eHarness.AUTH_TOKEN);
    assertEquals(201, created.statusCode(), created.body());
    return read(created.body()).path("sid").asText();
  }

  private void hangUp(String sid) {
    HttpResponse<String> done = api.twilioPost(calls("/" + sid),
        List.of(Map.entry("Status", "completed")), account, E2eHarness.AUTH_TOKEN);
    assertEquals(200, done.statusCode(), done.body());
  }

  private static String legSid(JsonNode legs, String target) {
    for (JsonNode leg : legs) {
      if (target.equals(leg.path("target").asText()) || target.equals(leg.path("id").asText())
          || target.equals(leg.path("pubkey").asText())) {
        return leg.path("legSid").asText();
      }
    }
    throw new AssertionError("no leg for " + target + " in " + legs);
  }

  private String calls(String rest) {
    return "/2010-04-01/Accounts/" + account + "/Calls" + rest + ".json";
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }
}
