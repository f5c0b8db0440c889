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

    /**
     * The speech of a {@code <Say>}: its plain text, or, when its body holds SSML elements, an
     * SSML document ({@code <speak xml:lang="…">…</speak>}) for the TTS engine.
     */
    public static Speech of(Say say) {
      if (!say.ssml().contains("<")) {
        return new Speech(say.text(), say.voice(), say.language());
      }
      String lang = say.language().replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
      return new Speech("<speak xml:lang=\"" + lang + "\">" + say.ssml() + "</speak>",
          say.voice(), say.language());
    }

    /** Whether {@link #text} is an SSML document rather than plain text. */
    public boolean isSsml() {
      return text.startsWith("<speak");
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
