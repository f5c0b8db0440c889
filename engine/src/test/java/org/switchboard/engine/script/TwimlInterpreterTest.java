package org.switchboard.engine.script;

import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.twiml.verb.DialCallStatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.script.ScriptHarness.pb;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.script.CallEffect.*;

/** Document-level behaviour: answer policy, Say/Play/Pause, Hangup/Reject, Redirect, errors. */
class TwimlInterpreterTest {

  static Stream<Arguments> firstVerb() {
    return Stream.of(
        Arguments.of("<Response><Reject reason=\"busy\"/></Response>",
            List.of(new HangupCall(HangupReason.BUSY, CallStatus.BUSY))),
        Arguments.of("<Response><Reject/></Response>",
            List.of(new HangupCall(HangupReason.REJECTED, CallStatus.NO_ANSWER))),
        Arguments.of("<Response/>", List.of(new HangupCall(HangupReason.NORMAL, CallStatus.COMPLETED))),
        Arguments.of("<Response><Pause length=\"3\"/><Say>x</Say></Response>",
            List.of(new StartTimer(ScriptTimer.PAUSE, Duration.ofSeconds(3)))),
        Arguments.of("<Response><Hangup/></Response>", List.of(new AnswerCall())),
        Arguments.of("<Response><Say>Hi</Say></Response>", List.of(new AnswerCall())),
        Arguments.of("<Response><Redirect method=\"GET\">/next</Redirect></Response>",
            List.of(new FetchTwiml(2, URI.create("https://app.test/next"),
                org.switchboard.engine.twiml.verb.Method.GET, List.of(),
                FetchPurpose.REDIRECT))));
  }

  @ParameterizedTest
  @MethodSource("firstVerb")
  void firstVerbOfTheDocument(String twiml, List<CallEffect> expected) {
    ScriptHarness h = new ScriptHarness().begin(false).document(twiml);
    assertEquals(expected, h.acts());
  }

  @Test
  void beginRequestsTheVoiceUrl() {
    ScriptHarness h = new ScriptHarness().begin(false);
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals(ScriptHarness.VOICE, f.url());
    assertEquals(FetchPurpose.INITIAL, f.purpose());
  }

