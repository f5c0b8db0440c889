package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.switchboard.http.stream.realtime.AgentPlayout;

/**
 * The pacing of frames to chan_websocket on its own, without sockets: the window of frames in
 * Asterisk's queue, each behind its {@code MARK_MEDIA}, topped up by each mark processed; flow
 * control; a flush closed by {@code STATUS} (or given up on); a drop; an Asterisk that never
 * answers marks. With {@link AgentPlayout}: what a barge-in truncates is what was played, not what
 * was sent.
 */
class AsteriskPlayoutTest {

  /** Frames named "f1", "f2"… waiting to play; "p" is a partial frame, taken only when padded. */
  private final Deque<String> waiting = new ArrayDeque<>();
  private final List<String> wire = new ArrayList<>();
  private final List<String> played = new ArrayList<>();
  private boolean partialWaiting;

  private final AsteriskPlayout<String> pacer = new AsteriskPlayout<>("MZ1", 3, 160,
      command -> wire.add(command), new AsteriskPlayout.Frames<>() {
        @Override
        public String next(boolean padPartial) {
          if (waiting.isEmpty() && partialWaiting && padPartial) {
            partialWaiting = false;
            return "p";
          }
          return waiting.pollFirst();
        }

        @Override
        public void send(String frame) {
          wire.add(frame);
        }

        @Override
        public void played(String frame) {
          played.add(frame);
        }
      });

  @Test
  void theWindowFillsEachFrameBehindItsMarkAndEachMarkProcessedTopsItUp() {
    queue(5);
    pacer.fill(false);
    assertEquals(List.of("MARK_MEDIA 1", "f1", "MARK_MEDIA 2", "f2", "MARK_MEDIA 3", "f3"), wire);
    assertEquals(3, pacer.unplayed());
    assertEquals(Optional.of("f1"), pacer.playing());
    assertEquals(Optional.of("f3"), pacer.newest());
    wire.clear();
    pacer.onEvent("MEDIA_MARK_PROCESSED 2");
    assertEquals(List.of("f1", "f2"), played, "a mark plays its frame and those before");
    assertEquals(List.of("MARK_MEDIA 4", "f4", "MARK_MEDIA 5", "f5"), wire);
    assertEquals(Optional.of("f3"), pacer.playing());
    pacer.onEvent("MEDIA_MARK_PROCESSED 2");
    assertEquals(List.of("f1", "f2"), played, "a repeated mark plays nothing more");
    pacer.onEvent("MEDIA_MARK_PROCESSED later");
    assertEquals(3, pacer.unplayed(), "a mark not ours is ignored");
  }

  @Test
  void flowControlStopsTheSendingUntilXon() {
    queue(4);
    pacer.onEvent("MEDIA_XOFF");
    pacer.fill(true);
    assertEquals(List.of(), wire);
    pacer.onEvent("MEDIA_XON");
    pacer.fill(true);
    assertEquals(3, pacer.unplayed());
  }

  @Test
  void aPartialFrameGoesOnlyAtATickWhereAsteriskIsAboutToRunOut() {
    queue(2);
    partialWaiting = true;
    pacer.fill(false);
    assertEquals(2, pacer.unplayed(), "two whole frames sent; the partial one waits");
    pacer.fill(true);
    assertEquals(2, pacer.unplayed(), "two frames still queued in Asterisk");
    pacer.onEvent("MEDIA_MARK_PROCESSED 1");
    pacer.fill(true);
    assertEquals(List.of("f1"), played);
    assertEquals(Optional.of("p"), pacer.newest(), "one frame left in Asterisk: padded and sent");
  }

  @Test
  void aFlushSendsNothingUntilItsStatusThenCountsTheRestDropped() {
    queue(7);
    pacer.fill(false);
    pacer.onEvent("MEDIA_MARK_PROCESSED 1");
    List<String> closed = new ArrayList<>();
    wire.clear();
    pacer.flush(() -> closed.add("closed with " + played));
    assertEquals(List.of("FLUSH_MEDIA", "GET_STATUS"), wire);
    assertTrue(pacer.flushing());
    pacer.onEvent("MEDIA_MARK_PROCESSED 2");
    assertEquals(List.of("FLUSH_MEDIA", "GET_STATUS"), wire, "nothing sent during the flush");
    pacer.flush(() -> closed.add("a second flush"));
    pacer.onEvent("STATUS channel_id:x queue_length:0");
    assertEquals(List.of("closed with [f1, f2]"), closed, "frames 3 and 4 were never played");
    assertEquals(0, pacer.unplayed());
    assertFalse(pacer.flushing());
    pacer.onEvent("STATUS channel_id:x queue_length:0");
    assertEquals(1, closed.size(), "a STATUS without a flush closes nothing");
    pacer.fill(false);
    assertEquals(3, pacer.unplayed(), "sending resumes after the flush");
  }

