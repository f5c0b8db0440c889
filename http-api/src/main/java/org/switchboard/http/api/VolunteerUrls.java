package org.switchboard.http.api;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.switchboard.http.api.CallModel.RingOrigin;
import org.switchboard.http.api.CallModel.RingRequest;
import org.switchboard.http.api.CallModel.RingTarget;

/**
 * The Llamenos Worker's per-volunteer URLs for a {@code /ring} that gives no {@code answerUrl} or
 * {@code statusCallback}: the bridge answered every volunteer leg with {@code
 * {WORKER_WEBHOOK_URL}/api/telephony/volunteer-answer?parentCallSid=…&pubkey=…} and reported its
 * end to {@code /api/telephony/call-status?parentCallSid=…}; the Worker's own Twilio adapter sends
 * the same two URLs with {@code pubkey} on both. Templates and base come from {@link
 * SeedSettings}; a relative template is appended to the configured Worker URL, else to the
 * request's {@code callbackUrl} (the Worker's origin), else there is no default.
 */
public final class VolunteerUrls {
  private final SeedSettings settings;

  public VolunteerUrls(SeedSettings settings) {
    this.settings = settings;
  }

  /**
   * {@code request} with each target's answer URL (when the request has none) and status
   * callback (when the request has none) filled from the templates. Targets keep URLs they
   * already have. Nothing changes when no base URL is known for a relative template.
   */
  public RingRequest complete(RingRequest request, RingOrigin origin) {
    boolean answers = request.answerUrl().isEmpty();
    boolean statuses = request.statusCallback().isEmpty();
    if (!answers && !statuses) {
      return request;
    }
    var targets = request.targets().stream().map(t -> t.withUrls(
        t.answerUrl().or(() -> answers
            ? url(settings.volunteerAnswerUrl(), request.parentCallSid(), t.id(), origin)
            : Optional.empty()),
        t.statusCallback().or(() -> statuses
            ? url(settings.volunteerStatusUrl(), request.parentCallSid(), t.id(), origin)
            : Optional.empty()))).toList();
    return new RingRequest(request.parentCallSid(), request.callerNumber(), targets,
        request.timeout(), request.answerUrl(),
        request.statusCallback(), request.machineDetection());
  }

  /** The template filled for one volunteer, absolute, or empty when no base URL is known. */
  Optional<URI> url(String template, String parentCallSid, String pubkey, RingOrigin origin) {
    if (template.isBlank()) {
      return Optional.empty();
    }
    String filled = template.trim()
        .replace("{parentCallSid}", encode(parentCallSid))
        .replace("{pubkey}", encode(pubkey));
    if (origin.hubId().isPresent()) {
      filled += (filled.contains("?") ? "&" : "?") + "hub=" + encode(origin.hubId().get());
    }
    URI uri = URI.create(filled);
    if (uri.isAbsolute()) {
      return Optional.of(uri);
    }
    String path = filled;
    return settings.worker().or(() -> origin.callbackUrl().map(URI::toString))
        .map(base -> URI.create(join(base, path)));
  }

  private static String join(String base, String path) {
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return trimmed + (path.startsWith("/") ? path : "/" + path);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
