package org.switchboard.engine.call;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.engine.port.HangupReason;

/**
 * What a node that drains (graceful shutdown) does with a new call ({@code StasisStart}):
 * {@code BUSY} or {@code REJECT} hang its channel up at once (cause 17 or 21) and no call runs;
 * {@code REDIRECT} runs a short script instead of the number's application: a {@code <Redirect>}
 * to {@code redirectUrl} (e.g. another node or region), else {@code <Say>say</Say>} then hangup.
 */
public record DrainPolicy(NewCalls newCalls, Optional<URI> redirectUrl, Optional<String> say) {

  /** {@code switchboard.drain.new-calls}. */
  public enum NewCalls {
    BUSY,
    REJECT,
    REDIRECT
  }

  public DrainPolicy {
    Objects.requireNonNull(newCalls, "newCalls");
    Objects.requireNonNull(redirectUrl, "redirectUrl");
    Objects.requireNonNull(say, "say");
    if (newCalls == NewCalls.REDIRECT && redirectUrl.isEmpty() && say.isEmpty()) {
      throw new IllegalArgumentException(
          "switchboard.drain.new-calls = redirect needs a redirect-url or a say text");
    }
  }

  /** New calls get busy. */
  public static final DrainPolicy BUSY = new DrainPolicy(NewCalls.BUSY, Optional.empty(), Optional.empty());

  /** The hangup that refuses a new call; empty when it runs {@link #twiml()} instead. */
  Optional<HangupReason> refusal() {
    return switch (newCalls) {
      case BUSY -> Optional.of(HangupReason.BUSY);
      case REJECT -> Optional.of(HangupReason.REJECTED);
      case REDIRECT -> Optional.empty();
    };
  }

  /** The document a redirected new call runs. */
  String twiml() {
    if (redirectUrl.isPresent()) {
      return "<Response><Redirect method=\"POST\">" + escape(redirectUrl.get().toString())
          + "</Redirect></Response>";
    }
    return "<Response><Say>" + escape(say.orElse("")) + "</Say><Hangup/></Response>";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
