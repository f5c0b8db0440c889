package org.switchboard.http.audio;

import java.util.Arrays;
import org.switchboard.engine.port.SoundSpan;

/**
 * Twilio's {@code trim="trim-silence"} on a finished recording: the leading and trailing silence
 * go. Sound is a 20 ms slice whose average absolute sample reaches 256, Asterisk's default
 * silence threshold ({@code dsp.conf}, the one that ends {@code <Record timeout>} and drives
 * {@code TALK_DETECT}); 200 ms of silence are kept on each side of the sound, as Asterisk keeps
 * after the sound when a recording ends on silence. Pure functions.
 */
public final class SilenceTrim {
  static final int THRESHOLD = 256;
  static final int SLICE_MS = 20;
  static final int MARGIN_MS = 200;

  private SilenceTrim() {}

  /** The part of {@code pcm} from its first to its last sound, with the margins; empty span if none. */
  public static SoundSpan span(Pcm pcm) {
    int slice = Math.max(1, pcm.sampleRate() * SLICE_MS / 1000);
    short[] s = pcm.samples();
    int first = -1;
    int last = -1;
    for (int at = 0; at < s.length; at += slice) {
      int end = Math.min(s.length, at + slice);
      long sum = 0;
      for (int i = at; i < end; i++) {
        sum += Math.abs(s[i]);
      }
      if (sum / (end - at) >= THRESHOLD) {
        if (first < 0) {
          first = at;
        }
        last = end;
      }
    }
    if (first < 0) {
      return new SoundSpan(0, 0);
    }
    long total = millis(s.length, pcm.sampleRate());
    return new SoundSpan(Math.max(0, millis(first, pcm.sampleRate()) - MARGIN_MS),
        Math.min(total, millis(last, pcm.sampleRate()) + MARGIN_MS));
  }

  /** The WAV {@code wav} cut to {@code span} (a 16-bit PCM WAV at the same rate). */
  public static byte[] cut(byte[] wav, SoundSpan span) throws AudioFormatException {
    Pcm pcm = WavCodec.decodeWav(wav);
    int from = (int) Math.min(pcm.samples().length, span.fromMs() * pcm.sampleRate() / 1000);
    int to = (int) Math.min(pcm.samples().length, span.toMs() * pcm.sampleRate() / 1000);
    return WavCodec.encodeWav(
        new Pcm(pcm.sampleRate(), Arrays.copyOfRange(pcm.samples(), from, Math.max(from, to))));
  }

  private static long millis(int samples, int rate) {
    return samples * 1000L / rate;
  }
}
