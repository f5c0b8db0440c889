package org.switchboard.engine.script;

import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.twiml.verb.QueueResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.script.ScriptHarness.param;
import static org.switchboard.engine.script.ScriptHarness.pb;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.script.CallEffect.*;

/** Gather (DTMF), Record and the Enqueue waitUrl loop. */
class GatherRecordQueueTest {
  private static final String MENU =
      "<Response><Gather numDigits=\"1\" action=\"/lang\"><Say>one</Say><Say>two</Say></Gather>"
          + "<Say>bye</Say></Response>";

  private static ScriptHarness gather(String twiml) {
    return new ScriptHarness().begin(false).document(twiml).answered();
  }

  @Test
  void digitDuringPromptStopsItSkipsTheRestAndCounts() {
    ScriptHarness h = gather(MENU);
    assertEquals(pb(2), h.last(PlayMedia.class).playbackId());
    h.digit("2");
    assertEquals(new StopPlayback(pb(2)), h.acts().get(0));
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals(URI.create("https://app.test/lang"), f.url());
    assertEquals("2", param(f, "Digits"));
    assertEquals("Gather End", param(f, "msg"));
    h.input(new ScriptInput.PlaybackFinished(pb(2), false));
    assertTrue(h.acts().isEmpty() || h.acts().get(0) instanceof FetchTwiml);
  }

  @Test
  void promptsPlayInOrderThenTheTimeoutRuns() {
    ScriptHarness h = gather(MENU);
    h.played();
    assertEquals(new MediaRef.Speech("two", java.util.Optional.empty(), "en-US"),
        h.last(PlayMedia.class).media());
    h.played();
    h.expect(new StartTimer(ScriptTimer.GATHER_TIMEOUT, Duration.ofSeconds(5)));
    h.timer(ScriptTimer.GATHER_TIMEOUT);
    assertEquals(new MediaRef.Speech("bye", java.util.Optional.empty(), "en-US"),
        h.last(PlayMedia.class).media());
  }

  @Test
  void finishOnKeyEndsInputWithoutBeingADigit() {
    ScriptHarness h = gather("<Response><Gather timeout=\"3\"/></Response>");
    h.digit("4").digit("2");
    h.expect(new StartTimer(ScriptTimer.GATHER_TIMEOUT, Duration.ofSeconds(3)));
    h.digit("#");
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals("42", param(f, "Digits"));
    assertEquals("#", param(f, "FinishedOnKey"));
    assertEquals(URI.create("https://app.test/voice"), f.url());
  }

  @Test
  void finishOnKeyFirstIsNoInput() {
    ScriptHarness h = gather("<Response><Gather/><Say>next</Say></Response>");
    h.digit("#");
    assertInstanceOf(PlayMedia.class, h.acts().get(h.acts().size() - 1));
  }

  @Test
  void timeoutAfterDigitsSubmitsThem() {
    ScriptHarness h = gather("<Response><Gather finishOnKey=\"\"/></Response>");
    h.digit("7").digit("#").timer(ScriptTimer.GATHER_TIMEOUT);
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals("7#", param(f, "Digits"));
    assertEquals("", param(f, "FinishedOnKey"));
  }

  @Test
  void actionOnEmptyResultPostsEmptyDigits() {
    ScriptHarness h = gather("<Response><Gather actionOnEmptyResult=\"true\"/></Response>");
    h.timer(ScriptTimer.GATHER_TIMEOUT);
    assertEquals("", param(h.last(FetchTwiml.class), "Digits"));
  }

  @Test
  void speechOnlyGatherIgnoresKeysAndTimesOutWithoutSpeech() {
    ScriptHarness h = gather("<Response><Gather input=\"speech\"/><Hangup/></Response>");
    assertTrue(h.all(LogWarning.class).isEmpty());
    h.digit("1");
    assertTrue(h.acts().isEmpty());
    h.timer(ScriptTimer.GATHER_TIMEOUT);
    h.expect(new StopSpeech(), new CancelTimer(ScriptTimer.GATHER_TIMEOUT),
        new CancelTimer(ScriptTimer.PAUSE), new HangupCall(HangupReason.NORMAL, CallStatus.COMPLETED));
  }

  @Test
  void pauseInsideGatherIsInterruptedByADigit() {
    ScriptHarness h = gather("<Response><Gather numDigits=\"2\"><Pause length=\"4\"/></Gather></Response>");
    h.expect(new StartTimer(ScriptTimer.PAUSE, Duration.ofSeconds(4)));
    h.digit("1");
    h.expect(new CancelTimer(ScriptTimer.PAUSE),
        new StartTimer(ScriptTimer.GATHER_TIMEOUT, Duration.ofSeconds(5)));
  }

