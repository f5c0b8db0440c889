package org.switchboard.http.provision;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.SeedRoutes;
import org.switchboard.http.provision.EndpointProvisioner.Presence;

/**
 * The bridge's signed {@code POST /provision-endpoint}, {@code /deprovision-endpoint} and {@code
 * /check-endpoint}, each {@code {pubkey}}, over {@link EndpointProvisioner}. Signatures, body
 * limits and error shapes are {@link SeedRoutes}'.
 */
public final class ProvisioningRoutes extends AllDirectives {
  private final SeedRoutes seed;
  private final EndpointProvisioner provisioner;

  public ProvisioningRoutes(SeedRoutes seed, EndpointProvisioner provisioner) {
    this.seed = seed;
    this.provisioner = provisioner;
  }

  /** The three routes. */
  public Route route() {
    return concat(
        path("provision-endpoint", () -> seed.signedPost("provision-endpoint", this::provision)),
        path("deprovision-endpoint",
            () -> seed.signedPost("deprovision-endpoint", this::deprovision)),
        path("check-endpoint", () -> seed.signedPost("check-endpoint", this::check)));
  }

  /** {@code {ok, username, password, servers}}. */
  private CompletionStage<Object> provision(JsonNode body) {
    return provisioner.provision(pubkey(body)).thenApply(c -> {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("ok", true);
      json.put("username", c.username());
      json.put("password", c.password());
      json.put("servers", c.servers());
      return json;
    });
  }

  /** {@code {ok, username, deleted: ["server/res_pjsip/endpoint/vol_…", …]}}. */
  private CompletionStage<Object> deprovision(JsonNode body) {
    String pubkey = pubkey(body);
    return provisioner.deprovision(pubkey).thenApply(deleted -> {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("ok", true);
      json.put("username", provisioner.username(pubkey));
      json.put("deleted", deleted);
      return json;
    });
  }

  /**
   * {@code {ok, exists, username, servers: [{serverId, endpoint, aor, auth}]}}: {@code exists}
   * when every server holds all three objects.
   */
  private CompletionStage<Object> check(JsonNode body) {
    String pubkey = pubkey(body);
    return provisioner.check(pubkey).thenApply(presence -> {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("ok", true);
      json.put("exists", presence.stream().allMatch(Presence::complete));
      json.put("username", provisioner.username(pubkey));
      json.put("servers", presence.stream().map(p -> {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("serverId", p.serverId());
        server.put("endpoint", p.endpoint());
        server.put("aor", p.aor());
        server.put("auth", p.auth());
        return server;
      }).toList());
      return json;
    });
  }

  private static String pubkey(JsonNode body) {
    JsonNode node = body.get("pubkey");
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw ApiException.invalidParameter("pubkey is required");
    }
    return node.asText().trim();
  }
}
