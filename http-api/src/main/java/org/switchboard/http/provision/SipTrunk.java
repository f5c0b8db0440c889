package org.switchboard.http.provision;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.AriPort.ConfigObject;
import org.switchboard.engine.port.Failures;
import org.switchboard.http.api.SipTrunkState;
import org.switchboard.http.config.LlamenosSettings;
import org.switchboard.http.provision.ConfigTransaction.Step;

/**
 * The outbound SIP trunk of the bridge's {@code SIP_PROVIDER}, {@code SIP_USERNAME} and {@code
 * SIP_PASSWORD}: the {@code trunk} endpoint that volunteer legs ({@code PJSIP/{phone}@trunk}) are
 * dialled through, created on every Asterisk server through ARI's dynamic configuration as the
 * bridge's {@code PjsipConfigurator} created it — {@code auth} {@code trunk-auth} (userpass),
 * {@code aor} {@code trunk} ({@code contact=sip:{username}@{provider}}, qualified every 60 s),
 * {@code endpoint} {@code trunk} ({@code transport-udp}, context {@code from-trunk}, ulaw and alaw,
 * {@code outbound_auth=trunk-auth}) — all or nothing ({@link ConfigTransaction}: a failed step
 * deletes what this attempt created). Then the {@code registration} {@code trunk-reg}: Asterisk 22
 * refuses to create registrations dynamically (403; the bridge tried anyway), which is logged with
 * the {@code pjsip.conf} stanza to add, and is not a failure.
 *
 * <p>Objects made through the dynamic configuration live in Asterisk's memory only, so they are
 * made again each time a server's event socket connects anew (the server may have restarted);
 * PUT creates or updates, so this is idempotent. The bridge reloaded {@code res_pjsip} afterwards;
 * objects of a memory wizard are live as soon as they are stored, and a reload would only re-read
 * {@code pjsip.conf}, so no reload is made. A server whose trunk failed is tried again at its
 * next connection; {@code /health} reports {@code sipConfigured} (every server has its trunk) and
 * {@code sipConfigSkipped} (no {@code SIP_*} set).
 */
public final class SipTrunk {
  private static final Logger LOG = LoggerFactory.getLogger(SipTrunk.class);
  private static final String CONFIG_CLASS = "res_pjsip";

  private final AriPort ari;
  private final LlamenosSettings.Sip sip;
  /** Per server: the connection count its trunk was last attempted for. */
  private final Map<String, Long> attempted = new ConcurrentHashMap<>();
  /** Per server: whether the last attempt made the trunk. */
  private final Map<String, Boolean> configured = new ConcurrentHashMap<>();
  /** Per server: why its last attempt failed. */
  private final Map<String, String> errors = new ConcurrentHashMap<>();

  public SipTrunk(AriPort ari, LlamenosSettings.Sip sip) {
    this.ari = ari;
    this.sip = sip;
  }

  /** Whether {@code SIP_PROVIDER}, {@code SIP_USERNAME} and {@code SIP_PASSWORD} are all set. */
  public boolean wanted() {
    return !sip.provider().isEmpty() && !sip.username().isEmpty() && !sip.password().isEmpty();
  }

