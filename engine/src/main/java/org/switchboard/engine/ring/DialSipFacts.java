package org.switchboard.engine.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Sip;

/**
 * The {@code <Dial><Sip>} action parameters (spec §1.3): {@code DialSipCallId}, {@code
 * DialSipResponseCode} and {@code DialSipHeader_<name>} for each X-header of the final response.
 * An answered leg is asked over ARI while it is up: {@code CHANNEL(pjsip,call-id)}, {@code
 * PJSIP_RESPONSE_HEADERS(X-)} (the X-header names of its 200 OK) and {@code
 * PJSIP_RESPONSE_HEADER(read,<name>)}; its code is 200. An unanswered dial gives the SIP code of
 * its last leg's hangup cause (chan_pjsip's mapping, {@link DialStatuses#sipCode}); its Call-ID and
 * headers are gone with the channel.
 */
final class DialSipFacts {
  private DialSipFacts() {}

  /** Whether {@code dial} rings a SIP URI. */
  static boolean sipDial(Dial dial) {
    return dial.nouns().stream().anyMatch(Sip.class::isInstance);
  }

  /** The parameters of an unanswered SIP dial. */
  static List<Map.Entry<String, String>> unanswered(Dial dial, Optional<Integer> sipCode) {
    if (!sipDial(dial) || sipCode.isEmpty()) {
      return List.of();
    }
    return List.of(Map.entry("DialSipResponseCode", Integer.toString(sipCode.get())));
  }

  /** What the answered leg {@code leg} says; never fails (a read that fails is left out). */
  static CompletionStage<List<Map.Entry<String, String>>> answered(AriPort ari, ChannelRef leg) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    CompletionStage<Optional<String>> callId = quietly(ari.getVariable(leg, "CHANNEL(pjsip,call-id)"));
    CompletionStage<Optional<String>> names = quietly(ari.getVariable(leg, "PJSIP_RESPONSE_HEADERS(X-)"));
    return callId.thenCombine(names, (id, list) -> {
      id.filter(v -> !v.isBlank()).ifPresent(v -> out.add(Map.entry("DialSipCallId", v)));
      out.add(Map.entry("DialSipResponseCode", "200"));
      return list.map(l -> Arrays.stream(l.split(",")).map(String::trim)
          .filter(n -> !n.isEmpty()).distinct().toList()).orElse(List.of());
    }).thenCompose(headerNames -> {
      CompletionStage<Void> all = CompletableFuture.completedFuture(null);
      for (String name : headerNames) {
        CompletionStage<Optional<String>> value =
            quietly(ari.getVariable(leg, "PJSIP_RESPONSE_HEADER(read," + name + ")"));
        all = all.thenCombine(value, (v, header) -> {
          header.ifPresent(h -> out.add(Map.entry("DialSipHeader_" + name, h)));
          return null;
        });
      }
      return all.thenApply(v -> List.copyOf(out));
    });
  }

  private static CompletionStage<Optional<String>> quietly(CompletionStage<Optional<String>> read) {
    return read.exceptionally(error -> Optional.empty());
  }
}
