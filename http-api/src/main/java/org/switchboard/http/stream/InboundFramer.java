package org.switchboard.http.stream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.switchboard.http.stream.codec.AudioFormat;

/**
 * Re-frames the audio of one track, as RTP packets of any length bring it, into Twilio's
 * Media Streams frames: 20 ms each (160 bytes of µ-law, or the stream's {@link AudioFormat}), {@code chunk} counting from 1 and {@code timestamp}
 * the milliseconds of the frame's first sample since the stream began. Asterisk sends short
 * packets (39–45 bytes where a playback changes file); applications' buffers expect whole frames.
 * Not thread-safe: the session guards it. Pure (no I/O), so its rules are tested directly.
 *
 * <p>Rules: audio that follows on (within a frame of where the last packet ended, whatever small
 * drift the RTP timestamps show) is appended, so timestamps advance exactly 20 ms per frame; a
 * forward gap of a frame or more (silence Asterisk did not send) pads the partial frame with
 * silence and resumes at the packet's own time; a timestamp that jumps back or too far (a new RTP
 * source) pads the partial frame and carries on from the next frame's time.
 */
public final class InboundFramer {

  /** µ-law bytes (and 8 kHz samples) per 20 ms frame. */
  public static final int FRAME = 160;

  /** µ-law silence. */
  static final byte SILENCE = (byte) 0xFF;

  /** The longest gap still placed at the packet's own time, in seconds. */
  private static final long MAX_GAP_SECONDS = 10;

  /** A whole frame for the application; {@code ulaw} holds it in the framer's format. */
  public record Frame(long chunk, long timestampMillis, byte[] ulaw) {}

  private final int clockRate;
  private final int rate;
  private final int bytesPerSample;
  /** Frame length in samples. */
  private final int frame;
  private final long maxGap;
  private final byte silence;
  private final byte[] partial;
  /** Bytes of the partial frame filled. */
  private int filled;
  /** Sample position (at the format's rate) of the partial frame's first sample. */
  private long frameStart;
  private long rtpReference = -1;
  /** Sample position that {@link #rtpReference} stands for. */
  private long referencePosition;
  private long chunks;

  /** A µ-law 8 kHz framer for RTP timestamps at {@code clockRate} (8000 for ulaw, 16000 for slin16). */
  public InboundFramer(int clockRate) {
    this(clockRate, AudioFormat.MULAW_8K);
  }

  /** A framer of audio in {@code format}, placed by RTP timestamps at {@code clockRate}. */
  public InboundFramer(int clockRate, AudioFormat format) {
    this.clockRate = clockRate;
    this.rate = format.sampleRate();
    this.bytesPerSample = format.bytesPerSample();
    this.frame = format.frameSamples();
    this.maxGap = MAX_GAP_SECONDS * rate;
    this.silence = format.encoding() == AudioFormat.Encoding.MULAW ? SILENCE : 0;
    this.partial = new byte[format.frameBytes()];
  }

  /**
   * Adds {@code audio} (in the framer's format), whose first sample has RTP timestamp
   * {@code rtpTimestamp}; returns the frames now complete, in order. A whole frame that follows
   * on becomes a frame as it is: the caller must not change the array after.
   */
  public List<Frame> add(long rtpTimestamp, byte[] audio) {
    if (rtpReference < 0) {
      rtpReference = rtpTimestamp;
    }
    long position =
        referencePosition + ((rtpTimestamp - rtpReference) & 0xFFFFFFFFL) * rate / clockRate;
    long delta = position - (frameStart + filled / bytesPerSample);
    if (filled == 0 && audio.length == partial.length && Math.abs(delta) < frame) {
      // The usual packet: exactly one 20 ms frame, on time.
      chunks++;
      Frame whole = new Frame(chunks, frameStart * 1000 / rate, audio);
      frameStart += frame;
      return List.of(whole);
    }
    List<Frame> out = new ArrayList<>(audio.length / partial.length + 2);
    if (Math.abs(delta) >= frame) {
      padPartial(out);
      if (delta > 0 && delta <= maxGap) {
        frameStart = position;
      } else {
        rtpReference = rtpTimestamp;
        referencePosition = frameStart;
      }
    }
    int offset = 0;
    while (offset < audio.length) {
      int n = Math.min(partial.length - filled, audio.length - offset);
      System.arraycopy(audio, offset, partial, filled, n);
      filled += n;
      offset += n;
      if (filled == partial.length) {
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
      Arrays.fill(partial, filled, partial.length, silence);
      filled = partial.length;
      emit(out);
    }
  }

  private void emit(List<Frame> out) {
    chunks++;
    out.add(new Frame(chunks, frameStart * 1000 / rate, partial.clone()));
    frameStart += frame;
    filled = 0;
  }
}
