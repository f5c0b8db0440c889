package org.switchboard.engine.twiml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Stream;

/** {@code <Stream protocol>}: Media Streams by default, {@code openai-realtime} on Connect only. */
class StreamProtocolAttributeTest {

  @Test
  void connectStreamSpeaksTheRealtimeProtocolWhenAskedAndKeepsItsQuery() throws Exception {
    TwimlDocument doc = new TwimlParser().parse("""
        <Response><Connect action="/after">
          <Stream url="wss://agent.example.com/v1/realtime?model=gpt-realtime"
                  protocol="openai-realtime">
            <Parameter name="voice" value="alloy"/>
          </Stream>
        </Connect></Response>""", Fixtures.HOTLINE);

    Connect connect = assertInstanceOf(Connect.class, doc.verbs().get(0));
    assertEquals(Stream.Protocol.OPENAI_REALTIME, connect.stream().protocol());
    assertEquals("model=gpt-realtime", connect.stream().url().getQuery());
    assertTrue(doc.warnings().isEmpty(), doc.warnings().toString());
  }

  @Test
  void withoutTheAttributeItIsMediaStreams() throws Exception {
    TwimlDocument doc = new TwimlParser().parse(
        "<Response><Connect><Stream url=\"wss://app.example.com/s\"/></Connect></Response>",
        Fixtures.HOTLINE);

    Connect connect = assertInstanceOf(Connect.class, doc.verbs().get(0));
    assertEquals(Stream.Protocol.MEDIA_STREAMS, connect.stream().protocol());
  }

  @Test
  void aForkCannotBeAnAgentAndAnUnknownProtocolIsInvalid() {
    TwimlException fork = assertThrows(TwimlException.class, () -> new TwimlParser().parse("""
        <Response><Start>
          <Stream url="wss://a.example.com/r" protocol="openai-realtime"/>
        </Start></Response>""", Fixtures.HOTLINE));
    assertTrue(fork.getMessage().contains("for <Connect><Stream> only"), fork.getMessage());
    assertThrows(TwimlException.class, () -> new TwimlParser().parse(
        "<Response><Connect><Stream url=\"wss://a.example.com/r\" protocol=\"sip\"/>"
            + "</Connect></Response>", Fixtures.HOTLINE));
  }
}
