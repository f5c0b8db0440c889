package org.switchboard.http.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link EnvFile} reads what Bun and {@code dotenv} read from the same file. */
class EnvFileTest {

  private static Map<String, String> parse(String text) {
    return EnvFile.parse(text, Map.of("HOME", "/home/op")::get).values();
  }

  @Test
  void theSeedReadmesFileVerbatim() {
    Map<String, String> v = parse("""
        ARI_URL=ws://localhost:8088/ari/events
        ARI_REST_URL=http://localhost:8088/ari
        ARI_USERNAME=llamenos
        ARI_PASSWORD=changeme
        WORKER_WEBHOOK_URL=https://your-worker.example.com
        BRIDGE_SECRET=your-shared-secret-here
        BRIDGE_PORT=3000
        STASIS_APP=llamenos
        HOTLINE_NUMBER=+15551234567
        """);
    assertEquals(9, v.size());
    assertEquals("ws://localhost:8088/ari/events", v.get("ARI_URL"));
    assertEquals("+15551234567", v.get("HOTLINE_NUMBER"));
    assertEquals("your-shared-secret-here", v.get("BRIDGE_SECRET"));
  }

  @Test
  void commentsExportEmptyValuesAndWhitespace() {
    Map<String, String> v = parse("""
        # a comment
          # an indented comment

        export ARI_USERNAME=llamenos
        export\tSTASIS_APP = llamenos   # trailing comment
        SIP_PROVIDER=
        SIP_USERNAME=   \s
        BRIDGE_BIND:127.0.0.1
        PASS=abc#def
        """);
    assertEquals("llamenos", v.get("ARI_USERNAME"));
    assertEquals("llamenos", v.get("STASIS_APP"));
    assertEquals("", v.get("SIP_PROVIDER"));
    assertEquals("", v.get("SIP_USERNAME"));
    assertEquals("127.0.0.1", v.get("BRIDGE_BIND"));
    // dotenv: an unquoted value ends at '#'
    assertEquals("abc", v.get("PASS"));
  }

  @Test
  void quotes() {
    Map<String, String> v = parse("""
        SINGLE='a # b $HOME \\n'
        DOUBLE="a # b \\"q\\" line\\nnext"
        BACKTICK=`it's "x"`
        AFTER="value" # comment
        MULTI="first
        second"
        UNCLOSED="abc
        NEXT=1
        """);
    assertEquals("a # b $HOME \\n", v.get("SINGLE"));
    assertEquals("a # b \"q\" line\nnext", v.get("DOUBLE"));
    assertEquals("it's \"x\"", v.get("BACKTICK"));
    assertEquals("value", v.get("AFTER"));
    assertEquals("first\nsecond", v.get("MULTI"));
    // An unclosed quote is an unquoted value (up to the end of its line).
    assertEquals("\"abc", v.get("UNCLOSED"));
    assertEquals("1", v.get("NEXT"));
  }

  @Test
  void expansionLikeBun() {
    Map<String, String> v = parse("""
        HOST=asterisk.local
        ARI_REST_URL=http://${HOST}:8088/ari
        ARI_URL=ws://$HOST:8088/ari/events
        DIR="$HOME/var"
        LITERAL='$HOST'
        ESCAPED=\\$HOST
        MISSING=x${NOPE}y
        """);
    assertEquals("http://asterisk.local:8088/ari", v.get("ARI_REST_URL"));
    assertEquals("ws://asterisk.local:8088/ari/events", v.get("ARI_URL"));
    assertEquals("/home/op/var", v.get("DIR"));
    assertEquals("$HOST", v.get("LITERAL"));
    assertEquals("$HOST", v.get("ESCAPED"));
    assertEquals("xy", v.get("MISSING"));
  }

  @Test
  void windowsLineEndsLaterLinesWinAndGarbageIsCounted() {
    EnvFile file = EnvFile.parse("A=1\r\nA=2\r\nnot an assignment\r\nB=3", k -> null);
    assertEquals(Map.of("A", "2", "B", "3"), file.values());
    assertEquals(1, file.skippedLines());
    assertFalse(file.values().containsKey("not"));
  }
}
