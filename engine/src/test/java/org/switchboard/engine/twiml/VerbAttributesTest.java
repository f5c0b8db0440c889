package org.switchboard.engine.twiml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.switchboard.engine.twiml.Fixtures.url;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.Gather;
import org.switchboard.engine.twiml.verb.Hangup;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.Parameter;
import org.switchboard.engine.twiml.verb.Pause;
import org.switchboard.engine.twiml.verb.Play;
import org.switchboard.engine.twiml.verb.Record;
import org.switchboard.engine.twiml.verb.RecordingEvent;
import org.switchboard.engine.twiml.verb.RecordingStatusCallback;
import org.switchboard.engine.twiml.verb.Redirect;
import org.switchboard.engine.twiml.verb.Refer;
import org.switchboard.engine.twiml.verb.Reject;
import org.switchboard.engine.twiml.verb.Say;
import org.switchboard.engine.twiml.verb.Start;
import org.switchboard.engine.twiml.verb.Stop;
import org.switchboard.engine.twiml.verb.Stream;
import org.switchboard.engine.twiml.verb.Trim;
import org.switchboard.engine.twiml.verb.Verb;
import org.switchboard.engine.twiml.verb.WaitUrl;

/** Every attribute of every verb (Dial and its nouns: {@link DialNounsTest}). */
class VerbAttributesTest {

  @Test
  void sayKeepsSsmlAndFlattensTheTextToSpeak() throws Exception {
    List<Verb> verbs = Fixtures.verbs("verbs/say.xml");

    Say say = assertInstanceOf(Say.class, verbs.get(0));
    assertEquals(Optional.of("Polly.Joanna-Neural"), say.voice());
    assertEquals("en-GB", say.language());
    assertEquals(0, say.loop());
    assertEquals(Say.MAX_LOOP, say.iterations());
    assertEquals("Hello caller, your code is 1234. World Wide Web Consortium Tom & Jerry <3",
        say.text());
    assertEquals("""
        Hello <break strength="strong" time="500ms"/>
            <emphasis level="strong">caller</emphasis>, your code is
            <say-as interpret-as="digits">1234</say-as>. \
        <sub alias="World Wide Web Consortium">W3C</sub>
            <prosody rate="slow" volume="loud">Tom &amp; Jerry &lt;3</prosody>""",
        say.ssml());

    Say plain = assertInstanceOf(Say.class, verbs.get(1));
    assertEquals("Plain & simple", plain.text());
    assertEquals("Plain &amp; simple", plain.ssml());
    assertEquals(3, plain.iterations());
  }

  @Test
  void playUrlLoopAndDigits() throws Exception {
    List<Verb> verbs = Fixtures.verbs("verbs/play.xml");

    assertEquals(new Play(Optional.of(url("https://cdn.example.com/music.mp3")), 0,
        Optional.empty()), verbs.get(0));
    assertEquals(new Play(Optional.empty(), 1, Optional.of("wwww3#*ABCDW")), verbs.get(1));
    assertEquals(new Play(Optional.of(url("https://hotline.example.org/api/beep.wav")), 2,
        Optional.of("1")), verbs.get(2));
  }

  @Test
  void pauseLength() throws Exception {
    assertEquals(List.of(new Pause(7)), Fixtures.verbs("verbs/pause.xml"));
  }

  @Test
  void gatherEveryAttribute() throws Exception {
    List<Verb> verbs = Fixtures.verbs("verbs/gather.xml");

    Gather gather = assertInstanceOf(Gather.class, verbs.get(0));
    assertEquals(Set.of(Gather.Input.DTMF, Gather.Input.SPEECH), gather.input());
    assertEquals(url("https://hotline.example.org/api/telephony/gathered?step=2"), gather.action());
    assertEquals(Method.GET, gather.method());
    assertEquals(3, gather.timeout());
    assertEquals(Gather.SpeechTimeout.AUTO, gather.speechTimeout());
    assertEquals("*", gather.finishOnKey());
    assertEquals(OptionalInt.of(6), gather.numDigits());
    assertEquals(true, gather.actionOnEmptyResult());
    assertEquals(Optional.of(url("https://asr.example.com/partial")), gather.partialResultCallback());
    assertEquals(Method.GET, gather.partialResultCallbackMethod());
    assertEquals("fr-CA", gather.language());
    assertEquals(List.of("oui", "non", "peut-être"), gather.hints());
    assertEquals(false, gather.profanityFilter());
    assertEquals("phone_call", gather.speechModel());
    assertEquals(false, gather.bargeIn());
    assertEquals(List.of(Say.of("Dites oui ou non."),
            Play.of(url("https://hotline.example.org/prompt.wav")), new Pause(2)),
        gather.prompts());

    Gather speechOnly = assertInstanceOf(Gather.class, verbs.get(1));
    assertEquals("", speechOnly.finishOnKey());
    assertEquals(Gather.SpeechTimeout.seconds(4), speechOnly.speechTimeout());
    assertEquals(Set.of(Gather.Input.SPEECH), speechOnly.input());
  }

