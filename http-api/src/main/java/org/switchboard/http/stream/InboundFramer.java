package org.switchboard.http.stream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Re-frames the µ-law audio of one track, as RTP packets of any length bring it, into Twilio's
 * Media Streams frames: 20 ms, 160 bytes each, {@code chunk} counting from 1 and {@code timestamp}
 * the milliseconds of the frame's first sample since the stream began. Asterisk sends short
 * packets (39–45 bytes where a playback changes file); applications' buffers expect whole frames.
 * Not thread-safe: the session guards it. Pure (no I/O), so its rules are tested directly.
 *
 * <p>Rules: audio that follows on (within a frame of where the last packet ended, whatever small
 * drift the RTP timestamps show) is appended, so timestamps advance exactly 20 ms per frame; a
 * forward gap of a frame or more (silence Asterisk did not send) pads the partial frame with µ-law
 * silence and resumes at the packet's own time; a timestamp that jumps back or too far (a new RTP
 * source) pads the partial frame and carries on from the next frame's time.
 */
public final class InboundFramer {

  /** µ-law bytes (and 8 kHz samples) per 20 ms frame. */
  public static final int FRAME = 160;

  /** µ-law silence. */
  static final byte SILENCE = (byte) 0xFF;

  /** The longest gap (10 s of samples) still placed at the packet's own time. */
  private static final long MAX_GAP = 80_000;

  /** A whole frame for the application. */
  public record Frame(long chunk, long timestampMillis, byte[] ulaw) {}

  private final int clockRate;
  private final byte[] partial = new byte[FRAME];
  private int filled;
  /** 8 kHz sample position of the partial frame's first sample. */
  private long frameStart;
  private long rtpReference = -1;
  /** Sample position that {@link #rtpReference} stands for. */
  private long referencePosition;
  private long chunks;

  /** A framer for RTP timestamps at {@code clockRate} (8000 for ulaw, 16000 for slin16). */
  public InboundFramer(int clockRate) {
    this.clockRate = clockRate;
  }

  /**
   * Adds {@code ulaw} (8 kHz), whose first sample has RTP timestamp {@code rtpTimestamp}; returns
   * the frames now complete, in order.
   */
  public List<Frame> add(long rtpTimestamp, byte[] ulaw) {
    List<Frame> out = new ArrayList<>(ulaw.length / FRAME + 2);
    if (rtpReference < 0) {
      rtpReference = rtpTimestamp;
    }
    long position =
        referencePosition + ((rtpTimestamp - rtpReference) & 0xFFFFFFFFL) * 8000 / clockRate;
    long delta = position - (frameStart + filled);
    if (Math.abs(delta) >= FRAME) {
      padPartial(out);
      if (delta > 0 && delta <= MAX_GAP) {
        frameStart = position;
      } else {
        rtpReference = rtpTimestamp;
        referencePosition = frameStart;
      }
    }
    int offset = 0;
    while (offset < ulaw.length) {
      int n = Math.min(FRAME - filled, ulaw.length - offset);
      System.arraycopy(ulaw, offset, partial, filled, n);
      filled += n;
      offset += n;
      if (filled == FRAME) {
        emit(out);
      }
    }
    return out;
  }

  /** The partial frame, padded with silence, if any audio waits (at the stream's end). */
  public Optional<Frame> flush() {
    List<Frame> out = new ArrayList<>(1);
    padPartial(out);
    return out.stream().findFirst();
  }

  private void padPartial(List<Frame> out) {
    if (filled > 0) {
      Arrays.fill(partial, filled, FRAME, SILENCE);
      filled = FRAME;
      emit(out);
    }
  }

  private void emit(List<Frame> out) {
    chunks++;
    out.add(new Frame(chunks, frameStart / 8, partial.clone()));
    frameStart += FRAME;
    filled = 0;
  }
}
