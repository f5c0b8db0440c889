package org.switchboard.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.switchboard.engine.twiml.TwimlDocument;
import org.switchboard.engine.twiml.TwimlException;
import org.switchboard.engine.twiml.TwimlParser;

/** Parsing the documents a hotline returns on every call: the menu and the queue entry. */
public class TwimlParseBenchmark extends MicroBenchmark {

  static final URI BASE = URI.create("https://hotline.example.org/api/telephony/incoming");

  static final byte[] MENU =
      ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
              + "<Gather numDigits=\"1\" action=\"/api/telephony/language-selected?callSid=CA1&amp;t=9\""
              + " method=\"POST\" timeout=\"8\">"
              + "<Say language=\"en-US\">For English, press 1.</Say>"
              + "<Say language=\"es-MX\">Para español, marque 2.</Say>"
              + "<Say language=\"fr-FR\">Pour le français, appuyez sur 3.</Say>"
              + "<Say language=\"ht\">Pou kreyòl, peze 4.</Say>"
              + "</Gather><Redirect method=\"POST\">/api/telephony/incoming</Redirect></Response>")
          .getBytes(StandardCharsets.UTF_8);

  static final byte[] ENQUEUE =
      ("<Response><Say language=\"en-US\">Please hold.</Say>"
              + "<Enqueue waitUrl=\"/api/telephony/wait-music?lang=en\""
              + " action=\"/api/telephony/queue-exit?callSid=CA1&amp;lang=en\" method=\"POST\">"
              + "hotline</Enqueue></Response>")
          .getBytes(StandardCharsets.UTF_8);

  private final TwimlParser parser = new TwimlParser();

  @Benchmark
  public TwimlDocument languageMenu() throws TwimlException {
    return parser.parse(MENU, BASE);
  }

  @Benchmark
  public TwimlDocument enqueue() throws TwimlException {
    return parser.parse(ENQUEUE, BASE);
  }
}
