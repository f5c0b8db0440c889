package org.switchboard.engine.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a room taken back after a restart does with the coaching pairs Asterisk still holds. */
class CoachRestoreTest {
  private static final String COACH = "CA" + "c".repeat(32);

  private static List<String> whole(int n) {
    return List.of(ConferenceCoach.voiceId(COACH, n), ConferenceCoach.whisperId(COACH, n));
  }

  @Test
  void theWholePairOfACoachStillCoachingIsTakenBackAsItIs() {
    CoachRestore.Decision d = CoachRestore.decide(
        new CoachRestore.Found(COACH, Map.of(1, whole(1))), true, 1);
    assertEquals(new CoachRestore.Decision(Optional.of(1), Optional.empty(), List.of()), d);
  }

  @Test
  void theNewestWholePairIsTakenBackAndEveryOtherPieceGoes() {
    CoachRestore.Decision d = CoachRestore.decide(new CoachRestore.Found(COACH,
        Map.of(1, List.of(ConferenceCoach.voiceId(COACH, 1)), 2, whole(2), 3, List.of())), true, 1);
    assertEquals(new CoachRestore.Decision(Optional.of(2), Optional.empty(), List.of(1, 3)), d);
  }

  @Test
  void aCoachWithoutAWholePairGetsANewOneNumberedAfterEveryPairFound() {
    CoachRestore.Decision d = CoachRestore.decide(new CoachRestore.Found(COACH,
        Map.of(2, List.of(ConferenceCoach.whisperId(COACH, 2)))), true, 1);
    assertEquals(new CoachRestore.Decision(Optional.empty(), Optional.of(3), List.of(2)), d);
    assertEquals(Optional.of(5), CoachRestore.decide(
        new CoachRestore.Found(COACH, Map.of()), true, 4).rebuild());
  }

  @Test
  void aCoachThatNoLongerCoachesKeepsNothing() {
    CoachRestore.Decision d = CoachRestore.decide(
        new CoachRestore.Found(COACH, Map.of(1, whole(1))), false, 1);
    assertEquals(new CoachRestore.Decision(Optional.empty(), Optional.empty(), List.of(1)), d);
  }

  @Test
  void theFirstPairsBridgeHasNoNumber() {
    assertEquals(COACH + "-br-coach", ConferenceCoach.bridgeId(COACH, 1));
    assertEquals(COACH + "-br-coach-2", ConferenceCoach.bridgeId(COACH, 2));
  }
}
