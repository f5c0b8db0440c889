package org.switchboard.http.stream.realtime;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's audio waiting to be played to the caller, as 20 ms frames of the ExternalMedia
 * format, each tagged with the conversation item it belongs to, and how much of each item the
 * caller has heard. Not thread-safe: the session guards it. Pure, so barge-in is tested directly.
 *
 * <p>Over RTP a frame counts as heard once it is taken for sending ({@link #poll()}): Asterisk
 * forwards it at once. Over chan_websocket, which queues what it gets and plays it at its own
 * pace, a frame is taken with {@link #pollUnheard} and counted with {@link #heard} once Asterisk
 * reports it played ({@code stream.AsteriskPlayout}). A last partial frame of an item is padded
 * with silence and counts only its real audio. {@link #clear()} drops everything queued and names
 * the item to truncate (the one whose audio was cut) with the milliseconds heard.
 */
public final class AgentPlayout {

  /**
   * A frame to send.
   *
   * @param audio the frame's bytes (always a whole frame)
   * @param itemId the item it belongs to
   * @param firstOfItem true for the item's first frame (latency is measured on it)
   * @param receivedNanos when the delta holding its first byte arrived ({@code System.nanoTime})
   * @param realBytes the item's audio in it (less than the frame for a padded last one)
   */
  public record Frame(byte[] audio, String itemId, boolean firstOfItem, long receivedNanos,
      int realBytes) {}

  /** Where the caller stopped hearing an item: {@code conversation.item.truncate}'s values. */
  public record Truncation(String itemId, long audioEndMs) {}

  private final int frameBytes;
  private final int bytesPerMs;
  private final byte silence;
  private final int maxFrames;
  private final Deque<Frame> frames = new ArrayDeque<>();
  private final Map<String, Long> heardBytes = new HashMap<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private String partialItem;
  private long partialNanos;
  private String lastQueuedItem;
  private long dropped;

  /**
   * A playout of frames of {@code frameBytes} holding {@code bytesPerMs} per millisecond.
   *
   * @param silence the byte that encodes silence (0xFF for µ-law, 0 for linear)
   * @param maxFrames frames queued before the oldest is dropped
   */
  public AgentPlayout(int frameBytes, int bytesPerMs, byte silence, int maxFrames) {
    this.frameBytes = frameBytes;
    this.bytesPerMs = bytesPerMs;
    this.silence = silence;
    this.maxFrames = maxFrames;
  }

  /** Queues audio of {@code itemId} that arrived at {@code receivedNanos}. */
  public void add(String itemId, byte[] audio, long receivedNanos) {
    if (!itemId.equals(partialItem)) {
      flushPartial();
      partialItem = itemId;
    }
    if (partial.size() == 0) {
      partialNanos = receivedNanos;
    }
    int offset = 0;
    while (partial.size() + (audio.length - offset) >= frameBytes) {
      int take = frameBytes - partial.size();
      partial.write(audio, offset, take);
      offset += take;
      enqueue(partial.toByteArray(), frameBytes);
      partial.reset();
      partialNanos = receivedNanos;
    }
    partial.write(audio, offset, audio.length - offset);
  }

  /**
   * Takes the next frame to send, counted as heard, or empty when nothing is left to play (a last
   * partial frame is padded and taken when no whole one is left).
   */
  public Optional<Frame> poll() {
    Optional<Frame> next = pollUnheard(true);
    next.ifPresent(f -> heard(f.itemId(), f.realBytes()));
    return next;
  }

  /**
   * Takes the next whole frame to send without counting it heard ({@link #heard} does once it has
   * played); when no whole frame is left, a partial one is padded and taken only if {@code
   * padPartial} (else it waits for more audio of its item).
   */
  public Optional<Frame> pollUnheard(boolean padPartial) {
    if (frames.isEmpty() && padPartial) {
      flushPartial();
    }
    return Optional.ofNullable(frames.pollFirst());
  }

  /** {@code realBytes} of {@code itemId} were played to the caller. */
  public void heard(String itemId, int realBytes) {
    heardBytes.merge(itemId, (long) realBytes, Long::sum);
  }

  /**
   * Drops all queued audio. Returns the item whose audio was cut and how much of it was heard, or
   * empty when nothing was waiting (the caller heard everything).
   */
  public Optional<Truncation> clear() {
    return dropQueued().map(cut -> new Truncation(cut, heardMs(cut)));
  }

  /**
   * Drops all queued audio; returns the item at its head (the one whose audio was cut), or empty
   * when nothing was waiting.
   */
  public Optional<String> dropQueued() {
    Frame head = frames.peekFirst();
    String cut = head != null ? head.itemId() : partial.size() > 0 ? partialItem : null;
    frames.clear();
    partial.reset();
    partialItem = null;
    return Optional.ofNullable(cut);
  }

  /** Milliseconds of {@code itemId} the caller heard so far. */
  public long heardMs(String itemId) {
    return heardBytes.getOrDefault(itemId, 0L) / bytesPerMs;
  }

  /** Whole frames queued. */
  public int frames() {
    return frames.size();
  }

  /** True when no audio waits, not even a partial frame. */
  public boolean isEmpty() {
    return frames.isEmpty() && partial.size() == 0;
  }

  /** Frames dropped because the queue was full. */
  public long dropped() {
    return dropped;
  }

  private void flushPartial() {
    if (partial.size() > 0) {
      byte[] frame = new byte[frameBytes];
      Arrays.fill(frame, silence);
      int real = partial.size();
      System.arraycopy(partial.toByteArray(), 0, frame, 0, real);
      partial.reset();
      enqueue(frame, real);
    }
  }

  private void enqueue(byte[] audio, int realBytes) {
    boolean first = !partialItem.equals(lastQueuedItem);
    lastQueuedItem = partialItem;
    if (frames.size() >= maxFrames) {
      frames.pollFirst();
      dropped++;
    }
    frames.addLast(new Frame(audio, partialItem, first, partialNanos, realBytes));
  }
}
