package org.switchboard.engine.hotline;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.engine.twiml.verb.MachineDetection;
import org.switchboard.engine.twiml.verb.Method;

/**
 * The Llamenos {@code /ring}: ring several volunteers in parallel for a waiting caller ({@link
 * CallOperations#ring}). The first to answer runs {@code answerUrl} (typically {@code
 * <Dial><Queue>}, which takes the caller out of its queue); the others are cancelled.
 *
 * @param parentCallSid the waiting caller; the legs are originated on its Asterisk server
 * @param callerNumber caller id presented to the volunteers
 * @param statusCallbackEvents subset of {@code initiated ringing answered completed}
 * @param machineDetection answering machine detection on every leg: a leg a machine answers is
 *     hung up and reported {@code no-answer}, never bridged; the first human wins
 */
public record RingSpec(
    String parentCallSid,
    String callerNumber,
    List<Target> targets,
    int timeoutSeconds,
    URI answerUrl,
    Method answerMethod,
    Optional<URI> statusCallback,
    List<String> statusCallbackEvents,
    Optional<MachineDetection> machineDetection) {

  public RingSpec {
    Objects.requireNonNull(parentCallSid, "parentCallSid");
    Objects.requireNonNull(callerNumber, "callerNumber");
    Objects.requireNonNull(answerUrl, "answerUrl");
    targets = List.copyOf(targets);
    statusCallbackEvents = List.copyOf(statusCallbackEvents);
    Objects.requireNonNull(machineDetection, "machineDetection");
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("at least one target is required");
    }
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("timeout must be at least 1 second");
    }
  }

  /**
   * One volunteer: exactly one of {@code phone}, {@code sipUri}, {@code browserIdentity}.
   *
   * @param answerUrl this target's answer URL, instead of the request's (e.g. the Llamenos
   *     Worker's {@code volunteer-answer?parentCallSid=…&pubkey=…}, which names the volunteer)
   * @param statusCallback this target's status callback, instead of the request's
   */
  public record Target(
      String id,
      Optional<String> phone,
      Optional<String> sipUri,
      Optional<String> browserIdentity,
      Optional<URI> answerUrl,
      Optional<URI> statusCallback) {
    /** A target that uses the request's answer URL and status callback. */
    public Target(
        String id, Optional<String> phone, Optional<String> sipUri, Optional<String> browserIdentity) {
      this(id, phone, sipUri, browserIdentity, Optional.empty(), Optional.empty());
    }

    public Target {
      Objects.requireNonNull(id, "id");
      int given = (phone.isPresent() ? 1 : 0) + (sipUri.isPresent() ? 1 : 0)
          + (browserIdentity.isPresent() ? 1 : 0);
      if (given != 1) {
        throw new IllegalArgumentException("target " + id + " needs exactly one of phone, sipUri, browserIdentity");
      }
    }

    /** The target as a To value: the number, the SIP URI or {@code client:identity}. */
    public String address() {
      return phone.or(() -> sipUri).orElseGet(() -> "client:" + browserIdentity.orElseThrow());
    }
  }

  /** One leg started: its CallSid, its channel id and the target id it rings. */
  public record Leg(String legSid, String channelId, String target) {}
}
