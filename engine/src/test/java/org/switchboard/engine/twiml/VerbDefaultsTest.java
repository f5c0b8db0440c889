package org.switchboard.engine.twiml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.switchboard.engine.twiml.Fixtures.url;

import java.net.URI;
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
import org.switchboard.engine.twiml.verb.Number;
import org.switchboard.engine.twiml.verb.Pause;
import org.switchboard.engine.twiml.verb.Play;
import org.switchboard.engine.twiml.verb.Record;
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

/** Every verb written without attributes gets the defaults of spec §4. */
class VerbDefaultsTest {

  private static final URI DOC = url("https://app.example.com/voice/menu?step=1#rc=2");
  private static final URI DOC_NO_FRAGMENT = url("https://app.example.com/voice/menu?step=1");

  @Test
  void everyVerbWithoutAttributes() throws Exception {
    TwimlDocument doc = Fixtures.parse("verbs/defaults.xml", DOC);

    List<Verb> expected = List.of(
        new Say("Hello", "Hello", Optional.empty(), "en-US", 1),
        new Play(Optional.of(url("https://app.example.com/audio/hello.wav")), 1, Optional.empty()),
        new Pause(1),
        new Gather(Set.of(Gather.Input.DTMF), DOC, Method.POST, 5, Gather.SpeechTimeout.seconds(5),
            "#", OptionalInt.empty(), false, Optional.empty(), Method.POST, "en-US", List.of(),
            true, "default", true, List.of()),
        new Record(DOC, Method.POST, 5, "1234567890*#", 3600, true, Trim.TRIM_SILENCE,
            RecordingStatusCallback.NONE, false, Optional.empty()),
        new Dial(Optional.empty(), Method.POST, 30, false, 14400, Optional.empty(),
            Dial.Record.DO_NOT_RECORD, Dial.RecordingTrack.BOTH, Trim.DO_NOT_TRIM,
            RecordingStatusCallback.NONE, false, Optional.empty(), false, Optional.empty(),
            Method.POST, List.of(Number.of("+15551234567"))),
        new Enqueue("support", Optional.empty(), Method.POST, new WaitUrl.DefaultMusic(),
            Method.GET, OptionalInt.empty()),
        new Leave(),
        new Hangup(),
        new Reject(Reject.Reason.REJECTED),
        new Redirect(DOC_NO_FRAGMENT, Method.POST),
        new Connect(Optional.empty(), Method.POST, stream("wss://media.example.com/s")),
        new Start(Optional.empty(), Method.POST, stream("wss://app.example.com/fork")),
        new Stop("fork1"),
        new Refer(Optional.empty(), Method.POST, "sip:agent@pbx.example.com"));

    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), doc.verbs().get(i), "verb " + i);
    }
    assertEquals(expected.size(), doc.verbs().size());
    assertEquals(List.of(), doc.warnings());
  }

  private static Stream stream(String url) {
    return new Stream(url(url), Optional.empty(), Stream.Track.INBOUND_TRACK, Optional.empty(),
        Method.POST, List.of());
  }
}
