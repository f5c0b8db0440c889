package org.switchboard.engine.ring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.AriPort.ConfigObject;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Sip;

/**
 * The digest credentials of {@code <Sip username password>}. Asterisk has no per-call
 * credentials: chan_pjsip answers a 401/407 challenge with the {@code outbound_auth} of the
 * endpoint it dials through. So each such leg gets PJSIP objects of its own through ARI's dynamic
 * configuration ({@code PUT /asterisk/config/dynamic/res_pjsip/…}, a writable sorcery wizard as
 * for endpoint provisioning, conf/sorcery.conf): an {@code auth} {@code sb-sip-<legChannelId>}
 * ({@code auth_type=userpass}, the username and password) and an {@code endpoint} of the same id
 * whose {@code outbound_auth} names it, its transport and dial settings copied from the dial
 * endpoint ({@link DialPlan#sipEndpoint}); the leg dials {@code PJSIP/sb-sip-<legChannelId>/<uri>}.
 * Both are made before the legs ring and deleted when the dial ends (a failure logged).
 */
final class SipCredentials {
  private static final Logger LOG = LoggerFactory.getLogger(SipCredentials.class);

  /** The endpoint settings copied from the dial endpoint, when it has them. */
  private static final List<String> COPIED = List.of("transport", "context", "from_user",
      "from_domain", "direct_media", "dtmf_mode", "media_encryption", "rtp_symmetric",
      "force_rport", "rewrite_contact", "send_pai", "trust_id_outbound");

  /** One leg's objects: {@code id} names its auth and its endpoint. */
  record Leg(String id, String username, String password) {}

  private final AriPort ari;
  private final String serverId;
  private final String baseEndpoint;
  private final List<Leg> legs;

  private SipCredentials(AriPort ari, String serverId, String baseEndpoint, List<Leg> legs) {
    this.ari = ari;
    this.serverId = serverId;
    this.baseEndpoint = baseEndpoint;
    this.legs = List.copyOf(legs);
  }

  /** The auth and endpoint id of the leg whose channel is {@code legChannelId}. */
  static String idFor(String legChannelId) {
    return "sb-sip-" + legChannelId;
  }

  /** Whether {@code noun} dials with credentials of its own. */
  static boolean wanted(Dial.Noun noun) {
    return noun instanceof Sip s && s.username().isPresent();
  }

  /** {@code dialString} ({@code PJSIP/<endpoint>/<uri>}) through the leg's own endpoint. */
  static String through(String dialString, String legChannelId) {
    return dialString.replaceFirst("^PJSIP/[^/]*/", "PJSIP/" + idFor(legChannelId) + "/");
  }

  /**
   * The objects the legs of {@code nouns} ({@code specs}, in the same order) need; empty when no
   * noun carries credentials.
   */
  static Optional<SipCredentials> of(List<Dial.Noun> nouns, List<LegSpec> specs, AriPort ari,
      String serverId, String baseEndpoint) {
    List<Leg> legs = new ArrayList<>();
    for (int i = 0; i < nouns.size(); i++) {
      if (wanted(nouns.get(i))) {
        Sip sip = (Sip) nouns.get(i);
        legs.add(new Leg(idFor(specs.get(i).channelId()), sip.username().get(),
            sip.password().orElse("")));
      }
    }
    return legs.isEmpty() ? Optional.empty()
        : Optional.of(new SipCredentials(ari, serverId, baseEndpoint, legs));
  }

  /** Makes every leg's auth, then its endpoint; fails as Asterisk refused (logged). */
  CompletionStage<Done> create() {
    return ari.configObject(serverId, endpoint(baseEndpoint))
        .exceptionally(error -> Optional.empty())
        .thenCompose(base -> {
          CompletionStage<Done> all = CompletableFuture.completedFuture(Done.getInstance());
          for (Leg leg : legs) {
            all = all.thenCompose(d -> make(leg, base.orElse(Map.of())));
          }
          return all;
        });
  }

  private CompletionStage<Done> make(Leg leg, Map<String, String> base) {
    Map<String, String> auth = new LinkedHashMap<>();
    auth.put("auth_type", "userpass");
    auth.put("username", leg.username());
    auth.put("password", leg.password());
    Map<String, String> endpoint = new LinkedHashMap<>();
    COPIED.forEach(name -> Optional.ofNullable(base.get(name)).filter(v -> !v.isBlank())
        .ifPresent(v -> endpoint.put(name, v)));
    endpoint.put("disallow", "all");
    endpoint.put("allow", "ulaw,alaw");
    endpoint.put("outbound_auth", leg.id());
    return ari.putConfigObject(serverId, auth(leg.id()), auth)
        .thenCompose(made -> ari.putConfigObject(serverId, endpoint(leg.id()), endpoint))
        .thenApply(made -> Done.getInstance());
  }

  /** Deletes every leg's endpoint, then its auth; a failure is logged, never thrown. */
  CompletionStage<Done> remove() {
    List<CompletableFuture<Done>> all = new ArrayList<>();
    for (Leg leg : legs) {
      all.add(ari.deleteConfigObject(serverId, endpoint(leg.id()))
          .handle((gone, error) -> logged(error, endpoint(leg.id())))
          .thenCompose(d -> ari.deleteConfigObject(serverId, auth(leg.id()))
              .handle((gone, error) -> logged(error, auth(leg.id()))))
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(v -> Done.getInstance());
  }

  private static Done logged(Throwable error, ConfigObject object) {
    if (error != null) {
      LOG.warn("<Sip> credentials: deleting {} failed: {}", object,
          Failures.cause(error).getMessage());
    }
    return Done.getInstance();
  }

  private static ConfigObject auth(String id) {
    return new ConfigObject("res_pjsip", "auth", id);
  }

  private static ConfigObject endpoint(String id) {
    return new ConfigObject("res_pjsip", "endpoint", id);
  }
}
