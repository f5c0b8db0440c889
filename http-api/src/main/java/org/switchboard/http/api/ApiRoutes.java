package org.switchboard.http.api;

import java.time.Clock;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.switchboard.http.signature.BridgeSignatureVerifier;
import org.switchboard.http.twilio.TwilioRoutes;

/**
 * Every endpoint of the HTTP API in one {@link Route}: {@code /health}, {@code /status}, {@code
 * /metrics}, the signed seed commands ({@code /ring}, {@code /cancel-ringing}, {@code /hangup},
 * {@code /command}), {@code /recordings/{name}} and the Twilio REST subset under {@code
 * /2010-04-01/Accounts/{AccountSid}/}. See http-api/API.md.
 */
public final class ApiRoutes extends AllDirectives {
  private final Route route;

  /**
   * @param calls the engine's call control
   * @param queues the engine's queues
   * @param recordings where recordings come from
   * @param verifier the bridge signature verifier (shared with anything else that checks them)
   * @param recordingUrls signer of recording URLs (the same instance the engine uses)
   * @param settings {@code switchboard.api}
   * @param metrics the standard metric families
   * @param clock time source for uptime
   */
  public ApiRoutes(CallControl calls, QueueControl queues, RecordingStore recordings,
      BridgeSignatureVerifier verifier, RecordingUrls recordingUrls, ApiSettings settings,
      SwitchboardMetrics metrics, Clock clock) {
    Authenticator auth = new Authenticator(settings, verifier);
    StatusRoutes status = new StatusRoutes(calls, auth, settings, metrics, clock);
    this.route = concat(
        status.route(),
        new SeedRoutes(calls, auth, settings, metrics, status).route(),
        new RecordingRoutes(recordings, recordingUrls, auth, metrics).route(),
        new TwilioRoutes(calls, queues, recordings, recordingUrls, auth, settings, metrics)
            .route());
  }

  /** Builds the verifier and URL signer from {@code settings} with the system clock. */
  public static ApiRoutes fromSettings(CallControl calls, QueueControl queues,
      RecordingStore recordings, ApiSettings settings, SwitchboardMetrics metrics) {
    Clock clock = Clock.systemUTC();
    BridgeSignatureVerifier verifier = new BridgeSignatureVerifier(settings.bridgeSecret(),
        settings.signatureTolerance(), settings.replayCacheSize(), clock);
    RecordingUrls urls = new RecordingUrls(settings.publicBaseUrl(),
        settings.recordingSigningKey(), settings.recordingUrlTtl(), clock);
    return new ApiRoutes(calls, queues, recordings, verifier, urls, settings, metrics, clock);
  }

  /** The composed route. */
  public Route route() {
    return route;
  }
}
