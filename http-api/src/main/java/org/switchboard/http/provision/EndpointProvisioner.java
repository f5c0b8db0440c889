package org.switchboard.http.provision;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.AriPort.ConfigObject;
import org.switchboard.engine.port.Failures;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.SeedSettings.Provisioning;
import org.switchboard.http.provision.ConfigTransaction.Step;

/**
 * A volunteer's WebRTC endpoint on every Asterisk server, made of three PJSIP objects of ARI's
 * dynamic configuration, all with the id {@code vol_<first 12 characters of the public key>}: an
 * {@code auth} (userpass, a random password), an {@code aor} and an {@code endpoint} naming both
 * (every server, since a volunteer leg is originated on the caller's server). Provisioning is all
 * or nothing ({@link ConfigTransaction}): when a step fails, the objects this request created (on
 * every server) are deleted again, newest first, and the failure names Asterisk's answer. Objects
 * that existed before are updated in place and never deleted by a rollback.
 */
public final class EndpointProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointProvisioner.class);
  private static final Pattern PUBKEY = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final List<String> CREATE_ORDER = List.of("auth", "aor", "endpoint");
  private static final List<String> DELETE_ORDER = List.of("endpoint", "aor", "auth");

  private final AriPort ari;
  private final Supplier<List<String>> servers;
  private final Provisioning settings;
  private final SecureRandom random;

  /** Provisions on the servers {@code servers} lists at the time of each request. */
  public EndpointProvisioner(AriPort ari, Supplier<List<String>> servers, Provisioning settings,
      SecureRandom random) {
    this.ari = ari;
    this.servers = servers;
    this.settings = settings;
    this.random = random;
  }

  /** A provisioned endpoint: its SIP username (also the object ids) and password. */
  public record Credentials(String username, String password, List<String> servers) {}

  /** One server's view of a volunteer's objects. */
  public record Presence(String serverId, boolean endpoint, boolean aor, boolean auth) {
    /** All three objects exist. */
    public boolean complete() {
      return endpoint && aor && auth;
    }
  }

  /** The object id of a public key; invalid-parameter when the key has other characters. */
  public String username(String pubkey) {
    if (pubkey == null || !PUBKEY.matcher(pubkey).matches()) {
      throw ApiException.invalidParameter(
          "pubkey must be 1-256 letters, digits, _ or - (a hex public key)");
    }
    return settings.usernamePrefix()
        + pubkey.substring(0, Math.min(settings.pubkeyChars(), pubkey.length()));
  }

  /** Creates (or updates) the three objects on every server, with a new password. */
  public CompletionStage<Credentials> provision(String pubkey) {
    String username = username(pubkey);
    List<String> targets = targets();
    String password = password();
    List<Step> steps = new ArrayList<>();
    for (String server : targets) {
      for (String type : CREATE_ORDER) {
        steps.add(new Step(server, object(type, username), fields(type, username, password)));
      }
    }
    return ConfigTransaction.apply(ari, steps)
        .handle((v, error) -> {
          if (error != null) {
            Throwable cause = Failures.cause(error);
            throw cause instanceof ConfigTransaction.StepFailed failed
                ? refused("creating " + failed.step().object() + " on " + failed.step().server(),
                    failed.getCause())
                : refused("provisioning " + username, cause);
          }
          return v;
        })
        .thenApply(v -> {
          LOG.info("provisioned PJSIP endpoint {} on {}", username, targets);
          return new Credentials(username, password, targets);
        });
  }

  /**
   * Deletes endpoint, aor and auth on every server; objects already gone are not an error. The
   * ids actually deleted, as {@code server/type/id}.
   */
  public CompletionStage<List<String>> deprovision(String pubkey) {
    String username = username(pubkey);
    List<String> targets = targets();
    List<String> deleted = new ArrayList<>();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (String server : targets) {
      for (String type : DELETE_ORDER) {
        ConfigObject object = object(type, username);
        chain = chain.thenCompose(v -> ari.deleteConfigObject(server, object)
            .toCompletableFuture()
            .handle((gone, error) -> {
              if (error != null) {
                throw refused("deleting " + object + " on " + server, error);
              }
              if (gone) {
                deleted.add(server + "/" + object);
              }
              return null;
            }));
      }
    }
    return chain.thenApply(v -> {
      LOG.info("deprovisioned PJSIP endpoint {} on {}: {}", username, targets, deleted);
      return List.copyOf(deleted);
    });
  }

  /** Which of the three objects each server holds. */
  public CompletionStage<List<Presence>> check(String pubkey) {
    String username = username(pubkey);
    List<CompletableFuture<Presence>> answers = new ArrayList<>();
    for (String server : targets()) {
      CompletableFuture<Boolean> endpoint = exists(server, object("endpoint", username));
      CompletableFuture<Boolean> aor = exists(server, object("aor", username));
      CompletableFuture<Boolean> auth = exists(server, object("auth", username));
      answers.add(CompletableFuture.allOf(endpoint, aor, auth).thenApply(v ->
          new Presence(server, endpoint.join(), aor.join(), auth.join())));
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(v -> answers.stream().map(CompletableFuture::join).toList());
  }

  private CompletableFuture<Boolean> exists(String server, ConfigObject object) {
    return ari.configObject(server, object).toCompletableFuture()
        .handle((found, error) -> {
          if (error != null) {
            throw refused("reading " + object + " on " + server, error);
          }
          return found.isPresent();
        });
  }

  private List<String> targets() {
    List<String> targets = servers.get();
    if (targets.isEmpty()) {
      throw ApiException.unavailable("no Asterisk server is configured");
    }
    return targets;
  }

  private ConfigObject object(String type, String username) {
    return new ConfigObject(settings.configClass(), type, username);
  }

  private Map<String, String> fields(String type, String username, String password) {
    Map<String, String> fields = new LinkedHashMap<>();
    switch (type) {
      case "auth" -> {
        fields.put("auth_type", "userpass");
        fields.put("username", username);
        fields.put("password", password);
      }
      case "aor" -> fields.putAll(settings.aor());
      default -> {
        // Asterisk applies codec fields in order: allow before disallow=all leaves no codec
        // (allow reads "(nothing)", and such an endpoint can never be updated again: 500).
        Map<String, String> endpoint = settings.endpoint();
        if (endpoint.containsKey("disallow")) {
          fields.put("disallow", endpoint.get("disallow"));
        }
        endpoint.forEach((name, value) -> {
          if (!name.equals("disallow") && !name.equals("allow")) {
            fields.put(name, value);
          }
        });
        fields.put("auth", username);
        fields.put("aors", username);
        if (endpoint.containsKey("allow")) {
          fields.put("allow", endpoint.get("allow"));
        }
      }
    }
    return fields;
  }

  /** 32 random bytes, base64url without padding (as the bridge made them). */
  private String password() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Asterisk's refusal as an API error: 502 naming Asterisk's status and message. */
  private static ApiException refused(String what, Throwable error) {
    Throwable cause = Failures.cause(error);
    if (cause instanceof ApiException api) {
      return api;
    }
    String detail = cause instanceof AriCommandException ace
        ? ace.status() + " " + ace.asteriskMessage()
        : String.valueOf(cause.getMessage());
    Optional<String> hint = cause instanceof AriCommandException ace && ace.status() == 403
        ? Optional.of(" (is the object type backed by a writable sorcery wizard? see"
            + " conf/sorcery.conf)")
        : Optional.empty();
    LOG.warn("provisioning: {} failed: {}", what, detail);
    return new ApiException(502, "asterisk-refused", what + " failed: " + detail
        + hint.orElse(""));
  }
}
