package org.switchboard.http.config;

import com.typesafe.config.Config;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.twiml.verb.Method;

/**
 * The Llamenos Worker as the bridge saw it ({@code switchboard.llamenos}, filled from the bridge's
 * {@code WORKER_WEBHOOK_URL}, {@code HOTLINE_NUMBER} and {@code SIP_*} by {@link
 * BridgeEnvironment}): where its telephony webhooks are, and the number of the hotline.
 *
 * <p>Paths are joined to the Worker URL as the bridge joined them ({@code WORKER_WEBHOOK_URL +
 * path}), so a Worker URL with a path prefix keeps it.
 *
 * @param workerUrl {@code WORKER_WEBHOOK_URL} without a trailing slash; empty when not set
 * @param hotlineNumber {@code HOTLINE_NUMBER}: the {@code To} of calls whose dialled extension is
 *     not a phone number; empty when not set
 * @param paths the Worker's route paths (they moved from {@code /api/telephony/*} to {@code
 *     /telephony/*} in later Worker versions)
 * @param sip the bridge's optional {@code SIP_PROVIDER}, {@code SIP_USERNAME}, {@code SIP_PASSWORD}
 */
public record LlamenosSettings(
    Optional<URI> workerUrl, Optional<String> hotlineNumber, Paths paths, Sip sip) {

  /**
   * The Worker's routes Switchboard calls by itself.
   *
   * @param incoming the voice URL of inbound calls
   * @param callStatus status callbacks (of the caller and of every rung volunteer)
   */
  public record Paths(String incoming, String callStatus) {}

  /** The SIP trunk credentials of the bridge's {@code .env}; empty strings when not set. */
  public record Sip(String provider, String username, String password) {
    /** Whether a trunk was configured. */
    public boolean configured() {
      return !provider.isEmpty() && !username.isEmpty();
    }
  }

  /** Reads {@code switchboard.llamenos} from the root config. */
  public static LlamenosSettings fromConfig(Config root) {
    Config c = root.getConfig("switchboard.llamenos");
    String worker = c.getString("worker-url").strip();
    while (worker.endsWith("/")) {
      worker = worker.substring(0, worker.length() - 1);
    }
    String hotline = c.getString("hotline-number").strip();
    Config p = c.getConfig("paths");
    Config sip = c.getConfig("sip");
    return new LlamenosSettings(
        worker.isEmpty() ? Optional.empty() : Optional.of(URI.create(worker)),
        hotline.isEmpty() ? Optional.empty() : Optional.of(hotline),
        new Paths(p.getString("incoming"), p.getString("call-status")),
        new Sip(sip.getString("provider").strip(), sip.getString("username").strip(),
            sip.getString("password")));
  }

  /** Whether Switchboard stands in for the bridge ({@code WORKER_WEBHOOK_URL} is set). */
  public boolean enabled() {
    return workerUrl.isPresent();
  }

  /**
   * {@code path} (with its query) on the Worker: {@code WORKER_WEBHOOK_URL + path}.
   *
   * @throws IllegalStateException when no Worker URL is configured
   */
  public URI resolve(String pathAndQuery) {
    URI base = workerUrl.orElseThrow(
        () -> new IllegalStateException("WORKER_WEBHOOK_URL (switchboard.llamenos.worker-url) is not set"));
    String path = pathAndQuery.startsWith("/") ? pathAndQuery : "/" + pathAndQuery;
    return URI.create(base + path);
  }

  /** {@code /api/telephony/incoming} on the Worker. */
  public URI incomingUrl() {
    return resolve(paths.incoming());
  }


  /**
   * The application of inbound calls when none is configured otherwise: voice URL {@code
   * /api/telephony/incoming}, status callback {@code /api/telephony/call-status} on {@code
   * completed} (the Worker ignores a status without {@code parentCallSid}); empty without a Worker.
   */
  public Optional<VoiceApplication> defaultApplication() {
    if (!enabled()) {
      return Optional.empty();
    }
    return Optional.of(new VoiceApplication(
        incomingUrl(), Method.POST, Optional.empty(), Method.POST,
        Optional.of(resolve(paths.callStatus())), Method.POST, Set.of("completed")));
  }

}
