package org.switchboard.asterisk.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * chan_websocket's frame queue as Asterisk 22.10.1 runs it ({@code channels/chan_websocket.c}):
 * framing, one frame per tick, marks, flush, status, flow control and buffering.
 */
class ChanWebSocketQueueTest {
  private static final int FRAME = 640;

  private final List<String> events = new ArrayList<>();
  private final ChanWebSocketQueue queue = new ChanWebSocketQueue("ch-1", FRAME, events::add);

  @Test
  void audioIsCutIntoFramesPlayedOnePerTickAndAPartialRestIsDropped() {
    queue.binary(bytes(2 * FRAME + 100, 1));
    assertEquals(2, queue.length());
    assertArrayEquals(bytes(FRAME, 1), queue.tick());
    assertEquals(1, queue.length());
    queue.tick();
    assertNull(queue.tick(), "nothing left: the 100 bytes were dropped");
  }

  @Test
  void aMarkIsReportedWhenTheTimerReachesItAndFlushDropsFramesAndMarks() {
    queue.binary(bytes(FRAME, 1));
    queue.text("MARK_MEDIA 1");
    queue.binary(bytes(FRAME, 2));
    queue.text("MARK_MEDIA 2");
    queue.binary(bytes(FRAME, 3));
    assertTrue(events.isEmpty());
    queue.tick();
    assertEquals(List.of(), events, "the mark after frame 1 waits for the next tick");
    assertArrayEquals(bytes(FRAME, 2), queue.tick());
    assertEquals(List.of("MEDIA_MARK_PROCESSED 1"), events);

    queue.text("FLUSH_MEDIA");
    queue.text("GET_STATUS");
    assertEquals("STATUS channel_id:ch-1 queue_length:0 xon_level:800 xoff_level:900"
        + " queue_full:false bulk_media:false media_paused:false", events.get(1));
    assertNull(queue.tick());
    assertEquals(2, events.size(), "mark 2 was flushed with frame 3");
  }

  @Test
  void xoffAt900FramesXonBelow800AndMessagesDroppedAt1000() {
    queue.binary(bytes(899 * FRAME, 0));
    assertTrue(events.isEmpty());
    queue.binary(bytes(FRAME, 0));
    assertEquals(List.of("MEDIA_XOFF"), events);
    queue.binary(bytes(200 * FRAME, 0));
    assertEquals(1100, queue.length(), "a message is checked against the limit only on arrival");
    queue.binary(bytes(FRAME, 0));
    assertEquals(1100, queue.length(), "dropped: 1,000 frames or more queued");
    for (int i = 0; i < 301; i++) {
      queue.tick();
    }
    assertEquals(1, events.size());
    queue.tick();
    assertEquals(List.of("MEDIA_XOFF", "MEDIA_XON"), events);
  }

  @Test
  void drainedIsReportedOnceAndPauseHoldsTheQueue() {
    queue.binary(bytes(FRAME, 0));
    queue.text("REPORT_QUEUE_DRAINED");
    queue.text("PAUSE_MEDIA");
    assertNull(queue.tick());
    assertEquals(1, queue.length());
    queue.text("CONTINUE_MEDIA");
    queue.tick();
    assertTrue(events.isEmpty());
    queue.tick();
    queue.tick();
    assertEquals(List.of("QUEUE_DRAINED"), events);
  }

  @Test
  void bufferingJoinsPartialMessagesAndStopQueuesTheRest() {
    queue.text("START_MEDIA_BUFFERING");
    queue.binary(bytes(FRAME / 2, 1));
    queue.binary(bytes(FRAME / 2 + 10, 1));
    assertEquals(1, queue.length());
    queue.text("STOP_MEDIA_BUFFERING b1");
    assertEquals(2, queue.length());
    queue.tick();
    assertEquals(10, queue.tick().length, "the rest as a short frame");
    queue.tick();
    assertEquals(List.of("MEDIA_BUFFERING_COMPLETED b1"), events);
  }

  private static byte[] bytes(int n, int value) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }
}
