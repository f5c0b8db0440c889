package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.switchboard.engine.twiml.verb.CallStatus;

/** The final status of a call that ends from outside its script follows from why it ended. */
class EndCauseTest {

  @Test
  void anAnsweredCallCompletesWhateverEndedIt() {
    for (EndCause cause : EndCause.values()) {
      assertEquals(CallStatus.COMPLETED, cause.finalStatus(true, CallStatus.NO_ANSWER), cause.name());
    }
  }

  @Test
  void beforeTheAnswerARestHangupCancelsAndAnyOtherEndTakesTheConfiguredStatus() {
    assertEquals(CallStatus.CANCELED, EndCause.REST_HANGUP.finalStatus(false, CallStatus.NO_ANSWER));
    assertEquals(CallStatus.NO_ANSWER,
        EndCause.CALLER_HUNG_UP.finalStatus(false, CallStatus.NO_ANSWER));
    assertEquals(CallStatus.BUSY, EndCause.CHANNEL_GONE.finalStatus(false, CallStatus.BUSY));
    assertEquals(CallStatus.CANCELED,
        EndCause.MAX_DURATION.finalStatus(false, CallStatus.CANCELED));
  }

  @Test
  void onlyAHangupOrAVanishedChannelMeansTheChannelIsGone() {
    assertTrue(EndCause.CALLER_HUNG_UP.channelGone());
    assertTrue(EndCause.CHANNEL_GONE.channelGone());
    assertFalse(EndCause.REST_HANGUP.channelGone());
    assertFalse(EndCause.MAX_DURATION.channelGone());
    assertFalse(EndCause.LEG_CANCELED.channelGone());
  }
}
