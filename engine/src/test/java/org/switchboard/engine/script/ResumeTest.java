package org.switchboard.engine.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.switchboard.engine.script.ScriptHarness.param;
import static org.switchboard.engine.script.ScriptHarness.pb;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.script.CallEffect.*;
import org.switchboard.engine.script.ScriptState.Awaiting;
import org.switchboard.engine.script.ScriptState.Delegate;

/**
 * A call resumed from its checkpoint after a restart ({@link ScriptInput.Resumed}): what repeats
 * is exactly what {@link ResumePart} documents.
 */
class ResumeTest {
  private static final String MENU =
      "<Response><Gather numDigits=\"2\" action=\"/lang\"><Say>one</Say><Say>two</Say></Gather>"
          + "<Say>bye</Say></Response>";

  private static ScriptHarness started(String twiml) {
    return new ScriptHarness().begin(false).document(twiml).answered();
  }

  @Test
  void aGatherStartsAgainFromItsFirstPromptAndForgetsTheDigitsTyped() {
    ScriptHarness h = started(MENU).played().digit("4");
    assertEquals("4", ((Awaiting.Gathering) h.state.awaiting()).progress().digits());
    long counter = h.state.counter();

    h.input(new ScriptInput.Resumed());

    PlayMedia replay = h.last(PlayMedia.class);
    assertEquals("one", ((MediaRef.Speech) replay.media()).text());
    assertEquals(pb((int) counter + 1), replay.playbackId(), "ids go on from the checkpoint");
    Awaiting.Gathering g = (Awaiting.Gathering) h.state.awaiting();
    assertEquals("", g.progress().digits());
    assertEquals(0, g.progress().prompt());
  }

  @Test
  void aPromptPlayingAtTheCrashIsStoppedBeforeTheVerbStartsAgain() {
    ScriptHarness h = started("<Response><Say loop=\"3\">hello</Say><Hangup/></Response>");
    String playing = h.lastPlayback();
    h.played();
    String second = h.lastPlayback();

    h.input(new ScriptInput.Resumed());

    assertEquals(new StopPlayback(second), h.acts().get(0));
    PlayMedia again = h.last(PlayMedia.class);
    Awaiting.Media media = (Awaiting.Media) h.state.awaiting();
    assertEquals(again.playbackId(), media.playbackId());
    assertEquals(2, media.remaining(), "the Say starts again from its first iteration");
    assertEquals(false, again.playbackId().equals(playing));
  }

  @Test
  void aDocumentRequestInFlightIsSentAgainWithTheSameParameters() {
    ScriptHarness h = started(MENU).played().digit("1").digit("2");
    FetchTwiml first = h.last(FetchTwiml.class);
    assertEquals("12", param(first, "Digits"));

    h.input(new ScriptInput.Resumed());

    FetchTwiml again = h.last(FetchTwiml.class);
    assertEquals(first.url(), again.url());
    assertEquals(first.params(), again.params());
    assertEquals(first.purpose(), again.purpose());
    h.document("<Response><Say>thanks</Say></Response>");
    assertInstanceOf(Awaiting.Media.class, h.state.awaiting());
  }

