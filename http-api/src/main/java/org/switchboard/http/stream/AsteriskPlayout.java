package org.switchboard.http.stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames played to a caller through Asterisk's WebSocket channel ({@code chan_websocket}) at
 * Asterisk's pace. chan_websocket queues what it receives and its own 20 ms timer plays one frame
 * per tick, so "sent" is not "heard": each frame goes after a {@code MARK_MEDIA <seq>} command,
 * and Asterisk answers {@code MEDIA_MARK_PROCESSED <seq>} when its timer takes that mark off the
 * channel's queue, in the same step that hands the frame behind it to the bridge (Asterisk 22.8+,
 * {@code channels/chan_websocket.c} {@code dequeue_frame}). At most {@code window} frames are kept
 * in Asterisk's queue, and each answered mark tops it up again, so the sending follows Asterisk's
 * clock: a stall on our side is absorbed by the queue, and no backlog builds up behind it. {@code
 * MEDIA_XOFF} stops the sending until {@code MEDIA_XON}.
 *
 * <p>Cutting what plays: {@link #drop()} sends {@code FLUSH_MEDIA} (Asterisk empties its queue,
 * marks included) and forgets the frames at once; {@link #flush(Runnable)} also sends {@code
 * GET_STATUS}, answered at once on the same socket after every mark processed before the flush, so
 * when its {@code STATUS} arrives the frames still unconfirmed were never played: only then is the
 * count closed (a barge-in truncates at what was heard). Nothing is sent meanwhile.
 *
 * <p>An Asterisk that never answers a mark (chan_websocket before 22.8 has no {@code MARK_MEDIA})
 * is detected after {@link #UNANSWERED_TICKS} ticks with frames waiting: every frame sent counts as
 * played and {@link #marksUnsupported()} tells the session to send one frame per tick from then on.
 *
 * <p>Pure: commands go out through a consumer, frames come from and go back to the session's
 * {@link Frames}. Not thread-safe: the session calls it holding its lock.
 *
 * @param <F> the session's frame (audio and what it needs to know once it has played)
 */
final class AsteriskPlayout<F> {

  private static final Logger log = LoggerFactory.getLogger(AsteriskPlayout.class);

  /**
   * Frames kept in chan_websocket's queue (200 ms): enough to ride out a stall of the node, and
   * nothing to wait for when the audio is cut, where {@code FLUSH_MEDIA} drops them.
   */
  static final int WINDOW = 10;

  /** Ticks with frames sent and no mark ever answered before marks count as unsupported. */
  static final int UNANSWERED_TICKS = 100;

  /** Ticks to wait for the {@code STATUS} closing a flush before counting without it. */
  static final int FLUSH_TICKS = 25;

  /** What the pacing asks of its session (called holding the session's lock). */
  interface Frames<F> {
    /**
     * The next frame to play, or null when none is ready; a last partial frame (padded with
     * silence) only when {@code padPartial}, else it waits for more audio.
     */
    F next(boolean padPartial);

    /** Hands {@code frame} to Asterisk's socket (its {@code MARK_MEDIA} went just before). */
    void send(F frame);

    /** Asterisk played {@code frame} (or, marks unsupported, it counts as played). */
    void played(F frame);
  }

  private record Sent<F>(long seq, F frame) {}

  private final String streamSid;
  private final int window;
  private final int frameBytes;
  private final Consumer<String> commands;
  private final Frames<F> frames;
  private final Deque<Sent<F>> unplayed = new ArrayDeque<>();
  private long nextSeq = 1;
  private boolean paused;
  private boolean marksAnswered;
  private boolean marksUnsupported;
  private int unansweredTicks;
  private Runnable flushClosed;
  private int flushTicks;

  /**
   * Pacing for stream {@code streamSid} (log lines) of frames of {@code frameBytes}, at most
   * {@code window} in Asterisk's queue; {@code commands} sends a control command on the media
   * socket, in order with the audio.
   */
  AsteriskPlayout(String streamSid, int window, int frameBytes, Consumer<String> commands,
      Frames<F> frames) {
    this.streamSid = streamSid;
    this.window = window;
    this.frameBytes = frameBytes;
    this.commands = commands;
    this.frames = frames;
  }

  /** True once Asterisk was found not to answer {@code MARK_MEDIA}: the session paces by tick. */
  boolean marksUnsupported() {
    return marksUnsupported;
  }

  /** Frames sent that Asterisk has not reported played. */
  int unplayed() {
    return unplayed.size();
  }

  /** The oldest frame not reported played: the one the caller is hearing. */
  Optional<F> playing() {
    Sent<F> head = unplayed.peekFirst();
    return head == null ? Optional.empty() : Optional.of(head.frame());
  }

  /** The newest frame not reported played, or empty when Asterisk's queue is empty. */
  Optional<F> newest() {
    Sent<F> last = unplayed.peekLast();
    return last == null ? Optional.empty() : Optional.of(last.frame());
  }

  /** True while a {@link #flush} waits for its {@code STATUS}. */
  boolean flushing() {
    return flushClosed != null;
  }

  /**
   * Tops Asterisk's queue up to the window, each frame behind its {@code MARK_MEDIA}. A last
   * partial frame goes only {@code atTick} when Asterisk is about to run out, so audio arriving in
   * pieces plays without gaps.
   */
  void fill(boolean atTick) {
    while (flushClosed == null && !paused && unplayed.size() < window) {
      F next = frames.next(atTick && unplayed.size() <= 1);
      if (next == null) {
        return;
      }
      long seq = nextSeq++;
      unplayed.addLast(new Sent<>(seq, next));
      commands.accept("MARK_MEDIA " + seq);
      frames.send(next);
    }
  }

  /**
   * One 20 ms tick of the session: finds out whether Asterisk answers marks at all, and gives up
   * waiting for a flush's {@code STATUS} after {@link #FLUSH_TICKS} ticks (the count then closes
   * at what Asterisk reported played).
   */
  void tick() {
    boolean flushOverdue = flushClosed != null && ++flushTicks >= FLUSH_TICKS;
    if (!marksAnswered && !marksUnsupported && !unplayed.isEmpty()
        && ++unansweredTicks >= UNANSWERED_TICKS) {
      marksUnsupported = true;
      log.warn("stream {}: Asterisk does not answer MARK_MEDIA (chan_websocket before 22.8):"
          + " frames go one per tick and count as heard when sent", streamSid);
      List<Sent<F>> all = new ArrayList<>(unplayed);
      unplayed.clear();
      all.forEach(s -> frames.played(s.frame()));
      closeFlush();
    } else if (flushOverdue) {
      log.warn("stream {}: no STATUS from Asterisk after FLUSH_MEDIA; counting what it reported"
          + " played", streamSid);
      closeFlush();
    }
  }

  /**
   * One of chan_websocket's control events: marks processed (frames played, the queue topped up),
   * the {@code STATUS} that closes a flush, flow control, the frame size of {@code MEDIA_START};
   * the rest is logged.
   */
  void onEvent(String event) {
    String name = AsteriskMediaSocket.eventName(event);
    switch (name) {
      case "MEDIA_MARK_PROCESSED" -> {
        String id = event.trim().substring(name.length()).trim();
        try {
          played(Long.parseLong(id));
        } catch (NumberFormatException e) {
          log.debug("stream {}: a mark not ours: {}", streamSid, event);
        }
        if (!marksUnsupported) {
          fill(false);
        }
      }
      case "STATUS" -> closeFlush();
      case "MEDIA_XOFF" -> paused = true;
      case "MEDIA_XON" -> paused = false;
      case "MEDIA_START" -> checkFrameSize(event);
      default -> log.debug("stream {}: Asterisk says {}", streamSid, event);
    }
  }

  /**
   * Cuts what Asterisk holds ({@code FLUSH_MEDIA}, then {@code GET_STATUS}); {@code closed} runs
   * once the count is closed: at the {@code STATUS}, or when giving up on it. Nothing is sent
   * meanwhile. Ignored while a flush waits already.
   */
  void flush(Runnable closed) {
    if (flushClosed != null) {
      return;
    }
    commands.accept("FLUSH_MEDIA");
    commands.accept("GET_STATUS");
    flushClosed = closed;
    flushTicks = 0;
  }

  /**
   * Cuts what Asterisk holds ({@code FLUSH_MEDIA}) without waiting to count it; returns the frames
   * dropped, oldest first. The next frames may go at once: they queue behind the flush.
   */
  List<F> drop() {
    commands.accept("FLUSH_MEDIA");
    List<F> dropped = new ArrayList<>(unplayed.size());
    unplayed.forEach(s -> dropped.add(s.frame()));
    unplayed.clear();
    return dropped;
  }

  /** {@code MEDIA_MARK_PROCESSED <seq>}: every frame up to {@code seq} has played. */
  private void played(long seq) {
    marksAnswered = true;
    unansweredTicks = 0;
    while (!unplayed.isEmpty() && unplayed.peekFirst().seq() <= seq) {
      frames.played(unplayed.pollFirst().frame());
    }
  }

  /** The flush is over: the frames still unconfirmed were dropped by Asterisk. */
  private void closeFlush() {
    Runnable closed = flushClosed;
    if (closed != null) {
      flushClosed = null;
      unplayed.clear();
      closed.run();
    }
  }

  private void checkFrameSize(String mediaStart) {
    String size = AsteriskMediaSocket.fields(mediaStart).get("optimal_frame_size");
    if (size != null && !size.equals(Integer.toString(frameBytes))) {
      log.warn("stream {}: chan_websocket frames are {} bytes, not the {} sent: {}", streamSid,
          size, frameBytes, mediaStart);
    }
  }
}
