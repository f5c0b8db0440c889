package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;

/**
 * What a caller hears while waiting in a queue ({@link Enqueue#waitUrl()}) or for a conference to
 * start ({@link Conference#waitUrl()}): the attribute is absent (default hold music), empty
 * (silence), or a URL returning TwiML or audio.
 */
public sealed interface WaitUrl {

  /** Attribute absent: the configured default hold music. */
  record DefaultMusic() implements WaitUrl {}

  /** {@code waitUrl=""}: silence. */
  record Silence() implements WaitUrl {}

  /** A resolved URL to fetch (TwiML, MP3 or WAV). */
  record Fetch(URI url) implements WaitUrl {
    public Fetch {
      Objects.requireNonNull(url, "url");
    }
  }
}
