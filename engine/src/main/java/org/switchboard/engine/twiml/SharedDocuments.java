package org.switchboard.engine.twiml;

import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed TwiML shared between calls: an application answers most calls with the same few bodies
 * from the same URLs (the wait document of a queue, a menu), and a call keeps its document for as
 * long as the verb runs (a queued caller's {@code <Enqueue>} and wait document for the whole
 * wait). A body fetched again from the same URL gets the verbs (and their resolved URLs) parsed
 * the first time instead of a copy of its own.
 *
 * <p>Each fetch still gets a {@link TwimlDocument} of its own: a call tells documents apart by
 * identity ({@code call.Checkpointing}: "the same document" is the same fetch), so only what the
 * document holds is shared, which is immutable. A parse depends on the URL and the bytes alone,
 * so the shared verbs are the ones a parse would give. Bodies over {@link #MAX_BODY_BYTES} are
 * parsed each time; past {@link #CAPACITY} entries the memory starts again empty (bodies that are
 * unique to one call, such as a {@code <Dial><Queue>} naming the caller's own queue, never fill
 * it for long). {@code script.Documents} parses every fetched body through one.
 */
public final class SharedDocuments {
  /** Bodies up to this size are shared. */
  static final int MAX_BODY_BYTES = 4096;

  /**
   * Documents remembered at most: 512, or the system property {@code
   * switchboard.twiml.shared-documents} (0: every fetch parses its own, as before sharing).
   */
  static final int CAPACITY = Integer.getInteger("switchboard.twiml.shared-documents", 512);

  private final TwimlParser parser;
  private final ConcurrentHashMap<Key, TwimlDocument> documents = new ConcurrentHashMap<>();

  public SharedDocuments(TwimlParser parser) {
    this.parser = parser;
  }

  /** {@code body} fetched from {@code url}, parsed, or the verbs of an earlier equal parse. */
  public TwimlDocument parse(byte[] body, URI url) throws TwimlException {
    if (body.length > MAX_BODY_BYTES || CAPACITY <= 0) {
      return parser.parse(body, url);
    }
    Key key = new Key(url.toString(), body);
    TwimlDocument known = documents.get(key);
    if (known != null) {
      return new TwimlDocument(known.url(), known.verbs(), known.warnings());
    }
    TwimlDocument parsed = parser.parse(body, url);
    if (documents.size() >= CAPACITY) {
      documents.clear();
    }
    documents.put(key, parsed);
    return parsed;
  }

  /** Documents remembered now. */
  int size() {
    return documents.size();
  }

  /** A URL and the bytes fetched from it, compared by content. */
  private static final class Key {
    private final String url;
    private final byte[] body;
    private final int hash;

    Key(String url, byte[] body) {
      this.url = url;
      this.body = body;
      this.hash = 31 * url.hashCode() + Arrays.hashCode(body);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash && url.equals(k.url)
          && Arrays.equals(body, k.body);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