  @Test
  void recordEveryAttribute() throws Exception {
    List<Verb> verbs = Fixtures.verbs("verbs/record.xml");

    assertEquals(new Record(url("https://hotline.example.org/recorded"), Method.GET, 0, "*#", 600,
            false, Trim.DO_NOT_TRIM,
            new RecordingStatusCallback(Optional.of(url("https://cb.example.com/rec")), Method.GET,
                Set.of(RecordingEvent.IN_PROGRESS, RecordingEvent.COMPLETED, RecordingEvent.ABSENT)),
            true, Optional.of(url("https://hotline.example.org/transcribed"))),
        verbs.get(0));
    Record transcribed = assertInstanceOf(Record.class, verbs.get(1));
    assertEquals(Record.DEFAULT_MAX_LENGTH_TRANSCRIBED, transcribed.maxLength());
  }

  @Test
  void enqueueEveryAttributeAndWaitUrlForms() throws Exception {
    List<Verb> verbs = Fixtures.verbs("verbs/enqueue.xml");

    assertEquals(new Enqueue("support", Optional.of(url("https://hotline.example.org/left")),
            Method.GET, new WaitUrl.Fetch(url("https://hotline.example.org/wait")), Method.GET,
            OptionalInt.of(25)),
        verbs.get(0));
    Enqueue silent = assertInstanceOf(Enqueue.class, verbs.get(1));
    assertEquals(new WaitUrl.Silence(), silent.waitUrl());
    Enqueue posted = assertInstanceOf(Enqueue.class, verbs.get(2));
    assertEquals(Method.POST, posted.waitUrlMethod());
  }

  @Test
  void unknownTagsInSayAreStrippedWithAWarningKeepingTheirText() throws Exception {
    TwimlDocument doc = new TwimlParser().parse(
        ("<Response><Say>Hi <shout>there</shout> <break time=\"1s\"/>"
            + "<lang xml:lang=\"fr-FR\">bonjour</lang></Say></Response>")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8), Fixtures.HOTLINE);
    Say say = assertInstanceOf(Say.class, doc.verbs().get(0));
    assertEquals("Hi there bonjour", say.text());
    assertEquals("Hi there <break time=\"1s\"/><lang xml:lang=\"fr-FR\">bonjour</lang>", say.ssml());
    assertEquals(1, doc.warnings().size());
    assertTrue(doc.warnings().get(0).message().contains("<shout>"), doc.warnings().toString());
    org.switchboard.engine.script.MediaRef.Speech speech =
        org.switchboard.engine.script.MediaRef.Speech.of(say);
    assertTrue(speech.isSsml());
    assertEquals("<speak xml:lang=\"en-US\">" + say.ssml() + "</speak>", speech.text());
    assertEquals("Plain", org.switchboard.engine.script.MediaRef.Speech.of(Say.of("Plain")).text());
  }

  @Test
  void redirectRejectHangup() throws Exception {
    TwimlDocument doc = Fixtures.parse("verbs/control.xml");

    assertEquals(List.of(
            new Redirect(url("https://other.example.com/next?x=1"), Method.GET),
            new Reject(Reject.Reason.BUSY),
            new Hangup()),
        doc.verbs());
    assertEquals(1, doc.warnings().size());
    assertEquals("<Parameter> children of <Hangup> ignored", doc.warnings().get(0).message());
  }

  @Test
  void startStopRefer() throws Exception {
    List<Verb> verbs = Fixtures.verbs("verbs/streams.xml");

    assertEquals(new Start(Optional.of(url("https://hotline.example.org/started")), Method.GET,
            new Stream(url("wss://fork.example.com/in"), Optional.of("fork1"),
                Stream.Track.BOTH_TRACKS, Optional.of(url("https://hotline.example.org/s")),
                Method.GET, List.<Parameter>of())),
        verbs.get(0));
    assertEquals(new Stop("fork1"), verbs.get(1));
    assertEquals(new Refer(Optional.of(url("https://hotline.example.org/referred")), Method.GET,
            "sip:agent@pbx.example.com?User-to-User=123&x-ticket=9"),
        verbs.get(2));
  }

  @Test
  void unknownAndUnsupportedAttributesAreWarnings() throws Exception {
    TwimlDocument doc = new TwimlParser().parse("""
        <Response>
          <Say foo="bar">Hi</Say>
          <Gather enhanced="true"/>
        </Response>""", Fixtures.HOTLINE);

    assertEquals(List.of(
            new TwimlWarning(2, 3, "unknown attribute 'foo' on <Say> ignored"),
            new TwimlWarning(3, 3,
                "attribute 'enhanced' on <Gather> is not supported and was ignored")),
        doc.warnings());
    assertEquals(Say.of("Hi"), doc.verbs().get(0));
  }

  @Test
  void commentsAndWhitespaceAreIgnored() throws Exception {
    TwimlDocument doc = new TwimlParser().parse("""
        <?xml version="1.0"?>
        <!-- start -->
        <Response>
          <!-- a comment between verbs -->
          <Say><!-- inside -->Hi <![CDATA[there]]></Say>
          <Redirect>
             ../next
          </Redirect>
        </Response>""", Fixtures.HOTLINE);

    assertEquals(List.of(Say.of("Hi there"),
            new Redirect(url("https://hotline.example.org/api/next"), Method.POST)),
        doc.verbs());
    assertEquals(List.of(), doc.warnings());
  }

  @Test
  void emptyResponseHasNoVerbs() throws Exception {
    assertEquals(List.of(), new TwimlParser().parse("<Response/>", Fixtures.HOTLINE).verbs());
  }
}
