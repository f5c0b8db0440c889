package org.switchboard.http.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the Llamenos bridge's endpoints ({@code switchboard.seed} in reference.conf): where
 * a volunteer's answer and status webhooks go when {@code /ring} does not say, how volunteers are
 * dialled, and the PJSIP objects {@code /provision-endpoint} creates.
 *
 * @param workerUrl the Llamenos Worker's base URL (the bridge's {@code WORKER_WEBHOOK_URL}); empty
 *     when not configured, then a relative template is resolved against the request's {@code
 *     callbackUrl}
 * @param volunteerAnswerUrl template of a volunteer leg's answer URL, {@code {parentCallSid}} and
 *     {@code {pubkey}} replaced (URL-encoded); relative to {@code workerUrl} unless absolute
 * @param volunteerStatusUrl template of a volunteer leg's status callback, same placeholders
 * @param numberTemplate dial string of a phone, {@code {number}} replaced (as {@code
 *     switchboard.dial.number-template})
 * @param clientTemplate dial string of a browser identity, {@code {identity}} replaced (as {@code
 *     switchboard.dial.client-template})
 * @param provisioning the PJSIP objects of {@code /provision-endpoint}
 */
public record SeedSettings(
    String workerUrl,
    String volunteerAnswerUrl,
    String volunteerStatusUrl,
    String numberTemplate,
    String clientTemplate,
    Provisioning provisioning) {

  /**
   * What {@code /provision-endpoint} creates through ARI's dynamic configuration.
   *
   * @param configClass the configuration class ({@code res_pjsip})
   * @param usernamePrefix the endpoint, aor and auth id is this prefix + the first {@code
   *     pubkeyChars} characters of the public key (the bridge: {@code vol_} + 12)
   * @param endpoint fields of the endpoint object besides {@code auth} and {@code aors}
   * @param aor fields of the aor object
   */
  public record Provisioning(
      String configClass,
      String usernamePrefix,
      int pubkeyChars,
      Map<String, String> endpoint,
      Map<String, String> aor) {
    public Provisioning {
      endpoint = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoint));
      aor = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(aor));
    }
  }

  /** The defaults of reference.conf. */
  public static SeedSettings defaults() {
    return fromConfig(ConfigFactory.defaultReference());
  }

  /** Reads {@code switchboard.seed} and the dial templates of {@code switchboard.dial}. */
  public static SeedSettings fromConfig(Config root) {
    Config c = root.getConfig("switchboard.seed");
    Config p = c.getConfig("provisioning");
    return new SeedSettings(
        c.getString("worker-url").trim(),
        c.getString("volunteer-answer-url"),
        c.getString("volunteer-status-url"),
        root.getString("switchboard.dial.number-template"),
        root.getString("switchboard.dial.client-template"),
        new Provisioning(
            p.getString("config-class"),
            p.getString("username-prefix"),
            p.getInt("pubkey-chars"),
            strings(p.getConfig("endpoint")),
            strings(p.getConfig("aor"))));
  }

  /** The Worker URL, when configured. */
  public Optional<String> worker() {
    return workerUrl.isEmpty() ? Optional.empty() : Optional.of(workerUrl);
  }

  private static Map<String, String> strings(Config block) {
    Map<String, String> fields = new java.util.TreeMap<>();
    block.root().keySet().forEach(key -> fields.put(key, block.getString(key)));
    return fields;
  }
}
