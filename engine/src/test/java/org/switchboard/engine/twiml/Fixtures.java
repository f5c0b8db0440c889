package org.switchboard.engine.twiml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import org.switchboard.engine.twiml.verb.Verb;

/** Loads TwiML fixtures from {@code src/test/resources/twiml/}. */
final class Fixtures {

  /** Where the hotline's documents come from in these tests. */
  static final URI HOTLINE = URI.create("https://hotline.example.org/api/telephony/incoming");

  private static final TwimlParser PARSER = new TwimlParser();

  private Fixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/twiml/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TwimlDocument parse(String name, URI url) throws TwimlException {
    return PARSER.parse(bytes(name), url);
  }

  static TwimlDocument parse(String name) throws TwimlException {
    return parse(name, HOTLINE);
  }

  static List<Verb> verbs(String name) throws TwimlException {
    return parse(name).verbs();
  }

  static URI url(String s) {
    return URI.create(s);
  }
}
