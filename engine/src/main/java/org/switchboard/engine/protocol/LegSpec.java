package org.switchboard.engine.protocol;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.engine.twiml.verb.Method;

/**
 * How to originate one outbound leg and what to do when it answers.
 *
 * @param serverId the caller's Asterisk server (a bridge only joins channels of one server)
 * @param channelId chosen by Switchboard before originating, so early events are routed
 * @param endpoint the Asterisk dial string, e.g. {@code PJSIP/+15551230001@trunk}
 * @param target what the application asked for (number, SIP URI, client identity), for reports
 * @param callerId caller id presented to the callee
 * @param timeoutSeconds ring timeout
 * @param parentCallSid the call this leg belongs to (ParentCallSid in webhooks), if any
 * @param onAnswer TwiML to run on the leg once it answers (whisper {@code url}, {@code /ring}
 *     answer URL); empty when the parent bridges it directly
 * @param statusCallback per-noun status callback
 * @param variables channel variables set on originate
 * @param standalone a leg nobody bridges (REST-originated call, API {@code /ring}): it claims on
 *     answer and then runs {@code onAnswer} as its own call; a dial leg (not standalone) runs
 *     {@code onAnswer} as a whisper before it is claimed and bridged by its parent
 * @param machineDetection answering machine detection once it answers, if asked for
 * @param sendDigits DTMF sent on the leg's channel once it answers (REST {@code SendDigits}: digits,
 *     {@code *}, {@code #}, {@code w} for a half-second pause), if asked for
 */
public record LegSpec(
    String serverId,
    String channelId,
    String endpoint,
    String target,
    String callerId,
    int timeoutSeconds,
    Optional<String> parentCallSid,
    Optional<TwimlSource> onAnswer,
    Optional<StatusCallback> statusCallback,
    Map<String, String> variables,
    boolean standalone,
    Optional<AmdOptions> machineDetection,
    Optional<String> sendDigits) {

  public LegSpec {
    Objects.requireNonNull(machineDetection, "machineDetection");
    Objects.requireNonNull(sendDigits, "sendDigits");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(callerId, "callerId");
    Objects.requireNonNull(parentCallSid, "parentCallSid");
    Objects.requireNonNull(onAnswer, "onAnswer");
    Objects.requireNonNull(statusCallback, "statusCallback");
    variables = Map.copyOf(variables);
  }

  /**
   * A leg without answering machine detection that sends no digits on answer ({@link
   * #withMachineDetection}, {@link #withSendDigits} add them).
   */
  public LegSpec(
      String serverId,
      String channelId,
      String endpoint,
      String target,
      String callerId,
      int timeoutSeconds,
      Optional<String> parentCallSid,
      Optional<TwimlSource> onAnswer,
      Optional<StatusCallback> statusCallback,
      Map<String, String> variables,
      boolean standalone) {
    this(serverId, channelId, endpoint, target, callerId, timeoutSeconds, parentCallSid, onAnswer,
        statusCallback, variables, standalone, Optional.empty(), Optional.empty());
  }

  /** This leg with {@code amd}. */
  public LegSpec withMachineDetection(Optional<AmdOptions> amd) {
    return new LegSpec(serverId, channelId, endpoint, target, callerId, timeoutSeconds,
        parentCallSid, onAnswer, statusCallback, variables, standalone, amd, sendDigits);
  }

  /** This leg sending {@code digits} once it answers. */
  public LegSpec withSendDigits(Optional<String> digits) {
    return new LegSpec(serverId, channelId, endpoint, target, callerId, timeoutSeconds,
        parentCallSid, onAnswer, statusCallback, variables, standalone, machineDetection, digits);
  }

  /** A leg that is standalone exactly when it has no parent. */
  public LegSpec(
      String serverId,
      String channelId,
      String endpoint,
      String target,
      String callerId,
      int timeoutSeconds,
      Optional<String> parentCallSid,
      Optional<TwimlSource> onAnswer,
      Optional<StatusCallback> statusCallback,
      Map<String, String> variables) {
    this(serverId, channelId, endpoint, target, callerId, timeoutSeconds, parentCallSid, onAnswer,
        statusCallback, variables, parentCallSid.isEmpty());
  }

  /** The Twilio Direction of the leg: {@code outbound-api} standalone, else {@code outbound-dial}. */
  public String direction() {
    return standalone ? "outbound-api" : "outbound-dial";
  }

  /**
   * Where a leg's TwiML comes from: {@code url} with {@code method}, or the inline {@code twiml}
   * (then {@code url} is only the base relative URLs resolve against); {@code fallbackUrl} is
   * requested once if the first document fails.
   */
  public record TwimlSource(
      URI url,
      Method method,
      Optional<String> twiml,
      Optional<URI> fallbackUrl,
      Method fallbackMethod) {

    public TwimlSource {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(twiml, "twiml");
      Objects.requireNonNull(fallbackUrl, "fallbackUrl");
      Objects.requireNonNull(fallbackMethod, "fallbackMethod");
    }

    /** A document fetched from {@code url}, without fallback. */
    public TwimlSource(URI url, Method method) {
      this(url, method, Optional.empty(), Optional.empty(), Method.POST);
    }

    /** Inline TwiML; relative URLs in it resolve against {@code base}. */
    public static TwimlSource inline(String twiml, URI base) {
      return new TwimlSource(base, Method.POST, Optional.of(twiml), Optional.empty(),
          Method.POST);
    }
  }

  /** {@code statusCallback}, {@code statusCallbackEvent}, {@code statusCallbackMethod}. */
  public record StatusCallback(URI url, List<String> events, Method method) {}
}
