package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.call.CallFixture.APP;
import static org.switchboard.engine.call.CallFixture.WAIT;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.testing.FakeWebhookPort;

/** A CallActor against fake ARI and a scripted application, timers driven by ManualTime. */
class CallActorTest {
  static final ActorTestKit kit =
      ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  static final ManualTime time = ManualTime.get(kit.system());

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  private static CallFixture fixture() {
    return new CallFixture(kit);
  }

  @Test
  void languageMenuSendsTheStandardParamsAndTheDigit() {
    CallFixture f = fixture();
    f.web.twiml(APP + "/voice",
        "<Response><Gather numDigits=\"1\" action=\"/lang\"><Say>For English press 1</Say>"
            + "<Say>Pour le français, 2</Say></Gather><Redirect>/voice</Redirect></Response>");
    f.web.twiml(APP + "/lang", "<Response><Hangup/></Response>");
    f.start();
    FakeWebhookPort.Seen initial = f.web.nextFetch(WAIT);
    assertEquals("ringing", initial.param("CallStatus"));
    assertEquals("+15551230001", initial.param("From"));
    assertEquals("+15559870000", initial.param("To"));
    assertEquals("+15559870000", initial.param("Called"));
    assertEquals("inbound", initial.param("Direction"));
    assertEquals("2010-04-01", initial.param("ApiVersion"));
    assertEquals("Alice", initial.param("CallerName"));
    assertEquals("abc@10.0.0.1", initial.param("SipCallId"));
    assertEquals(f.callSid, initial.param("CallSid"));
    f.ari.expect("answer", WAIT);
    assertEquals(List.of("sound:tts/For English press 1"), f.expectPlayMedia());
    f.digit("2");
    f.ari.expect("stopPlayback", WAIT);
    FakeWebhookPort.Seen lang = f.web.nextFetch(WAIT);
    assertEquals(URI.create(APP + "/lang"), lang.url());
    assertEquals("2", lang.param("Digits"));
    assertEquals("in-progress", lang.param("CallStatus"));
    assertEquals(HangupReason.NORMAL, f.ari.expect("hangup", WAIT).arg(1));
    FakeWebhookPort.Seen last = f.expectFinalStatus();
    assertEquals("completed", last.param("CallStatus"));
  }

  @Test
  void captchaActionKeepsItsQueryString() {
    CallFixture f = fixture();
    f.web.twiml(APP + "/voice",
        "<Response><Gather numDigits=\"4\" action=\"/captcha?attempt=2&amp;lang=en\">"
            + "<Say>Enter 1234</Say></Gather></Response>");
    f.start();
    f.web.nextFetch(WAIT);
    f.expectPlay();
    for (String d : List.of("1", "2", "3", "4")) {
      f.digit(d);
    }
    FakeWebhookPort.Seen captcha = f.web.nextFetch(WAIT);
    assertEquals(URI.create(APP + "/captcha?attempt=2&lang=en"), captcha.url());
    assertEquals("1234", captcha.param("Digits"));
  }

  @Test
  void gatherTimeoutFallsThroughToTheNextVerb() {
    CallFixture f = fixture();
    f.web.twiml(APP + "/voice",
        "<Response><Gather timeout=\"3\"><Say>Press a key</Say></Gather><Say>Goodbye</Say></Response>");
    f.start();
    f.playbackFinished(f.expectPlay());
    time.expectNoMessageFor(Duration.ofMillis(2900), kit.createTestProbe());
    f.ari.expectNone(Duration.ofMillis(100));
    time.timePasses(Duration.ofMillis(200));
    assertEquals(List.of("sound:tts/Goodbye"), f.expectPlayMedia());
  }

  @Test
  void recordWithFinishOnKeyPostsTheRecording() {
    CallFixture f = fixture();
    f.web.twiml(APP + "/voice",
        "<Response><Record action=\"/rec\" finishOnKey=\"5\" recordingStatusCallback=\"/rcb\"/></Response>");
    f.web.twiml(APP + "/rec", "<Response><Hangup/></Response>");
    f.start();
    AriPort.RecordRequest request = f.ari.expect("record", WAIT).arg(1);
    String sid = request.name();
    assertEquals("none", request.terminateOn());
    f.deliver(new ChannelEvent.RecordingStarted(CallFixture.SERVER, Instant.now(), sid,
        Optional.of(CallFixture.CHANNEL), Optional.empty()));
    f.digit("5");
    f.ari.expect("stopRecording", WAIT);
    f.deliver(new ChannelEvent.RecordingFinished(CallFixture.SERVER, Instant.now(), sid,
        Optional.of(CallFixture.CHANNEL), Optional.empty(), 4));
    FakeWebhookPort.Seen rec = f.web.nextFetch(WAIT);
    rec = f.web.nextFetch(WAIT);
    assertEquals(URI.create(APP + "/rec"), rec.url());
    assertEquals("5", rec.param("Digits"));
    assertEquals("4", rec.param("RecordingDuration"));
    assertEquals(sid, rec.param("RecordingSid"));
    f.ari.expect("hangup", WAIT);
  }

