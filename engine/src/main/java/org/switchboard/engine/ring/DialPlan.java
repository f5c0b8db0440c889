package org.switchboard.engine.ring;

import java.util.Map;
import java.util.Objects;
import org.switchboard.engine.twiml.verb.Client;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Number;
import org.switchboard.engine.twiml.verb.Sip;

/**
 * How Dial nouns become Asterisk dial strings.
 *
 * <ul>
 *   <li>{@code <Number>}: {@code numberTemplate} with {@code {number}} replaced, e.g. {@code
 *       PJSIP/{number}@trunk} → {@code PJSIP/+15551230001@trunk};
 *   <li>{@code <Sip>}: {@code PJSIP/<sipEndpoint>/<uri>}, the URI exactly as written (parameters
 *       such as {@code ;transport=tls} and {@code ?x-header=…} intact), so chan_pjsip sends the
 *       INVITE to that URI through the configured endpoint's transport and settings;
 *   <li>{@code <Client>}: the identity's entry in {@code clients}, or {@code clientTemplate} with
 *       {@code {identity}} replaced, e.g. {@code PJSIP/{identity}}.
 * </ul>
 */
public record DialPlan(
    String numberTemplate, String sipEndpoint, String clientTemplate, Map<String, String> clients) {

  public DialPlan {
    Objects.requireNonNull(numberTemplate, "numberTemplate");
    Objects.requireNonNull(sipEndpoint, "sipEndpoint");
    Objects.requireNonNull(clientTemplate, "clientTemplate");
    clients = Map.copyOf(clients);
  }

  /** The dial string of a Number, Sip or Client noun. */
  public String endpoint(Dial.Noun noun) {
    if (noun instanceof Number n) {
      return numberTemplate.replace("{number}", n.number().trim());
    }
    if (noun instanceof Sip s) {
      return "PJSIP/" + sipEndpoint + "/" + s.uri();
    }
    if (noun instanceof Client c) {
      return clients.getOrDefault(c.identity(), clientTemplate.replace("{identity}", c.identity()));
    }
    throw new IllegalArgumentException("not a ringing noun: " + noun.getClass().getSimpleName());
  }

  /**
   * The dial string of a REST or API target: a {@code sip:}/{@code sips:} URI, a {@code
   * client:identity}, or a number.
   */
  public String endpointFor(String target) {
    String t = target.trim();
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("sip:") || lower.startsWith("sips:")) {
      return "PJSIP/" + sipEndpoint + "/" + t;
    }
    if (lower.startsWith("client:")) {
      String identity = t.substring("client:".length());
      return clients.getOrDefault(identity, clientTemplate.replace("{identity}", identity));
    }
    return numberTemplate.replace("{number}", t);
  }

  /** What the application asked for, as a To value: the number, the SIP URI, client:id. */
  public static String target(Dial.Noun noun) {
    if (noun instanceof Number n) {
      return n.number().trim();
    }
    if (noun instanceof Sip s) {
      return s.uri();
    }
    if (noun instanceof Client c) {
      return "client:" + c.identity();
    }
    throw new IllegalArgumentException("not a ringing noun: " + noun.getClass().getSimpleName());
  }
}
