package org.switchboard.engine.call;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.port.WebhookPort;

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
    Map<String, String> variables) {

  /** Where a leg's TwiML comes from. */
  public record TwimlSource(URI url, WebhookPort.Method method) {}

  /** {@code statusCallback}, {@code statusCallbackEvent}, {@code statusCallbackMethod}. */
  public record StatusCallback(URI url, List<String> events, WebhookPort.Method method) {}
}
