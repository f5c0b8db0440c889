package org.switchboard.http.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.switchboard.http.demo.DemoTimeline.DemoCall;
import org.switchboard.http.demo.DemoTimeline.Verdict;

/** {@code scripts/run --once} succeeds only for calls that really started and completed. */
class DemoTimelineTest {
  private static final DemoCall CALL = new DemoCall("CA1", "chan-1", "+15551230001", "+15551234567");
  private final DemoTimeline timeline = new DemoTimeline();

  @Test
  void aCallWhoseStartWasLostIsNotASuccessEvenWhenItsChannelIsGone() {
    assertEquals(new Verdict(false, false), timeline.verdict(CALL));
    timeline.webhook(hook("/demo/call-status", "CA1", "completed"));
    Verdict lostStart = timeline.verdict(CALL);
    assertFalse(lostStart.ok());
    assertTrue(timeline.render(CALL, List.of()).contains("verdict: NOT started"),
        timeline.render(CALL, List.of()));
  }

  @Test
  void aCallIsASuccessOnceItStartedAndReportedCompleted() {
    timeline.webhook(hook("/demo/incoming", "CA1", "ringing"));
    timeline.webhook(hook("/demo/call-status", "CA2", "completed"));
    timeline.webhook(hook("/demo/call-status", "CA1", "in-progress"));
    assertEquals(new Verdict(true, false), timeline.verdict(CALL), "another call's callback");
    timeline.webhook(hook("/demo/call-status", "CA1", "completed"));
    assertTrue(timeline.verdict(CALL).ok());
    assertTrue(timeline.render(CALL, List.of()).contains("verdict: started and completed"));
  }

  private static DemoHotlineApp.Received hook(String path, String callSid, String status) {
    return new DemoHotlineApp.Received(Instant.parse("2026-01-01T00:00:00Z"), path, "POST",
        Map.of("CallSid", callSid, "CallStatus", status));
  }
}
