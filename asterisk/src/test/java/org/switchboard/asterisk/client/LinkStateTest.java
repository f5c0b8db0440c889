package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinkStateTest {
  /** A clock the test moves. */
  private static final class Moving extends Clock {
    Instant now = Instant.parse("2026-12-07T06:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void theLinkIsDownFromTheMomentTheSocketClosedNotWhenTheStreamGotThere() {
    Moving clock = new Moving();
    LinkState state = new LinkState("ast1", clock);
    state.connected();
    clock.now = clock.now.plusSeconds(10);
    Instant closed = clock.now;
    state.socketClosed("closed by server");
    LinkStatus status = state.snapshot();
    assertFalse(status.connected());
    assertEquals(closed, status.since());

    // The engine reads the buffered events, then the stream reports the disconnect.
    clock.now = clock.now.plus(Duration.ofSeconds(15));
    assertEquals(closed, state.disconnected("closed by server"), "Disconnected carries the close");
    assertEquals(closed, state.snapshot().since());
    assertEquals(Optional.of("closed by server"), state.snapshot().lastError());
  }
}
