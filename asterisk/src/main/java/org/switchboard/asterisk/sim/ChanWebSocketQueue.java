package org.switchboard.asterisk.sim;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * The frame queue of one chan_websocket channel, as Asterisk 22.10.1's {@code chan_websocket.c}
 * runs it (plain-text control messages, the default {@code control_message_format}): audio the
 * application sends is cut into frames of {@code optimal_frame_size} bytes (a partial rest is
 * dropped unless media buffering is on) and queued; the channel's 20 ms timer takes one frame off
 * the queue per tick (nothing while paused), first passing on the control events queued before it
 * ({@code MEDIA_MARK_PROCESSED}, {@code MEDIA_BUFFERING_COMPLETED}); a message arriving with 1,000
 * frames queued is dropped; {@code MEDIA_XOFF} is sent when the queue reaches 900 frames and
 * {@code MEDIA_XON} at the first tick below 800. Commands: {@code MARK_MEDIA [id]},
 * {@code FLUSH_MEDIA}, {@code GET_STATUS} (answered at once with {@code STATUS}),
 * {@code REPORT_QUEUE_DRAINED}, {@code START_MEDIA_BUFFERING}, {@code STOP_MEDIA_BUFFERING [id]},
 * {@code PAUSE_MEDIA}, {@code CONTINUE_MEDIA}; others are ignored as Asterisk ignores them. Not
 * thread-safe: its {@link ExternalMedia} guards it.
 */
final class ChanWebSocketQueue {
  static final int QUEUE_LENGTH_MAX = 1000;
  static final int XOFF_LEVEL = 900;
  static final int XON_LEVEL = 800;

  /** A queued frame, or a control event to send when the timer reaches it. */
  private record Item(byte[] audio, String event) {}

  private final String channelId;
  private final int frameBytes;
  private final Consumer<String> events;
  private final Deque<Item> queue = new ArrayDeque<>();
  private final byte[] leftover;
  private int leftoverLength;
  private int length;
  private boolean full;
  private boolean paused;
  private boolean buffering;
  private boolean reportDrained;

  /**
   * The queue of channel {@code channelId}, whose frames hold {@code frameBytes}; {@code events}
   * sends a TEXT message to the application.
   */
  ChanWebSocketQueue(String channelId, int frameBytes, Consumer<String> events) {
    this.channelId = channelId;
    this.frameBytes = frameBytes;
    this.events = events;
    this.leftover = new byte[frameBytes];
  }

  /** One BINARY message from the application. */
  void binary(byte[] payload) {
    if (length >= QUEUE_LENGTH_MAX) {
      return;
    }
    int offset = 0;
    if (buffering && leftoverLength > 0) {
      int take = Math.min(frameBytes - leftoverLength, payload.length);
      System.arraycopy(payload, 0, leftover, leftoverLength, take);
      leftoverLength += take;
      offset = take;
      if (leftoverLength < frameBytes) {
        return;
      }
      enqueue(leftover.clone());
      leftoverLength = 0;
    }
    if (!buffering) {
      leftoverLength = 0;
    }
    for (; payload.length - offset >= frameBytes; offset += frameBytes) {
      enqueue(Arrays.copyOfRange(payload, offset, offset + frameBytes));
    }
    if (buffering && offset < payload.length) {
      leftoverLength = payload.length - offset;
      System.arraycopy(payload, offset, leftover, 0, leftoverLength);
    }
  }

  /** One TEXT message (a command) from the application. */
  void text(String message) {
    String trimmed = message.strip();
    int space = trimmed.indexOf(' ');
    String command = space < 0 ? trimmed : trimmed.substring(0, space);
    String data = space < 0 ? null : trimmed.substring(space + 1);
    switch (command) {
      case "MARK_MEDIA" -> queue.addLast(new Item(null, withId("MEDIA_MARK_PROCESSED", data)));
      case "FLUSH_MEDIA" -> {
        queue.clear();
        length = 0;
        buffering = false;
        leftoverLength = 0;
      }
      case "GET_STATUS" -> events.accept("STATUS channel_id:" + channelId + " queue_length:"
          + length + " xon_level:" + XON_LEVEL + " xoff_level:" + XOFF_LEVEL + " queue_full:"
          + full + " bulk_media:" + buffering + " media_paused:" + paused);
      case "REPORT_QUEUE_DRAINED" -> reportDrained = true;
      case "START_MEDIA_BUFFERING" -> buffering = true;
      case "STOP_MEDIA_BUFFERING" -> {
        buffering = false;
        if (leftoverLength > 0) {
          enqueue(Arrays.copyOf(leftover, leftoverLength));
        }
        leftoverLength = 0;
        queue.addLast(new Item(null, withId("MEDIA_BUFFERING_COMPLETED", data)));
      }
      case "PAUSE_MEDIA" -> paused = true;
      case "CONTINUE_MEDIA" -> paused = false;
      default -> { }
    }
  }

  /**
   * One tick of the channel's timer: the control events queued before the next frame are sent,
   * and the frame is returned (null: the channel plays nothing this tick).
   */
  byte[] tick() {
    if (paused) {
      return null;
    }
    if (full && length < XON_LEVEL) {
      full = false;
      events.accept("MEDIA_XON");
    }
    Item next = queue.pollFirst();
    if (next == null) {
      if (reportDrained) {
        reportDrained = false;
        events.accept("QUEUE_DRAINED");
      }
      return null;
    }
    while (next != null && next.audio() == null) {
      events.accept(next.event());
      next = queue.pollFirst();
    }
    if (next == null) {
      return null;
    }
    length--;
    return next.audio();
  }

  /** Frames queued (control events not counted, as in Asterisk). */
  int length() {
    return length;
  }

  private void enqueue(byte[] frame) {
    queue.addLast(new Item(frame, null));
    length++;
    if (!full && length >= XOFF_LEVEL) {
      full = true;
      events.accept("MEDIA_XOFF");
    }
  }

  private static String withId(String event, String id) {
    return id == null || id.isEmpty() ? event : event + " " + id;
  }
}
