package org.switchboard.asterisk.sim;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The simulator's {@code [switchboard-amd]} context (conf/extensions.conf): a channel continued
 * there with extension {@code amd-<initialSilence>-<greeting>-<afterGreetingSilence>-<total>-<end>-<endTimeout>}
 * runs {@code AMD()} and comes back to Stasis with {@code [amd, AMDSTATUS, AMDCAUSE(, WAITSTATUS)]}.
 * The events follow the recording on Asterisk 22 (docs/amd-transcript.md): {@code StasisEnd},
 * {@code ChannelDialplan AMD}, after the outcome's delay {@code ChannelVarset} {@code AMDSTATUS} and
 * {@code AMDCAUSE}, {@code ChannelDialplan GotoIf}, ({@code WaitForSilence} and {@code WAITSTATUS}
 * when the message end is awaited), {@code ChannelDialplan Stasis}, {@code ChannelVarset
 * STASISSTATUS}, {@code StasisStart}. What the far end is comes from the rules ({@link
 * AriSimulator#answeringMachine}, newest first, globs as in {@link DialRule}); without one it is a
 * person: {@link AmdOutcome#human} after the extension's after-greeting silence.
 */
final class AmdDialplan {
  static final String CONTEXT = "switchboard-amd";

  private final SimCore core;
  private final List<Map.Entry<DialRule, AmdOutcome>> rules = new CopyOnWriteArrayList<>();

  AmdDialplan(SimCore core) {
    this.core = core;
  }

  void addRule(String pattern, AmdOutcome outcome) {
    rules.add(0, Map.entry(new DialRule(pattern, new DialBehaviour.Answer(java.time.Duration.ZERO)),
        outcome));
  }

  void clearRules() {
    rules.clear();
  }

  /** Runs detection on {@code c} (already out of Stasis) for {@code app}. */
  void run(SimChannel c, String app, String extension) {
    String[] f = extension.split("-");
    if (!extension.startsWith("amd-") || f.length < 7) {
      core.hangup(c, Causes.NORMAL, SimCore.HangupStart.DIALPLAN);
      return;
    }
    c.inDialplan = true;
    c.context = CONTEXT;
    c.exten = extension;
    c.priority = 1;
    String amdArgs = f[1] + "," + f[2] + "," + f[3] + "," + f[4] + ",100,50,3,256,5000";
    core.dialplanApp(c, "AMD", amdArgs);
    boolean awaitEnd = Integer.parseInt(f[5]) > 0;
    AmdOutcome outcome = outcomeFor(c, Integer.parseInt(f[3]));
    core.later(c, outcome.after(), () -> {
      setVar(c, "AMDSTATUS", outcome.status());
      setVar(c, "AMDCAUSE", outcome.cause());
      boolean waits = awaitEnd && outcome.status().equals("MACHINE");
      c.priority = 2;
      core.dialplanApp(c, "GotoIf", (waits ? "1" : "0") + "?end");
      List<String> args = new java.util.ArrayList<>(List.of("amd", outcome.status(), outcome.cause()));
      if (waits) {
        c.priority = 5;
        core.dialplanApp(c, "WaitForSilence", f[5] + ",1," + f[6]);
        setVar(c, "WAITSTATUS", outcome.waitStatus());
        args.add(outcome.waitStatus());
      }
      c.priority = waits ? 6 : 3;
      String data = String.join(",", SimCore.prepend(app, args));
      core.dialplanApp(c, "Stasis", data);
      if (!core.enterStasis(c, app, args, true)) {
        core.hangup(c, Causes.NORMAL, SimCore.HangupStart.DIALPLAN);
      } else if (c.dialMode != SimChannel.DialMode.NONE) {
        c.stasisExitVarsets = 2;
        c.backFromDetection = true;
      }
    });
  }

  private AmdOutcome outcomeFor(SimChannel c, int afterGreetingSilenceMs) {
    String endpoint = c.technology + "/" + c.dialString;
    for (Map.Entry<DialRule, AmdOutcome> rule : rules) {
      if (rule.getKey().matches(endpoint)) {
        return rule.getValue();
      }
    }
    return AmdOutcome.human(java.time.Duration.ofMillis(500L + afterGreetingSilenceMs));
  }

  private void setVar(SimChannel c, String name, String value) {
    c.variables.put(name, value);
    core.emitChannel(core.event("ChannelVarset").put("variable", name).put("value", value), c);
  }
}
