package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;

/**
 * Twilio's Calls resource through the Twilio Java SDK: create, fetch, list with filters, update
 * with TwiML and with {@code Status}, and the errors the SDK turns into {@link ApiException}s;
 * each step checked against the ARI commands the simulator received and the webhooks (validated
 * by the SDK's {@code RequestValidator}) the application got.
 */
class CallsCompatTest extends CompatTest {
  static final String CALLEE = "+15550400001";
  @Override
  CompatHarness harness() throws Exception {
    CompatHarness harness = new CompatHarness(List.of(new DialRule("*" + CALLEE + "*",
        DialBehaviour.parse("answer-after-300"))));
    harness.app.on("/outbound", "<Say>Hello from the SDK.</Say><Pause length=\"60\"/>");
    return harness;
  }

  @Test
  void createFetchListRedirectAndComplete() {
    Call created = Call.creator(new PhoneNumber(CALLEE), new PhoneNumber("+15550009999"),
            h.app.url("/outbound"))
        .setStatusCallback(h.app.url("/call-status"))
        .setStatusCallbackEvent(List.of("initiated", "ringing", "answered", "completed"))
        .create(h.twilio);
    String sid = created.getSid();
    assertEquals(Call.Status.QUEUED, created.getStatus());
    assertEquals("outbound-api", created.getDirection());
    assertEquals(h.accountSid, created.getAccountSid());
    assertNotNull(created.getDateCreated());
    h.awaitTrue(() -> h.ari("POST", "/channels").stream()
        .anyMatch(r -> (r.query() + r.body()).contains("15550400001")), "the originate");
    WebhookApp.Webhook answered = h.app.await("/outbound", sid, Map.of(), CompatHarness.WAIT);
    assertEquals("in-progress", answered.param("CallStatus"));
    assertEquals("outbound-api", answered.param("Direction"));
    for (String status : List.of("initiated", "ringing", "in-progress")) {
      h.app.await("/call-status", sid, Map.of("CallStatus", status), CompatHarness.WAIT);
    }

    Call fetched = Call.fetcher(sid).fetch(h.twilio);
    assertEquals(Call.Status.IN_PROGRESS, fetched.getStatus());
    assertEquals(CALLEE, fetched.getTo());
    assertNotNull(fetched.getStartTime());
    List<Call> live = all(Call.reader().setStatus(Call.Status.IN_PROGRESS)
        .setTo(new PhoneNumber(CALLEE)).read(h.twilio));
    assertTrue(live.stream().anyMatch(c -> c.getSid().equals(sid)), "listed: " + live);
    List<Call> other = all(Call.reader().setTo(new PhoneNumber("+15550000000"))
        .read(h.twilio));
    assertEquals(List.of(), other);
    ZonedDateTime started = fetched.getStartTime();
    assertTrue(all(Call.reader().setStartTimeAfter(started.minusMinutes(1))
        .setStartTimeBefore(started.plusMinutes(1)).read(h.twilio)).stream()
        .anyMatch(c -> c.getSid().equals(sid)), "StartTime> and StartTime< around its start");
    assertTrue(all(Call.reader().setStartTimeAfter(started.plusMinutes(1)).read(h.twilio))
        .stream().noneMatch(c -> c.getSid().equals(sid)), "StartTime> after its start");
    assertTrue(all(Call.reader().setStartTimeBefore(started.minusMinutes(1)).read(h.twilio))
        .stream().noneMatch(c -> c.getSid().equals(sid)), "StartTime< before its start");
    assertTrue(all(Call.reader().setEndTimeAfter(started.minusMinutes(1)).read(h.twilio))
        .stream().noneMatch(c -> c.getSid().equals(sid)), "EndTime> while it has not ended");

    h.awaitTrue(() -> h.ari("POST", "/play").size() >= 1, "the first prompt playing");
    int plays = h.ari("POST", "/play").size();
    Call.updater(sid).setTwiml(new Twiml("<Response><Say>Redirected.</Say>"
        + "<Pause length=\"60\"/></Response>")).update(h.twilio);
    h.awaitTrue(() -> h.ari("POST", "/play").size() > plays, "the redirected TwiML playing");

    int hangups = h.ari("DELETE", "/channels/").size();
    Call completed = Call.updater(sid).setStatus(Call.UpdateStatus.COMPLETED).update(h.twilio);
    assertEquals(sid, completed.getSid());
    WebhookApp.Webhook last =
        h.app.await("/call-status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    assertTrue(Integer.parseInt(last.param("CallDuration")) >= 0);
    h.awaitTrue(() -> h.ari("DELETE", "/channels/").size() > hangups, "the hangup");
    assertEquals(Call.Status.COMPLETED, Call.fetcher(sid).fetch(h.twilio).getStatus());

    ApiException ended = assertThrows(ApiException.class, () -> Call.updater(sid)
        .setTwiml(new Twiml("<Response><Hangup/></Response>")).update(h.twilio));
    assertEquals(21220, ended.getCode(), ended.getMessage());
    assertEquals(400, ended.getStatusCode());
  }

  @Test
  void sendDigitsAreDialledOnAnswer() {
    Call created = Call.creator(new PhoneNumber(CALLEE), new PhoneNumber("+15550009999"),
            new Twiml("<Response><Pause length=\"60\"/></Response>"))
        .setSendDigits("1234w#").create(h.twilio);
    String sid = created.getSid();
    h.awaitTrue(() -> h.ari("POST", "/dtmf").stream()
        .anyMatch(r -> (r.query() + r.body()).contains("dtmf=1234w%23")), "the digits as DTMF");
    Call.updater(sid).setStatus(Call.UpdateStatus.COMPLETED).update(h.twilio);
    h.awaitTrue(() -> Call.fetcher(sid).fetch(h.twilio).getStatus() == Call.Status.COMPLETED,
        "the call over");

    ApiException bad = assertThrows(ApiException.class, () -> Call.creator(
        new PhoneNumber(CALLEE), new PhoneNumber("+15550009999"), h.app.url("/outbound"))
        .setSendDigits("12x").create(h.twilio));
    assertEquals(21200, bad.getCode());
    assertEquals(400, bad.getStatusCode());
  }

  @Test
  void parameterErrorsCarryTwiliosCodes() {
    ApiException badTo = assertThrows(ApiException.class, () -> Call.creator(
        new PhoneNumber("not a number"), new PhoneNumber("+15550009999"),
        h.app.url("/outbound")).create(h.twilio));
    assertEquals(21211, badTo.getCode());
    ApiException unknown = assertThrows(ApiException.class,
        () -> Call.fetcher("CA00000000000000000000000000000000").fetch(h.twilio));
    assertEquals(20404, unknown.getCode());
    assertEquals(404, unknown.getStatusCode());
  }
}
