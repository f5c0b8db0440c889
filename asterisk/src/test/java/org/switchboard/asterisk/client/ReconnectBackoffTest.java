package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Test
  void failedAttemptsDoubleTheWaitUpToTheMaximum() {
    ReconnectBackoff backoff = new ReconnectBackoff(ms(200), ms(1000), 0, () -> 0.99);
    assertEquals(ms(200), backoff.next());
    assertEquals(ms(400), backoff.next());
    assertEquals(ms(800), backoff.next());
    assertEquals(ms(1000), backoff.next());
    assertEquals(ms(1000), backoff.next());
  }

  @Test
  void aResyncedConnectionMakesTheNextWaitTheMinimumHoweverShortItLived() {
    ReconnectBackoff backoff = new ReconnectBackoff(ms(200), ms(5000), 0, () -> 0);
    for (int drop = 0; drop < 5; drop++) {
      assertEquals(ms(200), backoff.next(), "drop " + drop);
      backoff.resynced();
    }
    backoff.next();
    backoff.next(); // refused once (the server's gap)
    backoff.resynced();
    assertEquals(ms(200), backoff.next());
  }

  @Test
  void jitterAddsUpToItsShare() {
    assertEquals(ms(240), new ReconnectBackoff(ms(200), ms(5000), 0.2, () -> 1.0).next());
    assertEquals(ms(220), new ReconnectBackoff(ms(200), ms(5000), 0.2, () -> 0.5).next());
  }
}