  @Test
  void aFlushWithoutStatusIsGivenUpAfterItsTicks() {
    queue(2);
    pacer.fill(false);
    List<String> closed = new ArrayList<>();
    pacer.onEvent("MEDIA_MARK_PROCESSED 1");
    pacer.flush(() -> closed.add("closed"));
    for (int i = 1; i < AsteriskPlayout.FLUSH_TICKS; i++) {
      pacer.tick();
    }
    assertEquals(List.of(), closed);
    pacer.tick();
    assertEquals(List.of("closed"), closed);
    assertEquals(0, pacer.unplayed());
  }

  @Test
  void aDropFlushesAsteriskAndReturnsWhatItHeldWithoutWaiting() {
    queue(5);
    pacer.fill(false);
    pacer.onEvent("MEDIA_MARK_PROCESSED 1");
    wire.clear();
    assertEquals(List.of("f2", "f3", "f4"), pacer.drop());
    assertEquals(List.of("FLUSH_MEDIA"), wire);
    assertEquals(0, pacer.unplayed());
    pacer.fill(false);
    assertEquals(List.of("FLUSH_MEDIA", "MARK_MEDIA 5", "f5"), wire, "the next frame goes at once");
    pacer.onEvent("MEDIA_MARK_PROCESSED 3");
    assertEquals(List.of("f1"), played, "a late mark of a dropped frame plays nothing");
  }

  @Test
  void marksNeverAnsweredCountAsUnsupportedOnlyWithFramesWaiting() {
    for (int i = 0; i < 2 * AsteriskPlayout.UNANSWERED_TICKS; i++) {
      pacer.tick();
    }
    assertFalse(pacer.marksUnsupported(), "nothing was sent");
    queue(2);
    pacer.fill(false);
    for (int i = 1; i < AsteriskPlayout.UNANSWERED_TICKS; i++) {
      pacer.tick();
    }
    assertFalse(pacer.marksUnsupported());
    pacer.tick();
    assertTrue(pacer.marksUnsupported());
    assertEquals(List.of("f1", "f2"), played, "what was sent counts as played");
    assertEquals(0, pacer.unplayed());
  }

  @Test
  void aBargeInTruncatesAtWhatAsteriskReportedPlayed() {
    AgentPlayout playout = new AgentPlayout(640, 32, (byte) 0, 100);
    AsteriskPlayout<AgentPlayout.Frame> agent = new AsteriskPlayout<>("MZ2", 3, 640,
        command -> { }, new AsteriskPlayout.Frames<>() {
          @Override
          public AgentPlayout.Frame next(boolean padPartial) {
            return playout.pollUnheard(padPartial).orElse(null);
          }

          @Override
          public void send(AgentPlayout.Frame frame) {}

          @Override
          public void played(AgentPlayout.Frame frame) {
            playout.heard(frame.itemId(), frame.realBytes());
          }
        });
    playout.add("item", new byte[640 * 8], 0);
    agent.fill(false);
    agent.onEvent("MEDIA_MARK_PROCESSED 1");
    assertEquals(20, playout.heardMs("item"), "one frame played of four sent");
    assertEquals(Optional.of("item"), playout.dropQueued());
    List<Long> truncatedAt = new ArrayList<>();
    agent.flush(() -> truncatedAt.add(playout.heardMs("item")));
    agent.onEvent("MEDIA_MARK_PROCESSED 2");
    agent.onEvent("STATUS");
    assertEquals(List.of(40L), truncatedAt, "frames 3 and 4 were flushed, never played");
  }

  private void queue(int frames) {
    for (int i = 1; i <= frames; i++) {
      waiting.addLast("f" + i);
    }
  }
}
