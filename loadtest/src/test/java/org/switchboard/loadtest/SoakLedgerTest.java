package org.switchboard.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The soak's accounting, on hand-made webhooks. */
class SoakLedgerTest {
  private final SoakLedger ledger = new SoakLedger();
  private long clock = 1_000_000;

  private void hook(String page, String sid, String... kv) {
    Map<String, String> p = new HashMap<>();
    p.put("CallSid", sid);
    for (int i = 0; i < kv.length; i += 2) {
      p.put(kv[i], kv[i + 1]);
    }
    clock += 1000;
    ledger.webhook(new TestApp.Webhook(page, p, clock, clock, false));
  }

  /** A whole hotline call: script, bridge with a volunteer leg, recording and final callbacks. */
  private void fullCall(String from, String sid) {
    fullCall(from, sid, "Digits", "1");
  }

  /** As above, the menu webhook with {@code menuParams}. */
  private void fullCall(String from, String sid, String... menuParams) {
    ledger.placed(from, "ch-" + sid, clock, true);
    hook("incoming", sid, "From", from);
    hook("menu", sid, menuParams);
    hook("hold", sid);
    ledger.rung(sid);
    hook("volunteer", "leg-" + sid, "ParentCallSid", sid);
    hook("after", sid, "QueueResult", "bridged");
    hook("recording", "leg-" + sid, "RecordingSid", "RE" + sid, "RecordingStatus", "completed");
    hook("status", sid, "CallStatus", "completed", "From", from);
  }

  @Test
  void completeCallsPass() {
    fullCall("+1", "CA1");
    fullCall("+2", "CA2");
    SoakLedger.Report r = ledger.report(Set.of(), 0, 0);
    assertEquals(2, r.started());
    assertEquals(2, r.completed());
    assertEquals(0, r.lost());
    assertEquals(4, r.callbacksExpected());
    assertEquals(4, r.callbacksDelivered());
    assertEquals(0, r.callbacksDuplicated());
    assertTrue(r.passed(), r.text());
  }

  @Test
  void aMissingRecordingCallbackOrFinalCallbackLosesTheCall() {
    ledger.placed("+1", "ch-1", clock, true);
    hook("incoming", "CA1", "From", "+1");
    hook("menu", "CA1", "Digits", "1");
    hook("hold", "CA1");
    hook("volunteer", "leg-1", "ParentCallSid", "CA1");
    hook("after", "CA1", "QueueResult", "bridged");
    hook("status", "CA1", "CallStatus", "completed");
    ledger.placed("+2", "ch-2", clock, true);
    hook("incoming", "CA2", "From", "+2");
    SoakLedger.Report r = ledger.report(Set.of("ch-2"), 1, 0);
    assertEquals(2, r.lost());
    assertEquals(1, r.lostReasons().get("no recording callback"));
    assertEquals(1, r.lostReasons().get("no final status callback"));
    assertEquals(1, r.lostReasons().get("channel left up"));
    assertEquals(1, r.lostReasons().get("no menu webhook"));
    assertEquals(3, r.callbacksExpected());
    assertEquals(1, r.callbacksDelivered());
    assertFalse(r.passed());
  }

  @Test
  void aCallerWhoLeftTheQueueForVoicemailIsCompletedOnlyWithTheVoicemailCallback() {
    ledger.placed("+1", "ch-1", clock, true);
    hook("incoming", "CA1", "From", "+1");
    hook("menu", "CA1", "Digits", "1");
    hook("hold", "CA1");
    ledger.rung("CA1");
    // A volunteer answered but the bridge could not be made; the caller waited, then left.
    hook("volunteer", "leg-1", "ParentCallSid", "CA1");
    hook("after", "CA1", "QueueResult", "leave");
    hook("status", "CA1", "CallStatus", "completed", "From", "+1");
    SoakLedger.Report without = ledger.report(Set.of(), 0, 0);
    assertEquals(1, without.lost());
    assertEquals(1, without.lostReasons().get("no voicemail recording callback"));
    assertEquals(null, without.lostReasons().get("no recording callback"),
        "no bridge recording is due from a caller who was never bridged");
    hook("voicemail-complete", "CA1", "Digits", "hangup");
    hook("voicemail-recording", "CA1", "RecordingSid", "REvm1", "RecordingStatus", "completed");
    SoakLedger.Report with = ledger.report(Set.of(), 0, 0);
    assertEquals(0, with.lost(), with.text());
    assertEquals(1, with.completedByVoicemail());
    assertEquals(0, with.completed());
    assertEquals(2, with.callbacksExpected());
    assertEquals(2, with.callbacksDelivered());
    assertTrue(with.passed(), with.text());
    // A caller who simply left the queue unbridged, with no voicemail, is lost.
    ledger.placed("+2", "ch-2", clock, true);
    hook("incoming", "CA2", "From", "+2");
    hook("menu", "CA2", "Digits", "1");
    hook("hold", "CA2");
    hook("after", "CA2", "QueueResult", "hangup");
    hook("status", "CA2", "CallStatus", "completed", "From", "+2");
    assertEquals(1, ledger.report(Set.of(), 0, 0).lostReasons().get("left the queue unbridged"));
  }

