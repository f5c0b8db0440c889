package org.switchboard.http.stream.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The count of frames chan_websocket holds: the window, marks, a flush closed by STATUS (or given
 * up on), flow control, and an Asterisk that never answers marks. With {@link AgentPlayout}: what
 * a barge-in truncates is what was played, not what was sent.
 */
class WebSocketPlaybackTest {

  private final WebSocketPlayback queue = new WebSocketPlayback(3);

  @Test
  void theWindowFillsAndEachMarkProcessedPlaysItsFrameAndThoseBefore() {
    assertEquals(1, queue.sent("a", 640));
    assertEquals(2, queue.sent("a", 640));
    assertEquals(3, queue.sent("b", 100));
    assertFalse(queue.canSend(), "three frames in Asterisk's queue");
    assertEquals(Optional.of("a"), queue.playingItem());
    List<WebSocketPlayback.Sent> played = queue.played(2);
    assertEquals(List.of(1L, 2L), played.stream().map(WebSocketPlayback.Sent::seq).toList());
    assertTrue(queue.canSend());
    assertEquals(Optional.of("b"), queue.playingItem());
    assertEquals(List.of(), queue.played(2), "a repeated mark plays nothing more");
    queue.paused(true);
    assertFalse(queue.canSend(), "MEDIA_XOFF");
    queue.paused(false);
    assertTrue(queue.canSend(), "MEDIA_XON");
  }

  @Test
  void aFlushCountsOnlyWhatAsteriskReportedPlayed() {
    AgentPlayout playout = new AgentPlayout(640, 32, (byte) 0, 100);
    playout.add("item", new byte[640 * 8], 0);
    for (int i = 0; i < 3; i++) {
      AgentPlayout.Frame f = playout.pollUnheard(false).orElseThrow();
      queue.sent(f.itemId(), f.realBytes());
    }
    queue.played(1).forEach(f -> playout.heard(f.itemId(), f.realBytes()));
    assertEquals(20, playout.heardMs("item"), "one frame played of three sent");
    assertEquals(Optional.of("item"), playout.dropQueued());
    queue.flushing("item");
    assertFalse(queue.canSend(), "nothing is sent until the flush is closed");
    queue.played(2).forEach(f -> playout.heard(f.itemId(), f.realBytes()));
    assertEquals(Optional.of("item"), queue.flushed());
    assertEquals(40, playout.heardMs("item"), "frame 3 was flushed, never played");
    assertEquals(0, queue.unplayed());
    assertEquals(Optional.empty(), queue.flushed(), "a STATUS without a flush closes nothing");
  }

  @Test
  void aFlushWithoutStatusIsGivenUpAfterItsTicks() {
    queue.sent("a", 640);
    queue.played(1);
    queue.sent("a", 640);
    queue.flushing("a");
    for (int i = 1; i < WebSocketPlayback.FLUSH_TICKS; i++) {
      assertFalse(queue.tick());
    }
    assertTrue(queue.tick());
  }

  @Test
  void marksNeverAnsweredCountAsUnsupportedOnlyWithFramesWaiting() {
    for (int i = 0; i < 2 * WebSocketPlayback.UNANSWERED_TICKS; i++) {
      queue.tick();
    }
    assertFalse(queue.marksUnsupported(), "nothing was sent");
    queue.sent("a", 640);
    for (int i = 1; i < WebSocketPlayback.UNANSWERED_TICKS; i++) {
      queue.tick();
    }
    assertFalse(queue.marksUnsupported());
    queue.tick();
    assertTrue(queue.marksUnsupported());
    assertEquals(1, queue.forgetAll().size());
    assertEquals(0, queue.unplayed());
  }
}
