package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.Recording;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimLog;

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
  void recordTrueRecordsTheWholeCallFromItsAnswerInTwoChannels() throws Exception {
    Call created = Call.creator(new PhoneNumber(CALLEE), new PhoneNumber("+15550009999"),
            h.app.url("/outbound"))
        .setRecord(true).setRecordingChannels("dual").setRecordingTrack("both")
        .setRecordingStatusCallback(h.app.url("/call-rec").toString())
        .setRecordingStatusCallbackEvent(List.of("in-progress", "completed"))
        .setRecordingStatusCallbackMethod(HttpMethod.POST)
        .create(h.twilio);
    String sid = created.getSid();
    WebhookApp.Webhook started = h.app.await("/call-rec", sid, Map.of(
        "RecordingStatus", "in-progress", "RecordingSource", "OutboundAPI",
        "RecordingChannels", "2", "RecordingTrack", "both"), CompatHarness.WAIT);
    String recordingSid = started.param("RecordingSid");
    // One snoop per party of the answered call: what it says (spy=in) is the first channel.
    List<SimLog.Request> snoops = h.ari("POST", "/snoop");
    SimLog.Request heard = snoops.stream().filter(r -> (r.query() + r.body()).contains("spy=in"))
        .findFirst().orElseThrow(() -> new AssertionError("no spy=in snoop: " + snoops));
    assertTrue(snoops.stream().anyMatch(r -> (r.query() + r.body()).contains("spy=out")),
        "spy=out: " + snoops);
    String leg = heard.path().split("/")[heard.path().split("/").length - 2];
    assertEquals(sid, CompatHarness.callSid(leg));
    String first = snoopId(heard);
    assertTrue(h.ari("POST", "/channels/" + first + "/record").stream()
        .anyMatch(r -> (r.query() + r.body()).contains("name=" + recordingSid + "-1")),
        "channel 1 recorded");
    var running = all(com.twilio.rest.api.v2010.account.call.Recording.reader(sid)
        .read(h.twilio));
    assertEquals(List.of(recordingSid), running.stream().map(r -> r.getSid()).toList());
    assertEquals(Integer.valueOf(2), running.get(0).getChannels());
    assertEquals(com.twilio.rest.api.v2010.account.call.Recording.Source.OUTBOUND_API,
        running.get(0).getSource());
    h.sim.speak(leg, Duration.ofSeconds(30));

    Call.updater(sid).setStatus(Call.UpdateStatus.COMPLETED).update(h.twilio);
    WebhookApp.Webhook done = h.app.await("/call-rec", sid, Map.of("RecordingSid", recordingSid,
        "RecordingStatus", "completed", "RecordingChannels", "2"), CompatHarness.WAIT);
    assertTrue(Integer.parseInt(done.param("RecordingDuration")) >= 0);
    Recording fetched = Recording.fetcher(recordingSid).fetch(h.twilio);
    assertEquals(sid, fetched.getCallSid());
    assertEquals(Recording.Status.COMPLETED, fetched.getStatus());
    assertEquals(Recording.Source.OUTBOUND_API, fetched.getSource());
    assertEquals(Integer.valueOf(2), fetched.getChannels());
    assertEquals(List.of(recordingSid), all(Recording.reader().setCallSid(sid).read(h.twilio))
        .stream().map(Recording::getSid).toList());
    byte[] wav = RecordingsCompatTest.get(fetched.getMediaUrl());
    assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.US_ASCII));
    assertEquals(2, ByteBuffer.wrap(wav, 22, 2).order(ByteOrder.LITTLE_ENDIAN).getShort(),
        "a stereo WAV");
    assertTrue(RecordingsCompatTest.isMp3(
        RecordingsCompatTest.get(URI.create(done.param("RecordingUrl") + ".mp3"))), "the MP3");
    assertTrue(h.sim.storedRecordings().containsAll(
        List.of(recordingSid + "-1", recordingSid + "-2")), "both channels stored");
  }

  /** The snoop channel id a {@code POST /channels/{id}/snoop} asked for. */
  private static String snoopId(SimLog.Request snoop) {
    for (String pair : (snoop.query() + "&" + snoop.body()).split("&")) {
      if (pair.startsWith("snoopId=")) {
        return java.net.URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no snoopId in " + snoop);
  }

  @Test
  void badRecordingParametersAre21200() {
    for (var bad : List.<java.util.function.UnaryOperator<com.twilio.rest.api.v2010.account
        .CallCreator>>of(c -> c.setRecordingChannels("quad"), c -> c.setRecordingTrack("left"),
            c -> c.setRecordingStatusCallbackEvent(List.of("started")))) {
      ApiException error = assertThrows(ApiException.class, () -> bad.apply(Call.creator(
          new PhoneNumber(CALLEE), new PhoneNumber("+15550009999"), h.app.url("/outbound"))
          .setRecord(true)).create(h.twilio));
      assertEquals(21200, error.getCode(), error.getMessage());
      assertEquals(400, error.getStatusCode());
    }
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
