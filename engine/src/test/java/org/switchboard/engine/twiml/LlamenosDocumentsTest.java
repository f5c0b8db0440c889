package org.switchboard.engine.twiml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.twiml.Fixtures.url;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.Gather;
import org.switchboard.engine.twiml.verb.Hangup;
import org.switchboard.engine.twiml.verb.Leave;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.Parameter;
import org.switchboard.engine.twiml.verb.Play;
import org.switchboard.engine.twiml.verb.Queue;
import org.switchboard.engine.twiml.verb.Record;
import org.switchboard.engine.twiml.verb.RecordingEvent;
import org.switchboard.engine.twiml.verb.Redirect;
import org.switchboard.engine.twiml.verb.Reject;
import org.switchboard.engine.twiml.verb.Say;
import org.switchboard.engine.twiml.verb.Sip;
import org.switchboard.engine.twiml.verb.Stream;
import org.switchboard.engine.twiml.verb.Verb;
import org.switchboard.engine.twiml.verb.WaitUrl;

/** The documents the Llamenos hotline and the Amber assistant actually send. */
class LlamenosDocumentsTest {

  @Test
  void languageMenuGathersOneDigitOverSeveralLanguagesThenRedirects() throws Exception {
    TwimlDocument doc = Fixtures.parse("llamenos/language-menu.xml");

    assertEquals(Fixtures.HOTLINE, doc.url());
    assertEquals(List.of(), doc.warnings());
    assertEquals(2, doc.verbs().size());
    Gather gather = assertInstanceOf(Gather.class, doc.verbs().get(0));
    assertEquals(OptionalInt.of(1), gather.numDigits());
    assertEquals(8, gather.timeout());
    assertEquals(Method.POST, gather.method());
    assertEquals(url("https://hotline.example.org/api/telephony/language-selected?hub=main"),
        gather.action());
    assertEquals(
        List.of("en-US", "es-MX", "fr-FR", "zh-CN"),
        gather.prompts().stream().map(p -> ((Say) p).language()).toList());
    assertEquals(
        List.of("For English, press 1.", "Para español, marque 2.",
            "Pour le français, appuyez sur 3.", "中文请按4。"),
        gather.prompts().stream().map(p -> ((Say) p).text()).toList());

    Redirect redirect = assertInstanceOf(Redirect.class, doc.verbs().get(1));
    assertEquals(
        url("https://hotline.example.org/api/telephony/language-selected?auto=1&forceLang=en"),
        redirect.url());
    assertEquals(Method.POST, redirect.method());
  }

  @Test
  void captchaActionKeepsBothQueryParameters() throws Exception {
    List<Verb> verbs = Fixtures.verbs("llamenos/captcha.xml");

    Gather gather = assertInstanceOf(Gather.class, verbs.get(0));
    assertEquals("callSid=CA5e1f00c0ffee&lang=es", gather.action().getQuery());
    assertEquals(url("https://hotline.example.org/api/telephony/captcha?callSid=CA5e1f00c0ffee&lang=es"),
        gather.action());
    assertEquals(OptionalInt.of(4), gather.numDigits());
    assertEquals(10, gather.timeout());
    assertEquals("#", gather.finishOnKey());
    Say prompt = assertInstanceOf(Say.class, gather.prompts().get(0));
    assertEquals("Para continuar, marque los números: 7, 3, 9, 1.", prompt.text());
    assertInstanceOf(Say.class, verbs.get(1));
    assertEquals(new Hangup(), verbs.get(2));
  }

  @Test
  void enqueueWithWaitUrlAndAction() throws Exception {
    List<Verb> verbs = Fixtures.verbs("llamenos/enqueue.xml");

    Enqueue enqueue = assertInstanceOf(Enqueue.class, verbs.get(1));
    assertEquals("CA5e1f00c0ffee", enqueue.name());
    assertEquals(new WaitUrl.Fetch(url("https://hotline.example.org/api/telephony/wait-music?lang=en")),
        enqueue.waitUrl());
    assertEquals(Method.POST, enqueue.waitUrlMethod());
    assertEquals(
        Optional.of(url("https://hotline.example.org/api/telephony/queue-exit?callSid=CA5e1f00c0ffee&lang=en")),
        enqueue.action());
    assertEquals(Method.POST, enqueue.method());
    assertEquals(OptionalInt.empty(), enqueue.maxQueueSize());
  }

