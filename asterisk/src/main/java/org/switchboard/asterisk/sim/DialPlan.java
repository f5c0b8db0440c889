package org.switchboard.asterisk.sim;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what the far end of a dial string does: runtime rules first (newest first), then the
 * configured rules, then the extension-name conventions of the recorded test dialplan
 * ({@code answer}, {@code ringN-answer}, {@code answer-after-N}, {@code busy}, {@code congestion},
 * {@code reject}, {@code ring-forever}, {@code nonexistent}, {@code nobody}), then the default.
 */
final class DialPlan {
  private static final Pattern RING_N = Pattern.compile("ring(\\d+)-answer");
  private final List<DialRule> runtimeRules = new CopyOnWriteArrayList<>();
  private final List<DialRule> configRules;
  private final DialBehaviour fallback;

  DialPlan(List<DialRule> configRules, DialBehaviour fallback) {
    this.configRules = List.copyOf(configRules);
    this.fallback = fallback;
  }

  void addRule(DialRule rule) {
    runtimeRules.add(0, rule);
  }

  void clearRuntimeRules() {
    runtimeRules.clear();
  }

  List<DialRule> runtimeRules() {
    return List.copyOf(runtimeRules);
  }

  DialBehaviour resolve(String endpoint) {
    for (DialRule r : runtimeRules) {
      if (r.matches(endpoint)) {
        return r.behaviour();
      }
    }
    for (DialRule r : configRules) {
      if (r.matches(endpoint)) {
        return r.behaviour();
      }
    }
    String resource = endpoint.substring(endpoint.indexOf('/') + 1);
    String name = resource.contains("@") ? resource.substring(0, resource.indexOf('@')) : resource;
    Matcher m = RING_N.matcher(name);
    if (m.matches()) {
      return new DialBehaviour.Answer(Duration.ofSeconds(Long.parseLong(m.group(1))));
    }
    if (name.equals("nobody")) {
      return new DialBehaviour.Fail();
    }
    try {
      return DialBehaviour.parse(name);
    } catch (IllegalArgumentException notAConvention) {
      return fallback;
    }
  }
}