  @Test
  void aMenuThatTimedOutAndWentOnByItsRedirectIsCountedButNotLost() {
    fullCall("+1", "CA1");
    fullCall("+2", "CA2", "auto", "1");
    SoakLedger.Report r = ledger.report(Set.of(), 0, 0);
    assertEquals(1, r.menuTimeouts());
    assertEquals(2, r.completed());
    assertTrue(r.passed(), r.text());
  }

  @Test
  void duplicatesCountPerCallbackAndFailAboveOnePercent() {
    for (int i = 0; i < 50; i++) {
      fullCall("+" + i, "CA" + i);
    }
    hook("status", "CA7", "CallStatus", "completed");
    SoakLedger.Report one = ledger.report(Set.of(), 0, 0);
    assertEquals(1, one.callbacksDuplicated());
    assertTrue(one.passed(), "1 of 100 callbacks is 1 %");
    hook("recording", "leg-CA8", "RecordingSid", "RECA8", "RecordingStatus", "completed");
    SoakLedger.Report two = ledger.report(Set.of(), 0, 0);
    assertEquals(2, two.callbacksDuplicated());
    assertEquals(0, two.lost());
    assertFalse(two.passed());
  }

  @Test
  void aCallAliveWhileTheAppWasDownMayEndOnTheErrorPathButNotWithoutItsFinalCallback() {
    ledger.placed("+1", "ch-1", clock, true);
    ledger.appDown(clock + 1);
    ledger.placed("+2", "ch-2", clock + 2, true);
    ledger.appUp(clock + 5000);
    clock += 10_000;
    // +1 got no webhook (the app was down); its final callback came once the app was back.
    hook("status", "CA1", "CallStatus", "completed", "From", "+1");
    SoakLedger.Report r = ledger.report(Set.of(), 0, 0);
    assertEquals(1, r.endedOnErrorPath());
    assertEquals(1, r.lost());
    assertEquals(1, r.lostReasons().get("no final status callback"));
    // A call placed after the outage gets no such excuse.
    ledger.placed("+3", "ch-3", clock, true);
    hook("status", "CA3", "CallStatus", "completed", "From", "+3");
    assertEquals(2, ledger.report(Set.of(), 0, 0).lost());
  }

  @Test
  void turnedAwayCallsAndOrphansAreReportedApart() {
    ledger.placed("+9", "ch-9", clock, false);
    fullCall("+1", "CA1");
    SoakLedger.Report r = ledger.report(Set.of(), 0, 1);
    assertEquals(2, r.placed());
    assertEquals(1, r.turnedAway());
    assertEquals(1, r.started());
    assertEquals(0, r.lost());
    assertFalse(r.passed(), "a bridge left on the simulator fails the run");
  }

  @Test
  void theRateRampsUpOverTheFirstThirtySeconds() {
    assertEquals(0, SoakMain.placedBy(0, 25));
    assertEquals(93, SoakMain.placedBy(15, 25));
    assertEquals(375, SoakMain.placedBy(30, 25));
    assertEquals(375 + 25 * 570, SoakMain.placedBy(600, 25));
  }

  @Test
  void theOutageScalesWithShortRuns() {
    assertEquals(Duration.ofSeconds(60), SoakMain.outageFor(10));
    assertEquals(Duration.ofSeconds(60), SoakMain.outageFor(30));
    assertEquals(Duration.ofSeconds(12), SoakMain.outageFor(2));
  }
}