  @Test
  void waitMusicDocumentMayEndWithLeave() throws Exception {
    List<Verb> verbs = Fixtures.verbs("llamenos/wait-music.xml");

    assertEquals(Play.of(url("https://cdn.example.org/hold/calm-piano.mp3")), verbs.get(1));
    assertEquals(new Leave(), verbs.get(2));
  }

  @Test
  void voicemailRecordsThenHangsUp() throws Exception {
    List<Verb> verbs = Fixtures.verbs("llamenos/voicemail.xml");

    Record record = assertInstanceOf(Record.class, verbs.get(1));
    assertEquals(120, record.maxLength());
    assertTrue(record.playBeep());
    assertEquals("#", record.finishOnKey());
    assertEquals(
        url("https://hotline.example.org/api/telephony/voicemail-complete?callSid=CA5e1f00c0ffee&lang=en"),
        record.action());
    assertEquals(
        Optional.of(url("https://hotline.example.org/api/telephony/voicemail-recording?callSid=CA5e1f00c0ffee")),
        record.recordingStatusCallback().url());
    assertEquals(Set.of(RecordingEvent.COMPLETED), record.recordingStatusCallback().events());
    assertEquals(new Hangup(), verbs.get(2));
  }

  @Test
  void reject() throws Exception {
    assertEquals(List.of(new Reject(Reject.Reason.REJECTED)), Fixtures.verbs("llamenos/reject.xml"));
  }

  @Test
  void volunteerBridgeRecordsFromAnswerAndDequeues() throws Exception {
    Dial dial = assertInstanceOf(Dial.class, Fixtures.verbs("llamenos/volunteer-bridge.xml").get(0));

    assertEquals(Dial.Record.RECORD_FROM_ANSWER, dial.record());
    assertEquals(
        Optional.of(url("https://hotline.example.org/api/telephony/call-recording?parentCallSid=CA5e1f00c0ffee&pubkey=vol7")),
        dial.recordingStatusCallback().url());
    assertEquals(List.of(new Queue("CA5e1f00c0ffee", Optional.empty(), Method.POST)), dial.nouns());
    assertEquals(Optional.empty(), dial.action());
  }

  @Test
  void amberDialsSipWithTheUriIntact() throws Exception {
    Dial dial = assertInstanceOf(Dial.class, Fixtures.verbs("amber/dial-sip.xml").get(0));

    assertTrue(dial.answerOnBridge());
    assertEquals(List.of(Sip.of("sip:proj@sip.example.com;transport=tls;x_id=abc")), dial.nouns());
  }

  @Test
  void connectStreamWithParameters() throws Exception {
    List<Verb> verbs = Fixtures.verbs("amber/connect-stream.xml");

    Connect connect = assertInstanceOf(Connect.class, verbs.get(0));
    assertEquals(Optional.of(url("https://hotline.example.org/voice/stream-ended")), connect.action());
    Stream stream = connect.stream();
    assertEquals(url("wss://ai.example.com/media"), stream.url());
    assertEquals(Optional.of("amber-session"), stream.name());
    assertEquals(Stream.Track.INBOUND_TRACK, stream.track());
    assertEquals(Optional.of(url("https://hotline.example.org/voice/stream-status")),
        stream.statusCallback());
    assertEquals(Method.GET, stream.statusCallbackMethod());
    assertEquals(
        List.of(new Parameter("callerNumber", "+15551230000"),
            new Parameter("persona", "amber & friends")),
        stream.parameters());
    assertEquals("The assistant has hung up.", ((Say) verbs.get(1)).text());
  }
}
