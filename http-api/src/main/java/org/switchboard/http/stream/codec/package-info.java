/**
 * Audio formats of media streams and conversion between them: {@link
 * org.switchboard.http.stream.codec.AudioFormat} (µ-law 8 kHz, PCM16 little-endian at 8/16/24 kHz,
 * PCM16 big-endian), a streaming polyphase {@link org.switchboard.http.stream.codec.Resampler}
 * and a per-direction {@link org.switchboard.http.stream.codec.FormatConverter}.
 */
package org.switchboard.http.stream.codec;