  @ParameterizedTest
  @CsvSource({"1234567890*#,any", "#,#", "*,*", "1,none", "'',none", "#*,none"})
  void finishOnKeyMapsToTerminateOn(String keys, String terminateOn) {
    assertEquals(terminateOn, RecordPart.terminateOn(keys));
  }

  private static final String RECORD =
      "<Response><Record action=\"/rec\" maxLength=\"30\" timeout=\"0\" finishOnKey=\"1\""
          + " recordingStatusCallback=\"/rcb\""
          + " recordingStatusCallbackEvent=\"in-progress completed\"/></Response>";

  @Test
  void recordStartsStopsOnItsKeyAndPostsTheAction() {
    ScriptHarness h = gather(RECORD);
    StartRecording start = h.last(StartRecording.class);
    String sid = start.recordingSid();
    assertEquals(sid, start.request().name());
    assertEquals(30, start.request().maxDurationSeconds());
    assertEquals(0, start.request().maxSilenceSeconds());
    assertEquals("none", start.request().terminateOn());
    assertTrue(start.request().beep());
    h.input(new ScriptInput.RecordingStarted(sid, Instant.parse("2024-01-01T00:00:00Z")));
    assertEquals("in-progress", param(h.last(Notify.class), "RecordingStatus"));
    h.digit("1");
    h.expect(new StopRecording(sid));
    h.input(new ScriptInput.RecordingFinished(sid, 7, Instant.parse("2024-01-01T00:00:07Z")));
    Notify done = h.last(Notify.class);
    assertEquals("completed", param(done, "RecordingStatus"));
    assertEquals("7", param(done, "RecordingDuration"));
    assertEquals("RecordVerb", param(done, "RecordingSource"));
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals(URI.create("https://app.test/rec"), f.url());
    assertEquals("https://sb.test/recordings/" + sid, param(f, "RecordingUrl"));
    assertEquals("7", param(f, "RecordingDuration"));
    assertEquals("1", param(f, "Digits"));
  }

  @Test
  void hangupDuringRecordingStillPostsActionAndCallbacks() {
    ScriptHarness h = gather(RECORD);
    String sid = h.last(StartRecording.class).recordingSid();
    h.input(new ScriptInput.RecordingStarted(sid, Instant.parse("2024-01-01T00:00:00Z")));
    h.input(new ScriptInput.CallEnded(Instant.parse("2024-01-01T00:00:12Z")));
    assertEquals(new StopRecording(sid), h.acts().get(0));
    assertEquals("12", param(h.last(Notify.class), "RecordingDuration"));
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals(FetchPurpose.AFTER_HANGUP, f.purpose());
    assertEquals("hangup", param(f, "Digits"));
    assertTrue(h.state.finished());
  }

  private static final String TRANSCRIBED =
      "<Response><Record action=\"/rec\" transcribe=\"true\""
          + " transcribeCallback=\"/transcribed\"/></Response>";

  @Test
  void aTranscribedRecordingIsHandedOnWithItsCallbackOnceItFinishes() {
    ScriptHarness h = gather(TRANSCRIBED);
    String sid = h.last(StartRecording.class).recordingSid();
    assertEquals(120, h.last(StartRecording.class).request().maxDurationSeconds());
    h.input(new ScriptInput.RecordingStarted(sid, Instant.parse("2024-01-01T00:00:00Z")));
    assertTrue(h.acts().stream().noneMatch(Transcribe.class::isInstance));
    h.input(new ScriptInput.RecordingFinished(sid, 9, Instant.parse("2024-01-01T00:00:09Z")));
    assertEquals(new Transcribe(sid, 9, "https://sb.test/recordings/" + sid,
        java.util.Optional.of(URI.create("https://app.test/transcribed"))),
        h.last(Transcribe.class));
    assertEquals(URI.create("https://app.test/rec"), h.last(FetchTwiml.class).url());
  }

  @Test
  void aRecordingTheCallersHangupEndedIsTranscribedToo() {
    ScriptHarness h = gather(TRANSCRIBED);
    String sid = h.last(StartRecording.class).recordingSid();
    h.input(new ScriptInput.RecordingStarted(sid, Instant.parse("2024-01-01T00:00:00Z")));
    h.input(new ScriptInput.CallEnded(Instant.parse("2024-01-01T00:00:05Z")));
    assertEquals(5, h.last(Transcribe.class).durationSeconds());
    assertEquals(FetchPurpose.AFTER_HANGUP, h.last(FetchTwiml.class).purpose());
  }

  @Test
  void aRecordingWithoutTranscribeIsNotTranscribed() {
    ScriptHarness h = gather(RECORD);
    String sid = h.last(StartRecording.class).recordingSid();
    h.input(new ScriptInput.RecordingFinished(sid, 7, Instant.parse("2024-01-01T00:00:07Z")));
    assertTrue(h.acts().stream().noneMatch(Transcribe.class::isInstance), h.acts().toString());
  }