  @Test
  void sayLoopsThenHangsUpAtTheEndOfTheDocument() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Say loop=\"2\" voice=\"alice\">Hi</Say></Response>").answered();
    h.expect(new PlayMedia(pb(2), new MediaRef.Speech("Hi", Optional.of("alice"), "en-US")));
    h.played();
    h.expect(new PlayMedia(pb(3), new MediaRef.Speech("Hi", Optional.of("alice"), "en-US")));
    h.played();
    h.expect(new HangupCall(HangupReason.NORMAL, CallStatus.COMPLETED));
    assertTrue(h.state.finished());
  }

  @Test
  void pauseFirstDelaysTheAnswer() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Pause/><Play>https://cdn.test/a.mp3</Play></Response>");
    assertTrue(h.all(AnswerCall.class).isEmpty());
    h.timer(ScriptTimer.PAUSE);
    h.expect(new AnswerCall());
    h.answered();
    h.expect(new PlayMedia(pb(2), new MediaRef.Url(URI.create("https://cdn.test/a.mp3"))));
  }

  @Test
  void playOfAnAsteriskSoundIsNative() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Play>sound:beep</Play></Response>").answered();
    h.expect(new PlayMedia(pb(2), new MediaRef.Native("sound:beep")));
  }

  /**
   * ARI answers a DTMF send before Asterisk plays the digits (100 ms of quiet, then 100 ms per
   * digit and 100 ms after it): each run is followed by its playing time, so a {@code w} is a
   * pause between digits heard and the next verb waits for the last digit.
   */
  @Test
  void playDigitsSendsSegmentsWithWaits() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Play digits=\"12w3W4\"/></Response>").answered();
    h.expect(new SendDtmf("12"));
    h.input(new ScriptInput.DtmfSent());
    h.expect(new StartTimer(ScriptTimer.DIGIT_GAP, Duration.ofMillis(500)));
    h.timer(ScriptTimer.DIGIT_GAP);
    h.expect(new StartTimer(ScriptTimer.DIGIT_GAP, Duration.ofMillis(500)));
    h.timer(ScriptTimer.DIGIT_GAP);
    h.expect(new SendDtmf("3"));
    h.input(new ScriptInput.DtmfSent());
    h.expect(new StartTimer(ScriptTimer.DIGIT_GAP, Duration.ofMillis(300)));
    h.timer(ScriptTimer.DIGIT_GAP);
    h.expect(new StartTimer(ScriptTimer.DIGIT_GAP, Duration.ofMillis(1000)));
    h.timer(ScriptTimer.DIGIT_GAP);
    h.expect(new SendDtmf("4"));
    h.input(new ScriptInput.DtmfSent());
    h.expect(new StartTimer(ScriptTimer.DIGIT_GAP, Duration.ofMillis(300)));
    h.timer(ScriptTimer.DIGIT_GAP);
    h.expect(new HangupCall(HangupReason.NORMAL, CallStatus.COMPLETED));
  }

  @Test
  void hangupAnswersFirst() {
    ScriptHarness h = new ScriptHarness().begin(false).document("<Response><Hangup/></Response>");
    h.answered();
    h.expect(new HangupCall(HangupReason.NORMAL, CallStatus.COMPLETED));
  }

  @Test
  void rejectAfterAnswerIsAHangup() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Say>x</Say><Reject reason=\"busy\"/></Response>").answered().played();
    h.expect(new HangupCall(HangupReason.NORMAL, CallStatus.COMPLETED));
  }

  @Test
  void redirectLoopHitsTheCapAndPlaysTheErrorPrompt() {
    ScriptHarness h = new ScriptHarness(3).begin(false);
    String loop = "<Response><Redirect>/voice</Redirect></Response>";
    h.document(loop).document(loop).document(loop);
    assertInstanceOf(FetchTwiml.class, h.acts().get(0));
    h.document(loop);
    h.expect(new AnswerCall());
    h.answered();
    h.expect(new PlayMedia(pb(5), ScriptSettings.DEFAULT_ERROR_PROMPT));
    h.played();
    h.expect(new HangupCall(HangupReason.NORMAL, CallStatus.COMPLETED));
  }

  @Test
  void mediaVerbsResetTheRedirectCount() {
    ScriptHarness h = new ScriptHarness(2).begin(false);
    String loop = "<Response><Play>sound:x</Play><Redirect>/voice</Redirect></Response>";
    for (int i = 0; i < 5; i++) {
      h.document(loop);
      if (!h.state.answered()) {
        h.answered();
      }
      h.played();
      assertInstanceOf(FetchTwiml.class, h.acts().get(0));
    }
  }

  @Test
  void httpErrorTriesTheFallbackWithErrorParams() {
    ScriptHarness h = new ScriptHarness().begin(true).respond(500, "text/html", "oops");
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals(ScriptHarness.FALLBACK, f.url());
    assertEquals(FetchPurpose.FALLBACK, f.purpose());
    assertEquals("11200", ScriptHarness.param(f, "ErrorCode"));
    assertEquals("https://app.test/voice", ScriptHarness.param(f, "ErrorUrl"));
    h.document("<Response><Say>sorry</Say></Response>");
    h.expect(new AnswerCall());
  }

  @Test
  void failingFallbackEndsWithTheErrorPrompt() {
    ScriptHarness h = new ScriptHarness().begin(true).respond(500, "text/xml", "")
        .respond(503, "text/xml", "");
    h.expect(new AnswerCall());
    h.answered();
    h.expect(new PlayMedia(pb(3), ScriptSettings.DEFAULT_ERROR_PROMPT));
  }

  @Test
  void malformedTwimlWithoutFallbackPlaysTheErrorPrompt() {
    ScriptHarness h = new ScriptHarness().begin(false).document("<Response><Say>x</Response>");
    h.expect(new AnswerCall());
    assertTrue(h.effects.stream().anyMatch(e -> e instanceof LogWarning w
        && w.message().contains("12100")));
  }

  @Test
  void fetchFailureCountsAsAnApplicationError() {
    ScriptHarness h = new ScriptHarness().begin(true);
    h.input(new ScriptInput.FetchFailed(1, "connect timeout"));
    assertEquals(FetchPurpose.FALLBACK, h.last(FetchTwiml.class).purpose());
    assertTrue(h.last(FetchTwiml.class).params().contains(Map.entry("ErrorCode", "11200")));
  }

  @Test
  void connectionFailureReachesTheFallbackWithItsOwnCode() {
    ScriptHarness h = new ScriptHarness().begin(true);
    h.input(new ScriptInput.FetchFailed(1, "connect_error: connection refused", 11205));
    FetchTwiml fallback = h.last(FetchTwiml.class);
    assertEquals(FetchPurpose.FALLBACK, fallback.purpose());
    assertTrue(fallback.params().contains(Map.entry("ErrorCode", "11205")), fallback.params().toString());
  }

  static Stream<Arguments> contentTypes() {
    return Stream.of(
        Arguments.of("application/xml; charset=utf-8", "<Response><Say>a</Say></Response>",
            AnswerCall.class),
        Arguments.of("text/html", "<Response><Say>a</Say></Response>", AnswerCall.class),
        Arguments.of("audio/mpeg", "ID3...", AnswerCall.class),
        Arguments.of("text/plain", "Hello there", AnswerCall.class),
        Arguments.of("image/png", "x", FetchTwiml.class));
  }

  @ParameterizedTest
  @MethodSource("contentTypes")
  void responseMimeTypes(String type, String body, Class<? extends CallEffect> first) {
    ScriptHarness h = new ScriptHarness().begin(true).respond(200, type, body);
    assertInstanceOf(first, h.acts().get(0));
  }

  @Test
  void audioResponseIsPlayedThenHungUp() {
    ScriptHarness h = new ScriptHarness().begin(false).respond(200, "audio/wav", "RIFF").answered();
    h.expect(new PlayMedia(pb(2), new MediaRef.Url(ScriptHarness.VOICE)));
    h.played();
    h.expect(new HangupCall(HangupReason.NORMAL, CallStatus.COMPLETED));
  }

  @Test
  void plainTextIsSpoken() {
    ScriptHarness h = new ScriptHarness().begin(false).respond(200, "text/plain", "Hello").answered();
    h.expect(new PlayMedia(pb(2), new MediaRef.Speech("Hello", Optional.empty(), "en-US")));
  }

  @Test
  void staleFetchResultsAreIgnored() {
    ScriptHarness h = new ScriptHarness().begin(false);
    h.input(new ScriptInput.DocumentFetched(99, ScriptHarness.VOICE, 200, "text/xml",
        "<Response/>".getBytes()));
    assertEquals(List.of(), h.effects);
  }

  @Test
  void restRedirectStopsThePlaybackAndFetches() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Say>long</Say></Response>").answered();
    h.input(new ScriptInput.RedirectRequested(Optional.of(URI.create("https://app.test/other")),
        org.switchboard.engine.twiml.verb.Method.POST, Optional.empty()));
    assertEquals(new StopPlayback(pb(2)), h.acts().get(0));
    assertEquals(URI.create("https://app.test/other"), h.last(FetchTwiml.class).url());
  }

  @Test
  void restRedirectWithInlineTwiml() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Pause length=\"9\"/></Response>");
    h.input(new ScriptInput.RedirectRequested(Optional.empty(),
        org.switchboard.engine.twiml.verb.Method.POST,
        Optional.of("<Response><Hangup/></Response>")));
    h.expect(new CancelTimer(ScriptTimer.PAUSE), new AnswerCall());
  }

  @Test
  void dialDelegatesAndPostsItsResultToTheAction() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Dial action=\"/dialed\">+15550001111</Dial></Response>").answered();
    assertInstanceOf(StartDial.class, h.acts().get(0));
    h.input(new ScriptInput.DialEnded(java.util.Map.of("DialCallStatus", "no-answer")));
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals(URI.create("https://app.test/dialed"), f.url());
    assertEquals("no-answer", ScriptHarness.param(f, "DialCallStatus"));
  }

  @Test
  void dialWithoutActionGoesOn() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Dial answerOnBridge=\"true\">+15550001111</Dial></Response>");
    h.expect(new StartDial(((StartDial) h.acts().get(0)).dial(), false));
    h.input(new ScriptInput.DialEnded(java.util.Map.of("DialCallStatus", "busy")));
    h.expect(new HangupCall(HangupReason.NORMAL, CallStatus.COMPLETED));
  }

  @Test
  void callEndedFinishesTheScript() {
    ScriptHarness h = new ScriptHarness().begin(false).document("<Response><Say>x</Say></Response>");
    h.input(new ScriptInput.CallEnded(java.time.Instant.EPOCH));
    assertTrue(h.state.finished());
    h.answered();
    assertEquals(List.of(), h.effects);
  }

  @Test
  void callerHangingUpDuringADialStillRequestsItsActionWithTheDialResult() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Dial action=\"/dialed\">+15550001111</Dial><Say>x</Say></Response>")
        .answered();
    assertInstanceOf(StartDial.class, h.acts().get(0));
    h.input(new ScriptInput.CallEnded(java.time.Instant.EPOCH));
    assertTrue(h.state.finished());
    assertEquals(List.of(), h.acts());
    h.input(new ScriptInput.DialEnded(
        java.util.Map.of("DialCallStatus", "completed", "DialBridged", "true")));
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals(URI.create("https://app.test/dialed"), f.url());
    assertEquals(FetchPurpose.AFTER_HANGUP, f.purpose());
    assertEquals("completed", ScriptHarness.param(f, "DialCallStatus"));
    assertEquals("true", ScriptHarness.param(f, "DialBridged"));
    h.input(new ScriptInput.DialEnded(java.util.Map.of("DialCallStatus", "completed")));
    assertEquals(List.of(), h.acts(), "the action is requested once");
  }

  @Test
  void callerHangingUpDuringADialWithoutActionRequestsNothing() {
    ScriptHarness h = new ScriptHarness().begin(false)
        .document("<Response><Dial>+15550001111</Dial><Say>x</Say></Response>").answered();
    h.input(new ScriptInput.CallEnded(java.time.Instant.EPOCH));
    h.input(new ScriptInput.DialEnded(java.util.Map.of("DialCallStatus", "canceled")));
    assertEquals(List.of(), h.acts());
  }

  @Test
  void runningOutOfVerbsLeavesTheFramePastTheLastVerb() {
    ScriptHarness h = new ScriptHarness().begin(false).document("<Response><Pause length=\"1\"/></Response>")
        .answered();
    h.input(new ScriptInput.TimerFired(ScriptTimer.PAUSE));
    h.expect(new HangupCall(HangupReason.NORMAL, CallStatus.COMPLETED));
    assertTrue(h.state.frame().orElseThrow().verb().isEmpty(), "ran out, not hung up");
  }

  @Test
  void hangupVerbClearsTheFrame() {
    ScriptHarness h = new ScriptHarness().begin(false).document("<Response><Hangup/></Response>")
        .answered();
    assertTrue(h.state.finished());
    assertTrue(h.state.frame().isEmpty(), "hung up, not ran out");
  }
}
