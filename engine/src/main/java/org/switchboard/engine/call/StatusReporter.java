package org.switchboard.engine.call;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.script.Rfc2822;
import org.switchboard.engine.twiml.verb.CallEvent;

/**
 * Sends a call's status callbacks (spec §2.1): the events its application asked for, with
 * SequenceNumber from 0, RFC 2822 Timestamp and CallbackSource; {@code completed} at most once.
 * Used only from inside the call actor.
 */
final class StatusReporter {
  private final WebhookPort webhooks;
  private final VoiceApplication application;
  private final CallParams params;
  private int sequence;
  private boolean finalSent;

  StatusReporter(WebhookPort webhooks, VoiceApplication application, CallParams params) {
    this.webhooks = webhooks;
    this.application = application;
    this.params = params;
  }

  /** The SequenceNumber of the next callback (kept in the call's checkpoint). */
  int sequence() {
    return sequence;
  }

  /** Goes on from {@code next} (a call resumed from its checkpoint). */
  void continueAt(int next) {
    sequence = next;
  }

  /** A progress event ({@code initiated}, {@code ringing}, {@code answered}). */
  void progress(CallEvent event, CallStatus callStatus, Instant at) {
    send(event, callStatus, at, Optional.empty());
  }

  /** The final {@code completed} event; later calls do nothing. */
  void completed(CallStatus finalStatus, Instant at, Optional<Instant> answeredAt) {
    if (finalSent) {
      return;
    }
    finalSent = true;
    long seconds = answeredAt.map(a -> Math.max(0, Duration.between(a, at).toSeconds())).orElse(0L);
    send(CallEvent.COMPLETED, finalStatus, at, Optional.of(seconds));
  }

  private void send(CallEvent event, CallStatus callStatus, Instant at, Optional<Long> duration) {
    if (!application.wants(event.wire())) {
      return;
    }
    List<Map.Entry<String, String>> out = new java.util.ArrayList<>(params.with(callStatus.wire()));
    duration.ifPresent(d -> out.add(Map.entry("CallDuration", String.valueOf(d))));
    out.add(Map.entry("Timestamp", Rfc2822.format(at)));
    out.add(Map.entry("CallbackSource", "call-progress-events"));
    out.add(Map.entry("SequenceNumber", String.valueOf(sequence++)));
    webhooks.notify(
        new WebhookPort.WebhookRequest(
            application.statusCallback().orElseThrow(),
            application.statusCallbackMethod(),
            List.copyOf(out),
            params.callSid(),
            "status-" + event.wire()));
  }
}
