package org.switchboard.engine.twiml;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.switchboard.engine.twiml.verb.Verb;

/**
 * A parsed {@code <Response>}: its verbs in document order, every URL in them already resolved
 * against {@code url}. An empty list means "hang up" (spec §5.1).
 *
 * @param url the URL the document was fetched from (after redirects); the base for relative URLs
 *     and the default {@code action} of Gather and Record
 * @param verbs the verbs, top to bottom
 * @param warnings what the parser ignored (unknown attributes, stray text), for the call's log
 */
public record TwimlDocument(URI url, List<Verb> verbs, List<TwimlWarning> warnings) {

  public TwimlDocument {
    Objects.requireNonNull(url, "url");
    verbs = List.copyOf(verbs);
    warnings = List.copyOf(warnings);
  }

  /** A document without warnings. */
  public TwimlDocument(URI url, List<Verb> verbs) {
    this(url, verbs, List.of());
  }
}
