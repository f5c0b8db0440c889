package org.switchboard.engine.twiml;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.switchboard.engine.twiml.TwimlException.Kind;

/**
 * Documents that must not run, one row per error kind and rule. Each body puts the offending
 * construct on line 2 (after {@code <Response>} on line 1) at a known column.
 */
class TwimlErrorsTest {

  record Case(String name, String body, Kind kind, int line, int column, String fragment) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case onLine2(String name, String verb, Kind kind, String fragment) {
    return new Case(name, "<Response>\n  " + verb + "\n</Response>", kind, 2, 3, fragment);
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("unclosed element", "<Response>\n  <Say>Hi</Response>", Kind.MALFORMED_XML, 2, 0,
            "Unexpected end tag"),
        new Case("not XML", "Hello caller", Kind.MALFORMED_XML, 1, 0, "malformed XML"),
        new Case("empty body", "", Kind.MALFORMED_XML, 1, 0, "malformed XML"),
        new Case("undeclared entity", "<Response>\n  <Say>&nbsp;</Say></Response>",
            Kind.MALFORMED_XML, 2, 0, "nbsp"),
        new Case("wrong root", "<Reply>\n  <Say>x</Say></Reply>", Kind.INVALID_ROOT, 1, 1,
            "root element must be <Response>, was <Reply>"),
        new Case("mis-cased root", "<response/>", Kind.INVALID_ROOT, 1, 1, "<response>"),
        onLine2("mis-cased verb", "<say>Hi</say>", Kind.UNKNOWN_ELEMENT, "did you mean <Say>?"),
        onLine2("unknown verb", "<Speak>Hi</Speak>", Kind.UNKNOWN_ELEMENT,
            "<Speak> is not a TwiML element"),
        onLine2("unsupported verb", "<Pay/>", Kind.UNSUPPORTED_ELEMENT, "<Pay> is not supported"),
        onLine2("noun outside Dial", "<Number>+15550001111</Number>", Kind.INVALID_NESTING,
            "<Number> is not allowed inside <Response>"),
        new Case("Record in Gather", "<Response><Gather>\n  <Record/></Gather></Response>",
            Kind.INVALID_NESTING, 2, 3, "<Record> is not allowed inside <Gather>"),
        new Case("Dial in Gather", "<Response><Gather>\n  <Dial>1</Dial></Gather></Response>",
            Kind.INVALID_NESTING, 2, 3, "<Dial> is not allowed inside <Gather>"),
        new Case("Gather in Gather", "<Response><Gather>\n  <Gather/></Gather></Response>",
            Kind.INVALID_NESTING, 2, 3, "<Gather> is not allowed inside <Gather>"),
        new Case("verb in Say", "<Response><Say>\n  <Play>x.mp3</Play></Say></Response>",
            Kind.INVALID_NESTING, 2, 3, "<Play> is not allowed inside <Say>"),
        new Case("Play digits in Gather",
            "<Response><Gather>\n  <Play digits=\"1\"/></Gather></Response>",
            Kind.INVALID_VALUE, 2, 3, "digits is not allowed inside <Gather>"),
        new Case("Say in Dial", "<Response><Dial>\n  <Say>x</Say></Dial></Response>",
            Kind.INVALID_NESTING, 2, 3, "<Say> is not allowed inside <Dial>"),
        new Case("Connect Room", "<Response><Connect>\n  <Room>r</Room></Connect></Response>",
            Kind.UNSUPPORTED_ELEMENT, 2, 3, "<Room> is not supported"),
        new Case("Enqueue Task", "<Response><Enqueue>\n  <Task>{}</Task></Enqueue></Response>",
            Kind.UNSUPPORTED_ELEMENT, 2, 3, "<Task> is not supported"),
        onLine2("Connect without Stream", "<Connect/>", Kind.INVALID_NESTING,
            "needs exactly one <Stream>, found 0"),
        onLine2("Dial without number", "<Dial/>", Kind.INVALID_NESTING, "needs a number"),
        onLine2("Say loop negative", "<Say loop=\"-1\">x</Say>", Kind.INVALID_VALUE,
            "Say loop must be at least 0"),
        onLine2("Say loop not a number", "<Say loop=\"twice\">x</Say>", Kind.INVALID_VALUE,
            "loop=\"twice\" is invalid: expected an integer"),
        onLine2("Pause length 0", "<Pause length=\"0\"/>", Kind.INVALID_VALUE, "Pause length"),
        onLine2("Play without URL", "<Play/>", Kind.INVALID_VALUE, "needs a media URL"),
        onLine2("Play bad digits", "<Play digits=\"12x\"/>", Kind.INVALID_VALUE, "Play digits"),
        onLine2("Gather numDigits 0", "<Gather numDigits=\"0\"/>", Kind.INVALID_VALUE,
            "numDigits must be at least 1"),
        onLine2("Gather finishOnKey two keys", "<Gather finishOnKey=\"#*\"/>", Kind.INVALID_VALUE,
            "finishOnKey length"),
        onLine2("Gather finishOnKey letter", "<Gather finishOnKey=\"x\"/>", Kind.INVALID_VALUE,
            "finishOnKey may only hold"),
        onLine2("Gather method PUT", "<Gather method=\"PUT\"/>", Kind.INVALID_VALUE,
            "expected GET or POST"),
        onLine2("Gather input voice", "<Gather input=\"dtmf voice\"/>", Kind.INVALID_VALUE,
            "input=\"voice\""),
        onLine2("Gather speechTimeout", "<Gather speechTimeout=\"soon\"/>", Kind.INVALID_VALUE,
            "a number of seconds or auto"),
        onLine2("Gather boolean", "<Gather bargeIn=\"yes\"/>", Kind.INVALID_VALUE,
            "expected true or false"),
        onLine2("Record maxLength 0", "<Record maxLength=\"0\"/>", Kind.INVALID_VALUE,
            "Record maxLength"),
        onLine2("Record finishOnKey", "<Record finishOnKey=\"1a\"/>", Kind.INVALID_VALUE,
            "finishOnKey"),
        onLine2("Record trim", "<Record trim=\"yes\"/>", Kind.INVALID_VALUE,
            "one of trim-silence, do-not-trim"),
        onLine2("Record event", "<Record recordingStatusCallbackEvent=\"done\"/>",
            Kind.INVALID_VALUE, "recordingStatusCallbackEvent=\"done\""),
        onLine2("Dial record", "<Dial record=\"sometimes\">1</Dial>", Kind.INVALID_VALUE,
            "record=\"sometimes\""),
        onLine2("Dial ringTone", "<Dial ringTone=\"xx\">1</Dial>", Kind.INVALID_VALUE,
            "ringTone=\"xx\""),
        onLine2("Dial timeLimit 0", "<Dial timeLimit=\"0\">1</Dial>", Kind.INVALID_VALUE,
            "timeLimit"),
        onLine2("Dial Conference with Number",
            "<Dial><Number>1</Number><Conference>c</Conference></Dial>", Kind.INVALID_VALUE,
            "Conference and Queue must be the only noun"),
        onLine2("Dial 11 numbers", "<Dial>" + "<Number>1</Number>".repeat(11) + "</Dial>",
            Kind.INVALID_VALUE, "noun count"),
        new Case("Sip not a SIP URI", "<Response><Dial>\n  <Sip>tel:+1555</Sip></Dial></Response>",
            Kind.INVALID_VALUE, 2, 3, "must start with sip:"),
        new Case("Conference beep", "<Response><Dial>\n  <Conference beep=\"loud\">c</Conference>"
            + "</Dial></Response>", Kind.INVALID_VALUE, 2, 3, "beep=\"loud\""),
        new Case("Number machineDetection",
            "<Response><Dial>\n  <Number machineDetection=\"Maybe\">1</Number></Dial></Response>",
            Kind.INVALID_VALUE, 2, 3, "one of Enable, DetectMessageEnd"),
        onLine2("Enqueue without name", "<Enqueue/>", Kind.INVALID_VALUE, "queue name"),
        onLine2("Enqueue name too long", "<Enqueue>" + "q".repeat(65) + "</Enqueue>",
            Kind.INVALID_VALUE, "at most 64"),
        onLine2("Reject reason", "<Reject reason=\"nope\"/>", Kind.INVALID_VALUE,
            "one of rejected, busy"),
        new Case("Stream track on Connect",
            "<Response><Connect>\n  <Stream url=\"wss://x.example.com/\" track=\"both_tracks\"/>"
                + "</Connect></Response>", Kind.INVALID_VALUE, 1, 11, "inbound_track"),
        new Case("Stream without url",
            "<Response><Start>\n  <Stream name=\"a\"/></Start></Response>",
            Kind.INVALID_VALUE, 2, 3, "url attribute is required"),
        new Case("Stop without name", "<Response><Stop>\n  <Stream/></Stop></Response>",
            Kind.INVALID_VALUE, 2, 3, "needs the name"),
        onLine2("Redirect bad host", "<Redirect>https://bad_host.example.com/x</Redirect>",
            Kind.INVALID_URL, "no valid host name"),
        onLine2("Gather action bad URL", "<Gather action=\"http://exa mple.com:x/\"/>",
            Kind.INVALID_URL, "<Gather>"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refused(Case c) {
    TwimlException e = assertThrows(TwimlException.class,
        () -> new TwimlParser().parse(c.body(), Fixtures.HOTLINE));
    assertAll(
        () -> assertEquals(c.kind(), e.kind(), e.getMessage()),
        () -> assertEquals(c.kind().code(), e.code()),
        () -> assertEquals(c.line(), e.line(), e.getMessage()),
        () -> {
          if (c.column() > 0) {
            assertEquals(c.column(), e.column(), e.getMessage());
          } else {
            assertTrue(e.column() > 0, "a column is reported: " + e.getMessage());
          }
        },
        () -> assertTrue(e.getMessage().contains(c.fragment()),
            "'" + e.getMessage() + "' should contain '" + c.fragment() + "'"));
  }
}
