package org.switchboard.engine.script;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.engine.twiml.verb.Say;

/** Something to play, before the call actor turns it into ARI media URIs. */
public sealed interface MediaRef {

  /** Text to speak through the TTS port. */
  record Speech(String text, Optional<String> voice, String language) implements MediaRef {
    public Speech {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(voice, "voice");
      Objects.requireNonNull(language, "language");
    }

    /** The speech of a {@code <Say>}. */
    public static Speech of(Say say) {
      return new Speech(say.text(), say.voice(), say.language());
    }
  }

  /** An HTTP(S) audio URL, fetched and transcoded by the media port. */
  record Url(URI url) implements MediaRef {
    public Url {
      Objects.requireNonNull(url, "url");
    }
  }

  /** A media URI Asterisk plays as is ({@code sound:beep}, {@code tone:ring}, {@code recording:x}). */
  record Native(String media) implements MediaRef {
    public Native {
      Objects.requireNonNull(media, "media");
    }
  }

  /** ARI media schemes that need no fetching. */
  static boolean isNativeScheme(String scheme) {
    return scheme != null
        && switch (scheme) {
          case "sound", "recording", "tone", "digits", "number", "characters" -> true;
          default -> false;
        };
  }

  /** The media a {@code <Play>} URL stands for. */
  static MediaRef forPlay(URI url) {
    return isNativeScheme(url.getScheme()) ? new Native(url.toString()) : new Url(url);
  }
}
