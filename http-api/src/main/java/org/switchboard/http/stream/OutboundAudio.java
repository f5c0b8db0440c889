package org.switchboard.http.stream;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.switchboard.http.audio.G711;
import org.switchboard.http.stream.codec.AudioFormat;

/**
 * The application's audio waiting to be played, as 20 ms frames (µ-law, or the stream's {@link
 * AudioFormat}) interleaved with marks.
 * Not thread-safe: the session guards it. Pure (no I/O), so its rules are tested directly.
 *
 * <p>Rules (Twilio Media Streams): audio plays in order; a mark is echoed once the audio queued
 * before it has been sent, at once if nothing is queued; {@code clear} drops all queued audio and
 * echoes every pending mark. A partial frame is padded with silence when a mark follows it or
 * when nothing else is left to play.
 */
public final class OutboundAudio {

  /** µ-law bytes per 20 ms frame. */
  public static final int FRAME = 160;

  private sealed interface Item permits Frame, Mark {}

  private record Frame(byte[] ulaw, long arrivedNanos) implements Item {}

  private record Mark(String name) implements Item {}

  /**
   * What one tick produced.
   *
   * @param frame the frame to send now, or null
   * @param marks marks reached after it, in order
   * @param arrivedNanos when the frame's audio arrived ({@link #addAudio(byte[], long)}), 0 if none
   */
  public record Tick(byte[] frame, List<String> marks, long arrivedNanos) {}

  private final Deque<Item> items = new ArrayDeque<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private long partialArrivedNanos;
  private final int maxFrames;
  private final int frameBytes;
  private final byte silence;
  private int frames;
  private long dropped;

  /** A µ-law queue holding at most {@code maxFrames} frames (the oldest is dropped beyond). */
  public OutboundAudio(int maxFrames) {
    this(maxFrames, AudioFormat.MULAW_8K);
  }

  /** A queue of audio in {@code format} holding at most {@code maxFrames} frames. */
  public OutboundAudio(int maxFrames, AudioFormat format) {
    this.maxFrames = maxFrames;
    this.frameBytes = format.frameBytes();
    this.silence = format.encoding() == AudioFormat.Encoding.MULAW ? G711.ULAW_SILENCE : 0;
  }

  /** Queues audio of any length, in the queue's format. */
  public void addAudio(byte[] audio) {
    addAudio(audio, 0);
  }

  /**
   * Queues audio that arrived at {@code arrivedNanos} ({@link System#nanoTime()}). A whole frame
   * arriving on a frame boundary is queued as it is: the caller must not change the array after.
   */
  public void addAudio(byte[] audio, long arrivedNanos) {
    if (partial.size() == 0 && audio.length == frameBytes) {
      addFrame(audio, arrivedNanos);
      return;
    }
    if (partial.size() == 0) {
      partialArrivedNanos = arrivedNanos;
    }
    partial.writeBytes(audio);
    if (partial.size() >= frameBytes) {
      byte[] all = partial.toByteArray();
      int whole = all.length / frameBytes * frameBytes;
      for (int i = 0; i < whole; i += frameBytes) {
        addFrame(Arrays.copyOfRange(all, i, i + frameBytes), partialArrivedNanos);
        partialArrivedNanos = arrivedNanos;
      }
      partial.reset();
      partial.write(all, whole, all.length - whole);
    }
  }

  /** Queues a mark; returns it at once (to echo now) when no audio is queued. */
  public List<String> addMark(String name) {
    if (frames == 0 && partial.size() == 0) {
      return List.of(name);
    }
    flushPartial();
    items.addLast(new Mark(name));
    return List.of();
  }

  /** Takes the next frame and the marks that follow it. */
  public Tick poll() {
    return poll(true);
  }

  /**
   * As {@link #poll()}; when no whole frame is queued, a partial one is padded and taken only if
   * {@code padPartial} (else it waits for more audio).
   */
  public Tick poll(boolean padPartial) {
    if (frames == 0 && padPartial) {
      flushPartial();
    }
    byte[] frame = null;
    long arrived = 0;
    Item head = items.peekFirst();
    if (head instanceof Frame f) {
      items.removeFirst();
      frames--;
      frame = f.ulaw();
      arrived = f.arrivedNanos();
    }
    List<String> marks = List.of();
    while (items.peekFirst() instanceof Mark m) {
      items.removeFirst();
      if (marks.isEmpty()) {
        marks = new ArrayList<>();
      }
      marks.add(m.name());
    }
    return new Tick(frame, marks, arrived);
  }

  /** Drops all queued audio; returns the pending marks in order. */
  public List<String> clear() {
    List<String> marks = new ArrayList<>();
    for (Item item : items) {
      if (item instanceof Mark m) {
        marks.add(m.name());
      }
    }
    items.clear();
    partial.reset();
    frames = 0;
    return marks;
  }

  /** Whole frames queued. */
  public int frames() {
    return frames;
  }

  /** Marks waiting behind queued audio. */
  public int marks() {
    return (int) items.stream().filter(Mark.class::isInstance).count();
  }

  /** Frames dropped because the queue was full. */
  public long dropped() {
    return dropped;
  }

  private void addFrame(byte[] frame, long arrivedNanos) {
    if (frames >= maxFrames) {
      for (var it = items.iterator(); it.hasNext(); ) {
        if (it.next() instanceof Frame) {
          it.remove();
          frames--;
          dropped++;
          break;
        }
      }
    }
    items.addLast(new Frame(frame, arrivedNanos));
    frames++;
  }

  private void flushPartial() {
    if (partial.size() > 0) {
      byte[] frame = new byte[frameBytes];
      Arrays.fill(frame, silence);
      byte[] rest = partial.toByteArray();
      System.arraycopy(rest, 0, frame, 0, rest.length);
      partial.reset();
      addFrame(frame, partialArrivedNanos);
    }
  }
}
