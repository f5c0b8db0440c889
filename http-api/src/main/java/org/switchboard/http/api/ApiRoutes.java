package org.switchboard.http.api;

import java.time.Clock;
import java.util.Optional;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.switchboard.http.provision.EndpointProvisioner;
import org.switchboard.http.provision.ProvisioningRoutes;
import org.switchboard.http.signature.BridgeSignatureVerifier;
import org.switchboard.http.twilio.TwilioRoutes;

/**
 * Every endpoint of the HTTP API in one {@link Route}: {@code /health}, {@code /status}, {@code
 * /metrics}, the signed seed commands ({@code /ring}, {@code /cancel-ringing}, {@code /hangup},
 * {@code /command}, the Llamenos Worker's {@code /commands/…}, {@code /provision-endpoint},
 * {@code /deprovision-endpoint}, {@code /check-endpoint}), {@code /recordings/{name}} (and the
 * Worker's JSON {@code /recordings/call/{callSid}}, {@code DELETE /recordings/{sid}}) and the
 * Twilio REST subset under {@code /2010-04-01/Accounts/{AccountSid}/}. See http-api/API.md.
 */
public final class ApiRoutes extends AllDirectives {
  private final Route route;

  /**
   * Every endpoint with the reference seed settings and no endpoint provisioning ({@code
   * /provision-endpoint} and its siblings answer 503).
   *
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
    this(calls, queues, recordings, verifier, recordingUrls, settings, metrics, clock,
        SeedSettings.defaults(), Optional.empty());
  }

  /**
   * Every endpoint.
   *
   * @param seed {@code switchboard.seed}: volunteer URLs and dial templates of the bridge's
   *     requests
   * @param provisioner the PJSIP endpoints of {@code /provision-endpoint}; empty: 503
   */
  public ApiRoutes(CallControl calls, QueueControl queues, RecordingStore recordings,
      BridgeSignatureVerifier verifier, RecordingUrls recordingUrls, ApiSettings settings,
      SwitchboardMetrics metrics, Clock clock, SeedSettings seed,
      Optional<EndpointProvisioner> provisioner) {
    this(calls, queues, recordings, verifier, recordingUrls, settings, metrics, clock, seed,
        provisioner, () -> SipTrunkState.SKIPPED);
  }

  /**
   * Every endpoint, {@code /health} reporting the SIP trunk's state.
   *
   * @param sipTrunk the trunk made from {@code SIP_*} ({@code sipConfigured}, {@code
   *     sipConfigSkipped})
   */
  public ApiRoutes(CallControl calls, QueueControl queues, RecordingStore recordings,
      BridgeSignatureVerifier verifier, RecordingUrls recordingUrls, ApiSettings settings,
      SwitchboardMetrics metrics, Clock clock, SeedSettings seed,
      Optional<EndpointProvisioner> provisioner,
      java.util.function.Supplier<SipTrunkState> sipTrunk) {
    this(calls, queues, recordings, verifier, recordingUrls, settings, metrics, clock, seed,
        provisioner, sipTrunk, ConferenceControl.NONE, RecordingControl.NONE);
  }

  /**
   * Every endpoint, with the Twilio Conferences and Participants resources over {@code
   * conferences} and the recordings of live calls ({@code Calls/{CallSid}/Recordings}) over
   * {@code liveRecordings}.
   */
  public ApiRoutes(CallControl calls, QueueControl queues, RecordingStore recordings,
      BridgeSignatureVerifier verifier, RecordingUrls recordingUrls, ApiSettings settings,
      SwitchboardMetrics metrics, Clock clock, SeedSettings seed,
      Optional<EndpointProvisioner> provisioner,
      java.util.function.Supplier<SipTrunkState> sipTrunk, ConferenceControl conferences,
      RecordingControl liveRecordings) {
    Authenticator auth = new Authenticator(settings, verifier);
    StatusRoutes status = new StatusRoutes(calls, auth, settings, metrics, clock, sipTrunk);
    RecordingAudio audio = new RecordingAudio(recordings, calls);
    SeedRoutes seedRoutes = new SeedRoutes(calls, auth, settings, metrics, status, seed, audio);
    Route provisioning = provisioner
        .map(p -> new ProvisioningRoutes(seedRoutes, p).route())
        .orElseGet(() -> concat(
            path("provision-endpoint", this::noProvisioning),
            path("deprovision-endpoint", this::noProvisioning),
            path("check-endpoint", this::noProvisioning)));
    this.route = concat(
        status.route(),
        seedRoutes.route(),
        provisioning,
        new WorkerRecordingRoutes(recordings, audio, auth, metrics).route(),
        new RecordingRoutes(recordings, recordingUrls, auth, metrics).route(),
        new TwilioRoutes(calls, queues, conferences, liveRecordings, recordings, recordingUrls,
            auth, settings, metrics).route());
  }

  private Route noProvisioning() {
    return post(() -> complete(ApiJson.seedError(503, ApiException.UNAVAILABLE,
        "endpoint provisioning needs an Asterisk server")));
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