  @Test
  void aQueuedCallerRejoinsWithItsFirstJoinTimeAndItsWaitUrlIsRequestedAgain() {
    ScriptHarness h = started(
        "<Response><Enqueue action=\"/after\" waitUrl=\"/wait\">support</Enqueue></Response>");
    Instant joined = h.state.queue().orElseThrow().enqueuedAt();
    h.input(new ScriptInput.Queued(Map.of("QueuePosition", "2", "QueueSid", "QU1")));
    h.document("<Response><Play>sound:hold</Play></Response>");
    String hold = h.lastPlayback();
    h.clock.advance(Duration.ofSeconds(30));

    h.input(new ScriptInput.Resumed());

    assertEquals(new StopPlayback(hold), h.acts().get(0));
    RejoinQueue rejoin = h.last(RejoinQueue.class);
    assertEquals("support", rejoin.enqueue().name());
    assertEquals(joined, rejoin.enqueuedAt());
    assertEquals(new Awaiting.Delegated(Delegate.QUEUE), h.state.awaiting());

    h.input(new ScriptInput.Queued(Map.of("QueuePosition", "2", "QueueSid", "QU1")));
    FetchTwiml wait = h.last(FetchTwiml.class);
    assertEquals(FetchPurpose.WAIT_URL, wait.purpose());
    assertEquals("2", param(wait, "QueuePosition"));

    h.document("<Response><Leave/></Response>");
    FetchTwiml after = h.last(FetchTwiml.class);
    assertEquals(URI.create("https://app.test/after"), after.url());
    assertEquals("30", param(after, "QueueTime"), "QueueTime counts from the first join");
  }

  @Test
  void aDialInProgressIsTakenBackFromItsDurableStateNotEnded() {
    ScriptHarness h = started(
        "<Response><Dial action=\"/dialed\"><Number>+15550001</Number></Dial></Response>");
    StartDial start = assertInstanceOf(StartDial.class, h.acts().get(0));

    h.input(new ScriptInput.Resumed());

    CallEffect.ResumeDial resumed = h.last(CallEffect.ResumeDial.class);
    assertEquals(start.dial(), resumed.dial());
    assertTrue(h.acts().stream().noneMatch(FetchTwiml.class::isInstance),
        "the action is not requested before the dial ends");
    assertInstanceOf(ScriptState.Awaiting.Delegated.class, h.state.awaiting());
  }

  @Test
  void aCallerBridgedOutOfItsQueueWaitsForItsDequeuerToTellTheResult() {
    ScriptHarness h = started(
        "<Response><Enqueue action=\"/after\" waitUrl=\"/wait\">support</Enqueue></Response>");
    h.input(new ScriptInput.Queued(Map.of("QueuePosition", "1", "QueueSid", "QU1")));
    h.document("<Response><Play>sound:hold</Play></Response>");
    h.input(new ScriptInput.Dequeued(Map.of("QueueSid", "QU1", "QueueTime", "7")));
    assertEquals(new Awaiting.Delegated(Delegate.QUEUE_BRIDGED), h.state.awaiting());
    ScriptState before = h.state;

    h.input(new ScriptInput.Resumed());

    h.expect();
    assertEquals(before, h.state, "still bridged: nothing repeated, no system-error");
    h.input(new ScriptInput.QueueExited("bridged", Map.of("QueueSid", "QU1", "QueueTime", "7")));
    FetchTwiml after = h.last(FetchTwiml.class);
    assertEquals(URI.create("https://app.test/after"), after.url());
    assertEquals("bridged", param(after, "QueueResult"));
    assertEquals("7", param(after, "QueueTime"));
  }

  @Test
  void aConnectGoesOnAtItsActionAsAfterAStreamThatClosed() {
    ScriptHarness h = started("<Response><Connect action=\"/connected\">"
        + "<Stream url=\"wss://app.test/stream\"/></Connect><Say>unreached</Say></Response>");
    assertEquals(new Awaiting.Delegated(Delegate.CONNECT), h.state.awaiting());

    h.input(new ScriptInput.Resumed());

    FetchTwiml after = h.last(FetchTwiml.class);
    assertEquals(URI.create("https://app.test/connected"), after.url());
    assertEquals(ResumePart.STREAM_LOST, param(after, "StreamError"));
    assertEquals(null, param(after, "DialCallStatus"), "not a dial that failed");
  }

  @Test
  void aRecordingKeepsWaitingForItsEndFromAsterisk() {
    ScriptHarness h = started("<Response><Record maxLength=\"30\"/></Response>");
    ScriptState before = h.state;

    h.input(new ScriptInput.Resumed());

    h.expect();
    assertEquals(before, h.state);
  }
}
