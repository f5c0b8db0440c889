package org.switchboard.http.stream.realtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The agent's frames handed to Asterisk's WebSocket channel ({@code chan_websocket}) and not
 * played yet. chan_websocket queues what it receives and its own 20 ms timer plays one frame per
 * tick, so "sent" is not "heard": each frame goes after a {@code MARK_MEDIA <seq>} command, and
 * Asterisk answers {@code MEDIA_MARK_PROCESSED <seq>} when its timer takes that mark off the
 * channel's queue, in the same step that hands the frame behind it to the bridge (Asterisk 22.8+,
 * {@code channels/chan_websocket.c} {@code dequeue_frame}). At most {@code window} frames are kept
 * in Asterisk's queue, so our sending follows Asterisk's clock (a stall on our side is absorbed
 * by the queue, and no backlog builds up behind it); {@code MEDIA_XOFF} also stops the sending
 * until {@code MEDIA_XON}.
 *
 * <p>Barge-in: {@code FLUSH_MEDIA} empties Asterisk's queue (marks included) and {@code
 * GET_STATUS}, answered at once on the same socket, closes the count: every mark processed before
 * the flush has been reported before the {@code STATUS} reply, so the frames still unconfirmed
 * then were never played ({@link #flushed()}).
 *
 * <p>An Asterisk that never answers a mark (chan_websocket before 22.8 has no {@code
 * MARK_MEDIA}) is detected after {@link #UNANSWERED_TICKS} ticks with frames waiting: from then on
 * the session paces by its tick and counts sent frames as heard. Pure and not thread-safe: the
 * session guards it.
 */
public final class WebSocketPlayback {

  /** Ticks with frames sent and no mark ever answered before marks count as unsupported. */
  public static final int UNANSWERED_TICKS = 100;

  /** Ticks to wait for the {@code STATUS} closing a flush before counting without it. */
  public static final int FLUSH_TICKS = 25;

  /** A frame in Asterisk's queue. */
  public record Sent(long seq, String itemId, int realBytes) {}

  private final int window;
  private final Deque<Sent> unplayed = new ArrayDeque<>();
  private long nextSeq = 1;
  private boolean paused;
  private boolean marksAnswered;
  private boolean marksUnsupported;
  private int unansweredTicks;
  private String flushing;
  private int flushTicks;

  /** Keeps at most {@code window} frames in Asterisk's queue. */
  public WebSocketPlayback(int window) {
    this.window = window;
  }

  /** True when another frame may be sent now. */
  public boolean canSend() {
    return flushing == null && !paused && unplayed.size() < window;
  }

  /** Records a frame about to be sent; returns the sequence number of its mark. */
  public long sent(String itemId, int realBytes) {
    long seq = nextSeq++;
    unplayed.addLast(new Sent(seq, itemId, realBytes));
    return seq;
  }

  /**
   * {@code MEDIA_MARK_PROCESSED <seq>}: every frame up to {@code seq} has played; returns them,
   * oldest first. A mark of a frame no longer waiting (flushed) returns nothing.
   */
  public List<Sent> played(long seq) {
    marksAnswered = true;
    unansweredTicks = 0;
    List<Sent> done = new ArrayList<>();
    while (!unplayed.isEmpty() && unplayed.peekFirst().seq() <= seq) {
      done.add(unplayed.pollFirst());
    }
    return done;
  }

  /** Frames sent and not reported played. */
  public int unplayed() {
    return unplayed.size();
  }

  /** The item of the oldest frame not reported played: the one the caller is hearing. */
  public Optional<String> playingItem() {
    return unplayed.isEmpty() ? Optional.empty() : Optional.of(unplayed.peekFirst().itemId());
  }

  /** {@code FLUSH_MEDIA} and {@code GET_STATUS} were sent to cut {@code itemId}. */
  public void flushing(String itemId) {
    flushing = itemId;
    flushTicks = 0;
  }

  /** True while a flush waits for its {@code STATUS}. */
  public boolean isFlushing() {
    return flushing != null;
  }

  /**
   * {@code STATUS} after a flush: the frames still unconfirmed were dropped by Asterisk. Returns
   * the item to truncate, or empty when no flush was waiting.
   */
  public Optional<String> flushed() {
    String item = flushing;
    flushing = null;
    if (item != null) {
      unplayed.clear();
    }
    return Optional.ofNullable(item);
  }

  /** {@code MEDIA_XOFF} ({@code true}) or {@code MEDIA_XON}. */
  public void paused(boolean xoff) {
    paused = xoff;
  }

  /**
   * One 20 ms tick of the session. Returns true once a flush has waited {@link #FLUSH_TICKS}
   * ticks for its {@code STATUS} (the caller then counts it flushed without it).
   */
  public boolean tick() {
    if (!marksAnswered && !marksUnsupported && !unplayed.isEmpty()
        && ++unansweredTicks >= UNANSWERED_TICKS) {
      marksUnsupported = true;
    }
    return flushing != null && ++flushTicks >= FLUSH_TICKS;
  }

  /** True once Asterisk was found not to answer {@code MARK_MEDIA}. */
  public boolean marksUnsupported() {
    return marksUnsupported;
  }

  /** Empties the record (marks unsupported: everything sent counts as played). */
  public List<Sent> forgetAll() {
    List<Sent> all = new ArrayList<>(unplayed);
    unplayed.clear();
    return all;
  }
}
