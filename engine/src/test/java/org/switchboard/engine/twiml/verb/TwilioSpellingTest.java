package org.switchboard.engine.twiml.verb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The Twilio values the engine reports are spelled exactly as Twilio spells them. */
class TwilioSpellingTest {

  private static <E extends Enum<E>> List<String> spellings(E[] values, Function<E, String> wire) {
    return Arrays.stream(values).map(wire).toList();
  }

  @Test
  void callStatusesAreTwiliosCallStatusValues() {
    assertEquals(
        List.of("queued", "initiated", "ringing", "in-progress", "completed", "busy", "failed",
            "no-answer", "canceled"),
        spellings(CallStatus.values(), CallStatus::wire));
  }

  @Test
  void dialQueueAndDequeueResultsAreTwiliosValues() {
    assertEquals(List.of("completed", "answered", "busy", "no-answer", "failed", "canceled"),
        spellings(DialCallStatus.values(), DialCallStatus::wire));
    assertEquals(
        List.of("bridged", "hangup", "leave", "redirected", "error", "queue-full", "system-error"),
        spellings(QueueResult.values(), QueueResult::wire));
    assertEquals(List.of("bridged", "queue-empty", "system-error"),
        spellings(DequeueResult.values(), DequeueResult::wire));
  }

  @Test
  void aCallStatusIsReadBackLenientlyOrStrictly() {
    assertEquals(Optional.of(CallStatus.NO_ANSWER), CallStatus.parse(" No-Answer "));
    assertEquals(Optional.empty(), CallStatus.parse("no_answer"));
    assertEquals(Optional.empty(), CallStatus.parse(null));
    assertEquals(CallStatus.IN_PROGRESS, CallStatus.fromWire("in-progress"));
    assertThrows(IllegalArgumentException.class, () -> CallStatus.fromWire("answered"));
  }

  @Test
  void onlyTheEndStatusesAreFinal() {
    assertTrue(CallStatus.CANCELED.isFinal());
    assertTrue(CallStatus.NO_ANSWER.isFinal());
    assertFalse(CallStatus.IN_PROGRESS.isFinal());
    assertFalse(CallStatus.QUEUED.isFinal());
  }
}
