package org.switchboard.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.switchboard.engine.script.CallEffect;
import org.switchboard.engine.script.ScriptInput;
import org.switchboard.engine.script.ScriptSettings;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.engine.script.TwimlInterpreter;
import org.switchboard.engine.script.Webhook;
import org.switchboard.engine.twiml.verb.Method;

/**
 * The TwiML interpreter's pure steps for one menu call, as the call actor runs them: Begin (fetch
 * the voice URL), the fetched menu document (parse, answer, Gather with its prompt), and the
 * caller's digit (Gather action fetch). No actors, no I/O.
 */
public class InterpreterStepBenchmark extends MicroBenchmark {

  static final URI VOICE = URI.create("https://hotline.example.org/api/telephony/incoming");

  static final byte[] MENU =
      ("<Response><Gather numDigits=\"1\" action=\"/api/telephony/menu\" timeout=\"8\">"
              + "<Say language=\"en-US\">For English, press 1.</Say></Gather>"
              + "<Redirect>/api/telephony/incoming</Redirect></Response>")
          .getBytes(StandardCharsets.UTF_8);

  private final TwimlInterpreter interpreter =
      new TwimlInterpreter(
          ScriptSettings.defaults(sid -> URI.create("https://example.org/r/" + sid)));

  /** Begin → menu fetched → digit 1: three steps of one call. */
  @Benchmark
  public ScriptState menuCall() {
    TwimlInterpreter.Step begin =
        interpreter.step(
            ScriptState.initial("CA0123456789abcdef0123456789abcdef"),
            new ScriptInput.Begin(new Webhook(VOICE, Method.POST), Optional.empty()));
    long fetchId = fetchId(begin);
    TwimlInterpreter.Step menu =
        interpreter.step(
            begin.state(),
            new ScriptInput.DocumentFetched(fetchId, VOICE, 200, "text/xml", MENU));
    return interpreter.step(menu.state(), new ScriptInput.Digit("1")).state();
  }

  private static long fetchId(TwimlInterpreter.Step step) {
    for (CallEffect e : step.effects()) {
      if (e instanceof CallEffect.FetchTwiml f) {
        return f.fetchId();
      }
    }
    throw new IllegalStateException("Begin did not fetch: " + step.effects());
  }
}
