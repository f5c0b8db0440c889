package org.switchboard.engine.script;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.switchboard.engine.twiml.SharedDocuments;
import org.switchboard.engine.twiml.TwimlDocument;
import org.switchboard.engine.twiml.TwimlException;
import org.switchboard.engine.twiml.TwimlParser;
import org.switchboard.engine.twiml.verb.Play;
import org.switchboard.engine.twiml.verb.Say;

/**
 * Turns the application's answer into a document (spec §5.1): XML and HTML types are TwiML, an
 * audio type is played then the call hangs up, {@code text/plain} is TwiML if it parses and
 * spoken otherwise; anything else, an HTTP error or an invalid document is an application error.
 */
final class Documents {
  /** Twilio's "Invalid Content-Type" code. */
  static final int INVALID_CONTENT_TYPE = 12300;

  private static final TwimlParser PARSER = new TwimlParser();

  /** Fetched bodies parsed once and shared between calls ({@link SharedDocuments}). */
  private static final SharedDocuments SHARED = new SharedDocuments(PARSER);

  private Documents() {}

  static void onFetched(Transition t, ScriptInput.DocumentFetched fetched) {
    String url = fetched.finalUrl().toString();
    if (fetched.status() < 200 || fetched.status() > 299) {
      Flow.fail(t, Flow.HTTP_RETRIEVAL_FAILURE, url, "HTTP status " + fetched.status());
      return;
    }
    String type = mediaType(fetched.contentType());
    byte[] body = fetched.body() == null ? new byte[0] : fetched.body();
    try {
      Optional<TwimlDocument> document = interpret(type, body, fetched.finalUrl());
      if (document.isEmpty()) {
        Flow.fail(t, INVALID_CONTENT_TYPE, url,
            "unusable Content-Type '" + fetched.contentType() + "'");
        return;
      }
      Flow.load(t, document.get());
    } catch (TwimlException e) {
      Flow.fail(t, e.code(), url, e.getMessage());
    }
  }

  /** Parses inline TwiML (REST redirect) against {@code base}. */
  static void loadInline(Transition t, String twiml, URI base) {
    try {
      Flow.load(t, PARSER.parse(twiml, base));
    } catch (TwimlException e) {
      Flow.fail(t, e.code(), base.toString(), "inline TwiML: " + e.getMessage());
    }
  }

  private static Optional<TwimlDocument> interpret(String type, byte[] body, URI url)
      throws TwimlException {
    if (type.equals("text/xml") || type.equals("application/xml") || type.equals("text/html")) {
      return Optional.of(SHARED.parse(body, url));
    }
    if (type.startsWith("audio/")) {
      return Optional.of(new TwimlDocument(url, List.of(Play.of(url))));
    }
    if (type.equals("text/plain")) {
      try {
        return Optional.of(SHARED.parse(body, url));
      } catch (TwimlException notTwiml) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return Optional.of(new TwimlDocument(url, text.isEmpty() ? List.of() : List.of(Say.of(text))));
      }
    }
    return Optional.empty();
  }

  /** {@code "Text/XML; charset=utf-8"} → {@code text/xml}; null → empty. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }
}
