package org.switchboard.engine.twiml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.switchboard.engine.twiml.Fixtures.url;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.twiml.verb.CallEvent;
import org.switchboard.engine.twiml.verb.Client;
import org.switchboard.engine.twiml.verb.Conference;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.MachineDetection;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.Number;
import org.switchboard.engine.twiml.verb.Parameter;
import org.switchboard.engine.twiml.verb.RecordingEvent;
import org.switchboard.engine.twiml.verb.RecordingStatusCallback;
import org.switchboard.engine.twiml.verb.Sip;
import org.switchboard.engine.twiml.verb.StatusCallback;
import org.switchboard.engine.twiml.verb.Trim;
import org.switchboard.engine.twiml.verb.Verb;
import org.switchboard.engine.twiml.verb.WaitUrl;

/** {@code <Dial>} attributes and its nouns Number, Client, Sip, Conference (Queue: Llamenos). */
class DialNounsTest {

  private static String base(String path) {
    return "https://hotline.example.org" + path;
  }

  @Test
  void dialEveryAttributeAndNoun() throws Exception {
    TwimlDocument doc = Fixtures.parse("verbs/dial.xml");
    Dial dial = assertInstanceOf(Dial.class, doc.verbs().get(0));

    assertEquals(Optional.of(url(base("/dial-done"))), dial.action());
    assertEquals(Method.GET, dial.method());
    assertEquals(20, dial.timeout());
    assertEquals(true, dial.hangupOnStar());
    assertEquals(600, dial.timeLimit());
    assertEquals(Optional.of("+15550001111"), dial.callerId());
    assertEquals(Dial.Record.RECORD_FROM_RINGING_DUAL, dial.record());
    assertEquals(Dial.RecordingTrack.INBOUND, dial.recordingTrack());
    assertEquals(Trim.TRIM_SILENCE, dial.trim());
    assertEquals(new RecordingStatusCallback(Optional.of(url(base("/rec"))), Method.GET,
        Set.of(RecordingEvent.IN_PROGRESS, RecordingEvent.COMPLETED)), dial.recordingStatusCallback());
    assertEquals(true, dial.answerOnBridge());
    assertEquals(Optional.of(Dial.RingTone.US_OLD), dial.ringTone());
    assertEquals(true, dial.sequential());
    assertEquals(Optional.of(url(base("/refer"))), dial.referUrl());
    assertEquals(Method.GET, dial.referMethod());

    assertEquals(new Number("+15551112222", Optional.of("ww1234#"),
            Optional.of(url(base("/whisper"))), Method.GET,
            new StatusCallback(Optional.of(url(base("/status"))), Method.GET,
                Set.of(CallEvent.values())),
            Optional.of(new MachineDetection(MachineDetection.Mode.DETECT_MESSAGE_END, 10, 3000,
                800, 4000, Optional.of(url(base("/amd"))), Method.GET))),
        dial.nouns().get(0));
    assertEquals(new Client("alice", List.of(new Parameter("ticket", "42")),
            Optional.of(url(base("/client-whisper"))), Method.POST,
            new StatusCallback(Optional.of(url(base("/client-status"))), Method.POST,
                Set.of(CallEvent.ANSWERED))),
        dial.nouns().get(1));
    assertEquals(new Client("bob", List.of(), Optional.empty(), Method.POST, StatusCallback.NONE),
        dial.nouns().get(2));
    assertEquals(new Sip(
            "sips:agent@pbx.example.com:5061;transport=tls?x-ticket=42&User-to-User=abc",
            Optional.of("u"), Optional.of("p&w"), Optional.of(url(base("/sip-whisper"))),
            Method.GET, new StatusCallback(Optional.of(url(base("/sip-status"))), Method.POST,
                Set.of(CallEvent.RINGING)),
            Optional.empty()),
        dial.nouns().get(3));
  }

  @Test
  void plainTextNumberRecordAliasesAndTimeoutClamping() throws Exception {
    TwimlDocument doc = Fixtures.parse("verbs/dial.xml");
    List<Verb> verbs = doc.verbs();

    Dial shortTimeout = assertInstanceOf(Dial.class, verbs.get(1));
    assertEquals(Dial.MIN_TIMEOUT, shortTimeout.timeout());
    assertEquals(Dial.Record.RECORD_FROM_ANSWER, shortTimeout.record());
    assertEquals(List.of(Number.of("1000")), shortTimeout.nouns());

    Dial longTimeout = assertInstanceOf(Dial.class, verbs.get(2));
    assertEquals(Dial.MAX_TIMEOUT, longTimeout.timeout());
    assertEquals(Dial.Record.DO_NOT_RECORD, longTimeout.record());
    assertEquals(List.of(
            new TwimlWarning(21, 3, "<Dial> timeout=\"2\" clamped to 5..600"),
            new TwimlWarning(22, 3, "<Dial> timeout=\"9000\" clamped to 5..600")),
        doc.warnings());
  }

  @Test
  void conferenceEveryAttributeAndWaitUrlForms() throws Exception {
    List<Verb> verbs = Fixtures.verbs("verbs/conference.xml");

    Conference full = (Conference) ((Dial) verbs.get(0)).nouns().get(0);
    assertEquals(new Conference("Room 1", true, Conference.Beep.ON_ENTER, false, true,
            Optional.of("volunteer-7"), new WaitUrl.Fetch(url(base("/hold"))), Method.GET, 10,
            Conference.Record.RECORD_FROM_START, Trim.DO_NOT_TRIM,
            new Conference.EventCallback(Optional.of(url(base("/conf-events"))), Method.GET,
                Set.of(Conference.Event.values())),
            new RecordingStatusCallback(Optional.of(url(base("/conf-rec"))), Method.GET,
                Set.of(RecordingEvent.COMPLETED))),
        full);

    Conference quiet = (Conference) ((Dial) verbs.get(1)).nouns().get(0);
    assertEquals(new WaitUrl.Silence(), quiet.waitUrl());
    assertEquals(Method.POST, quiet.waitMethod());

    Conference defaults = (Conference) ((Dial) verbs.get(2)).nouns().get(0);
    assertEquals(new Conference("Defaults", false, Conference.Beep.TRUE, true, false,
            Optional.empty(), new WaitUrl.DefaultMusic(), Method.GET, 250,
            Conference.Record.DO_NOT_RECORD, Trim.TRIM_SILENCE, Conference.EventCallback.NONE,
            RecordingStatusCallback.NONE),
        defaults);
  }

  @Test
  void recordEnumAcceptsWireValuesAndBooleanAliasesOnly() {
    assertEquals(Optional.of(Dial.Record.RECORD_FROM_ANSWER_DUAL),
        Dial.Record.parse("record-from-answer-dual"));
    assertEquals(Optional.of(Dial.Record.RECORD_FROM_ANSWER), Dial.Record.parse("true"));
    assertEquals(Optional.of(Dial.Record.DO_NOT_RECORD), Dial.Record.parse("false"));
    assertEquals(Optional.empty(), Dial.Record.parse("Record-From-Answer"));
    assertEquals(Optional.of(Conference.Record.RECORD_FROM_START), Conference.Record.parse("true"));
    assertEquals("us-old", Dial.RingTone.US_OLD.wire());
  }
}