  @Test
  void hangupDuringRecordingStillSendsActionAndCallbacks() {
    CallFixture f = fixture();
    f.web.twiml(APP + "/voice",
        "<Response><Record action=\"/rec\" recordingStatusCallback=\"/rcb\"/></Response>");
    f.start();
    f.web.nextFetch(WAIT);
    String sid = f.ari.expect("record", WAIT).<AriPort.RecordRequest>arg(1).name();
    f.deliver(new ChannelEvent.RecordingStarted(CallFixture.SERVER, Instant.now().minusSeconds(9),
        sid, Optional.of(CallFixture.CHANNEL), Optional.empty()));
    f.callerHangsUp();
    f.ari.expect("stopRecording", WAIT);
    FakeWebhookPort.Seen action = f.web.nextFetch(WAIT);
    assertEquals(URI.create(APP + "/rec"), action.url());
    assertEquals("hangup", action.param("Digits"));
    FakeWebhookPort.Seen recording = f.web.nextNotify(WAIT);
    while (!recording.url().toString().equals(APP + "/rcb")) {
      recording = f.web.nextNotify(WAIT);
    }
    assertEquals("completed", recording.param("RecordingStatus"));
    assertEquals(sid, recording.param("RecordingSid"));
    f.expectFinalStatus();
    assertFalse(f.ari.history().stream().anyMatch(c -> c.startsWith("hangup")));
  }

  @Test
  void rejectBeforeAnswerNeverAnswers() {
    CallFixture f = fixture();
    f.web.twiml(APP + "/voice", "<Response><Reject reason=\"busy\"/></Response>");
    f.start();
    assertEquals(HangupReason.BUSY, f.ari.expect("hangup", WAIT).arg(1));
    assertEquals("busy", f.expectFinalStatus().param("CallStatus"));
    assertFalse(f.ari.history().stream().anyMatch(c -> c.startsWith("answer")));
  }

  @Test
  void redirectLoopEndsWithTheErrorPrompt() {
    CallFixture f = fixture();
    f.maxDocuments = 3;
    f.web.twiml(APP + "/voice", "<Response><Redirect/></Response>");
    f.start();
    f.ari.expect("answer", WAIT);
    assertEquals(List.of("sound:app-error"), f.ari.expect("play", WAIT).arg(2));
    int fetches = 0;
    while (true) {
      try {
        f.web.nextFetch(Duration.ofMillis(200));
        fetches++;
      } catch (AssertionError done) {
        break;
      }
    }
    assertEquals(4, fetches);
  }

  @Test
  void serverErrorGoesToTheFallbackUrl() {
    CallFixture f = fixture();
    f.fallback = Optional.of(URI.create(APP + "/fallback"));
    f.web.respond(APP + "/voice", 500, "text/html", "boom");
    f.web.twiml(APP + "/fallback", "<Response><Say>Sorry</Say></Response>");
    f.start();
    f.web.nextFetch(WAIT);
    FakeWebhookPort.Seen fallback = f.web.nextFetch(WAIT);
    assertEquals(URI.create(APP + "/fallback"), fallback.url());
    assertEquals("11200", fallback.param("ErrorCode"));
    assertEquals(APP + "/voice", fallback.param("ErrorUrl"));
    assertEquals(List.of("sound:tts/Sorry"), f.expectPlayMedia());
  }

  @Test
  void malformedTwimlPlaysTheErrorPromptThenHangsUp() {
    CallFixture f = fixture();
    f.web.twiml(APP + "/voice", "<Response><Say>unclosed</Response>");
    f.start();
    f.ari.expect("answer", WAIT);
    String id = f.expectPlay();
    f.playbackFinished(id);
    f.ari.expect("hangup", WAIT);
    assertEquals("completed", f.expectFinalStatus().param("CallStatus"));
  }

  @Test
  void callerHangupMidPlaybackStopsItAndReportsOnce() {
    CallFixture f = fixture();
    f.web.twiml(APP + "/voice", "<Response><Play loop=\"0\">https://cdn.test/music.mp3</Play></Response>");
    f.start();
    String id = f.expectPlay();
    f.callerHangsUp();
    assertEquals(id, f.ari.expect("stopPlayback", WAIT).arg(1));
    FakeWebhookPort.Seen last = f.expectFinalStatus();
    assertEquals("completed", last.param("CallStatus"));
    f.call.tell(new CallCommand.Deliver(
        new ChannelEvent.StasisLeft(CallFixture.SERVER, Instant.now(), CallFixture.CHANNEL),
        f.acks.ref()));
    f.web.expectNoNotify(Duration.ofMillis(200));
    assertFalse(f.ari.history().stream().anyMatch(c -> c.startsWith("hangup")));
  }

  @Test
  void restHangupAndSnapshot() {
    CallFixture f = fixture();
    f.web.twiml(APP + "/voice", "<Response><Pause length=\"30\"/></Response>");
    f.start();
    f.web.nextFetch(WAIT);
    TestProbe<CallSnapshot> snapshots = kit.createTestProbe();
    f.call.tell(new CallCommand.GetSnapshot(snapshots.ref()));
    CallSnapshot snapshot = snapshots.expectMessageClass(CallSnapshot.class, WAIT);
    assertEquals("ringing", snapshot.status());
    assertEquals(1, f.active.count());
    f.call.tell(new CallCommand.HangUp("api"));
    f.ari.expect("hangup", WAIT);
    assertEquals("canceled", f.expectFinalStatus().param("CallStatus"));
    assertTrue(f.active.count() == 0);
  }
}
