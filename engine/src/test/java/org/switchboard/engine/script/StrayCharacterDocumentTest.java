package org.switchboard.engine.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.switchboard.engine.script.CallEffect.AnswerCall;
import org.switchboard.engine.script.CallEffect.FetchTwiml;
import org.switchboard.engine.script.CallEffect.LogWarning;
import org.switchboard.engine.script.CallEffect.PlayMedia;

/**
 * A document the XML reader chokes on (an undeclared entity, a control character, a truncated
 * body, an unescaped ampersand) is an application error 12100 like any other: the fallback URL,
 * else the error prompt.
 */
class StrayCharacterDocumentTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "<Response><Say>Hello&nbsp;caller</Say></Response>",
      "<Response><Say>ring\u0008ring</Say></Response>",
      "<Response><Say>unclosed",
      "<Response><Redirect>/next?a=1&b=2</Redirect></Response>"})
  void goesToTheFallbackWith12100(String body) {
    ScriptHarness h = new ScriptHarness().begin(true).document(body);

    FetchTwiml fallback = h.last(FetchTwiml.class);
    assertEquals(ScriptHarness.FALLBACK, fallback.url());
    assertEquals("12100", ScriptHarness.param(fallback, "ErrorCode"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "<Response><Say>Hello&nbsp;caller</Say></Response>",
      "<Response><Say>unclosed"})
  void withoutFallbackPlaysTheErrorPrompt(String body) {
    ScriptHarness h = new ScriptHarness().begin(false).document(body);

    h.expect(new AnswerCall());
    assertTrue(h.effects.stream().anyMatch(e -> e instanceof LogWarning w
        && w.message().contains("12100") && w.message().contains("line 1, column ")));
    h.answered();
    h.expect(new PlayMedia(ScriptHarness.pb(2), ScriptSettings.DEFAULT_ERROR_PROMPT));
  }
}
