package org.switchboard.loadtest;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Against a real Asterisk: the webhooks each caller's call sent to the test application, to
 * decide whether the call went through its script. The rule is the simulator's ({@link
 * CallBook#expectedPages}): every page the profile expects arrived; in addition no webhook may
 * carry an {@code ErrorCode} and the final status must be {@code completed}, so calls that took
 * an error path (webhook or ARI timeouts) are not counted as completed. Thread-safe.
 */
final class WebhookBook {
  private final Set<String> expected;
  private final Map<String, String> fromBySid = new HashMap<>();
  private final Map<String, Set<String>> pagesByFrom = new HashMap<>();
  private final Map<String, String> errorByFrom = new HashMap<>();

  WebhookBook(Profile profile) {
    this(expected(profile, System.getProperty("loadtest.expect", "")));
  }

  WebhookBook(Set<String> expected) {
    this.expected = Set.copyOf(expected);
  }

  /**
   * The pages a call of {@code profile} must send; {@code override} (a comma list, {@code
   * -Dloadtest.expect}) replaces them, for an engine that sends fewer (the Llamenos bridge sends
   * no final status callback: {@code incoming}).
   */
  static Set<String> expected(Profile profile, String override) {
    if (override.isBlank()) {
      return CallBook.expectedPages(profile);
    }
    Set<String> pages = new HashSet<>();
    for (String page : override.split(",")) {
      if (!page.isBlank()) {
        pages.add(page.trim());
      }
    }
    return pages;
  }

  /** A webhook reached the application (HTTP thread). */
  synchronized void add(TestApp.Webhook w) {
    String from = w.params().get("From");
    if (from == null) {
      from = fromBySid.get(w.callSid());
    } else {
      fromBySid.put(w.callSid(), from);
    }
    if (from == null) {
      return;
    }
    pagesByFrom.computeIfAbsent(from, f -> new HashSet<>()).add(w.page());
    String error = w.params().get("ErrorCode");
    if (error != null) {
      errorByFrom.putIfAbsent(from, "ErrorCode " + error + " on " + w.page());
    }
    if (w.page().equals("menu") && !"1".equals(w.params().get("Digits"))) {
      errorByFrom.putIfAbsent(from, "Digits " + w.params().get("Digits") + " on menu");
    }
    String status = w.params().get("CallStatus");
    if (w.page().equals("status") && !"completed".equals(status)) {
      errorByFrom.putIfAbsent(from, "final status " + status);
    }
  }

  /** Whether the call from {@code from} sent its final status callback. */
  synchronized boolean statusArrived(String from) {
    return pagesByFrom.getOrDefault(from, Set.of()).contains("status");
  }

  /** Whether the call from {@code from} sent every expected webhook and no error. */
  synchronized boolean completed(String from) {
    return !errorByFrom.containsKey(from)
        && pagesByFrom.getOrDefault(from, Set.of()).containsAll(expected);
  }

  /** Expected webhooks that never arrived, over the calls of {@code froms}. */
  synchronized long missingWebhooks(List<String> froms) {
    long missing = 0;
    for (String from : froms) {
      Set<String> pages = pagesByFrom.getOrDefault(from, Set.of());
      missing += expected.stream().filter(p -> !pages.contains(p)).count();
    }
    return missing;
  }

  /** Why calls failed: reason → number of calls. */
  synchronized Map<String, Integer> failures() {
    Map<String, Integer> out = new TreeMap<>();
    errorByFrom.values().forEach(why -> out.merge(why.replaceAll(" on \\S+$", ""), 1, Integer::sum));
    return out;
  }
}
