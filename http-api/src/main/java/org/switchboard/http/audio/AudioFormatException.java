package org.switchboard.http.audio;

import java.io.IOException;

/** Audio bytes that cannot be decoded: unknown container, unsupported encoding or garbage. */
public final class AudioFormatException extends IOException {

  /** With a message saying what is wrong with the audio. */
  public AudioFormatException(String message) {
    super(message);
  }

  /** With a message and the decoder's own failure. */
  public AudioFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