  private static final String ENQUEUE =
      "<Response><Enqueue action=\"/after\" waitUrl=\"/wait\">support</Enqueue></Response>";

  private static ScriptHarness queued() {
    ScriptHarness h = gather(ENQUEUE);
    assertInstanceOf(JoinQueue.class, h.acts().get(0));
    h.input(new ScriptInput.Queued(Map.of("QueuePosition", "1", "QueueSid", "QU1", "QueueTime", "0")));
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals(FetchPurpose.WAIT_URL, f.purpose());
    assertEquals("1", param(f, "QueuePosition"));
    return h;
  }

  @Test
  void waitUrlIsFetchedAgainWithTheCurrentPositionWhenItRunsOut() {
    ScriptHarness h = queued();
    h.document("<Response><Play>sound:hold</Play></Response>");
    h.played();
    h.expect(new RefreshQueue());
    h.input(new ScriptInput.Queued(Map.of("QueuePosition", "3", "QueueSid", "QU1", "QueueTime", "40")));
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals(FetchPurpose.WAIT_URL, f.purpose());
    assertEquals("3", param(f, "QueuePosition"));
    assertEquals("40", param(f, "QueueTime"));
  }

  @Test
  void theQueueIsAskedNothingWhileTheWaitDocumentRuns() {
    ScriptHarness h = queued().document("<Response><Pause length=\"3600\"/></Response>");
    h.expect(new StartTimer(ScriptTimer.PAUSE, Duration.ofHours(1)));
    h.input(new ScriptInput.Queued(Map.of("QueuePosition", "2", "QueueSid", "QU1")));
    h.expect();
    h.timer(ScriptTimer.PAUSE);
    h.expect(new RefreshQueue());
  }

  @Test
  void hangupWhileTheWaitUrlIsDueGivesQueueResultHangup() {
    ScriptHarness h = queued().document("<Response><Say>please hold</Say></Response>");
    h.played();
    h.expect(new RefreshQueue());
    h.input(new ScriptInput.CallEnded(h.clock.instant().plusSeconds(9)));
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals("hangup", param(f, "QueueResult"));
    assertEquals("9", param(f, "QueueTime"));
  }

  @Test
  void leaveContinuesAtTheEnqueueActionWithTheTimeSpentInTheQueue() {
    ScriptHarness h = queued();
    h.clock.advance(Duration.ofSeconds(42));
    h.document("<Response><Leave/></Response>");
    assertEquals(new LeaveQueue("leave"), h.acts().get(0));
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals(URI.create("https://app.test/after"), f.url());
    assertEquals("leave", param(f, "QueueResult"));
    assertEquals("QU1", param(f, "QueueSid"));
    assertEquals("42", param(f, "QueueTime"));
  }

  @Test
  void dequeueStopsTheWaitScriptAtOnce() {
    ScriptHarness h = queued().document("<Response><Say>please hold</Say></Response>");
    String playing = h.lastPlayback();
    h.input(new ScriptInput.Dequeued(Map.of()));
    h.expect(new StopPlayback(playing));
    h.input(new ScriptInput.QueueExited("bridged", Map.of("QueueTime", "42")));
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals("bridged", param(f, "QueueResult"));
    assertEquals("42", param(f, "QueueTime"));
  }

  @Test
  void hangupWhileWaitingStillRequestsTheActionWithQueueResultHangup() {
    ScriptHarness h = queued().document("<Response><Say>please hold</Say></Response>");
    h.input(new ScriptInput.CallEnded(Instant.parse("2024-01-01T00:01:00Z")));
    FetchTwiml f = h.last(FetchTwiml.class);
    assertEquals(URI.create("https://app.test/after"), f.url());
    assertEquals(FetchPurpose.AFTER_HANGUP, f.purpose());
    assertEquals("hangup", param(f, "QueueResult"));
    assertEquals("QU1", param(f, "QueueSid"));
  }

  @Test
  void forbiddenVerbInWaitDocumentLeavesWithError() {
    ScriptHarness h = queued().document("<Response><Record/></Response>");
    assertEquals(new LeaveQueue("error"), h.acts().get(0));
    assertEquals("error", param(h.last(FetchTwiml.class), "QueueResult"));
  }

  @Test
  void defaultWaitPlaysHoldMusic() {
    ScriptHarness h = gather("<Response><Enqueue>support</Enqueue><Hangup/></Response>");
    h.input(new ScriptInput.Queued(Map.of("QueuePosition", "1")));
    h.expect(new StartHoldMusic());
    h.input(new ScriptInput.QueueExited("queue-full", Map.of()));
    h.expect(new StopHoldMusic(), new HangupCall(HangupReason.NORMAL, CallStatus.COMPLETED));
  }
}