  /** What {@code /health} reports. */
  public SipTrunkState state() {
    boolean all = !configured.isEmpty() && configured.values().stream().allMatch(b -> b);
    java.util.Optional<String> error = errors.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).findFirst();
    return new SipTrunkState(wanted() && all, !wanted(), error);
  }

  /**
   * Makes the trunk on every server of {@code links} once its socket is connected, and again on
   * each new connection (checked every {@code every}); nothing when the trunk is not wanted.
   */
  public Cancellable watch(ActorSystem<?> system, Supplier<Map<String, LinkStatus>> links,
      Duration every) {
    if (!wanted()) {
      if (!sip.provider().isEmpty() || !sip.username().isEmpty()) {
        LOG.warn("SIP trunk not configured: SIP_PROVIDER, SIP_USERNAME and SIP_PASSWORD are all"
            + " needed (configure the trunk endpoint in pjsip.conf instead)");
      }
      return new Cancellable() {
        @Override
        public boolean cancel() {
          return true;
        }

        @Override
        public boolean isCancelled() {
          return true;
        }
      };
    }
    return system.classicSystem().scheduler().scheduleWithFixedDelay(Duration.ZERO, every,
        () -> links.get().values().forEach(this::onLink), system.executionContext());
  }

  private void onLink(LinkStatus link) {
    if (!link.connected()) {
      return;
    }
    Long before = attempted.put(link.serverId(), link.connects());
    if (before == null || before != link.connects()) {
      configure(link.serverId());
    }
  }

  /** Creates or updates the trunk's objects on {@code server}; completes when done or failed. */
  public CompletableFuture<Boolean> configure(String server) {
    String provider = sip.provider();
    String username = sip.username();
    List<Step> steps = List.of(
        new Step(server, object("auth", "trunk-auth"), fields(
            "auth_type", "userpass", "username", username, "password", sip.password())),
        new Step(server, object("aor", "trunk"), fields(
            "contact", "sip:" + username + "@" + provider, "qualify_frequency", "60")),
        new Step(server, object("endpoint", "trunk"), fields(
            "transport", "transport-udp", "context", "from-trunk", "disallow", "all",
            "allow", "ulaw,alaw", "outbound_auth", "trunk-auth", "aors", "trunk")));
    return ConfigTransaction.apply(ari, steps)
        .thenCompose(v -> registration(server))
        .handle((v, error) -> {
          if (error != null) {
            Throwable cause = Failures.cause(error);
            LOG.error("SIP trunk for {} on {} not configured ({}); volunteers' phones cannot be"
                + " rung through PJSIP/…@trunk until it is (or configure it in pjsip.conf)",
                provider, server, describe(cause));
            errors.put(server, describe(cause));
            configured.put(server, false);
            return false;
          }
          LOG.info("SIP trunk configured on {}: provider={} username={}", server, provider,
              username);
          errors.remove(server);
          configured.put(server, true);
          return true;
        });
  }

  /** The registration: made when Asterisk allows it; a refusal is logged, not a failure. */
  private CompletableFuture<Void> registration(String server) {
    String provider = sip.provider();
    Map<String, String> fields = fields("transport", "transport-udp",
        "outbound_auth", "trunk-auth", "server_uri", "sip:" + provider,
        "client_uri", "sip:" + sip.username() + "@" + provider, "retry_interval", "60",
        "expiration", "3600");
    return ari.putConfigObject(server, object("registration", "trunk-reg"), fields)
        .toCompletableFuture()
        .handle((v, error) -> {
          if (error != null) {
            LOG.warn("SIP trunk registration trunk-reg not created on {} ({}): Asterisk 22 cannot"
                + " create registrations through ARI; if the provider needs one, add to pjsip.conf:"
                + " [trunk-reg] type=registration, transport=transport-udp,"
                + " outbound_auth=trunk-auth, server_uri=sip:{}, client_uri=sip:{}@{}",
                server, describe(Failures.cause(error)), provider, sip.username(), provider);
          }
          return null;
        });
  }

  private static String describe(Throwable cause) {
    if (cause instanceof ConfigTransaction.StepFailed failed) {
      return failed.getMessage() + ": " + describe(failed.getCause());
    }
    return cause instanceof AriCommandException ace
        ? ace.status() + " " + ace.asteriskMessage()
        : String.valueOf(cause.getMessage());
  }

  private static ConfigObject object(String type, String id) {
    return new ConfigObject(CONFIG_CLASS, type, id);
  }

  private static Map<String, String> fields(String... pairs) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      fields.put(pairs[i], pairs[i + 1]);
    }
    return fields;
  }
}
