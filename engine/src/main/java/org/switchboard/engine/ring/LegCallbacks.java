package org.switchboard.engine.ring;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.twiml.verb.CallEvent;

/**
 * The per-noun status callbacks of one leg (spec §2.2): {@code initiated}, {@code ringing},
 * {@code answered}, {@code completed}, each sent only when the noun asked for it, numbered from 0.
 * Not thread-safe: owned by one leg actor.
 */
final class LegCallbacks {

  /** RFC 2822 in UTC with a numeric zone, as Twilio sends it. */
  static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
          .withZone(ZoneOffset.UTC);

  private final String legCallSid;
  private final LegSpec spec;
  private final WebhookPort webhooks;
  private final LegSettings settings;
  private int sequence;

  LegCallbacks(String legCallSid, LegSpec spec, WebhookPort webhooks, LegSettings settings) {
    this.legCallSid = legCallSid;
    this.spec = spec;
    this.webhooks = webhooks;
    this.settings = settings;
  }

  /** The SequenceNumber of the next callback (kept in the leg's durable state). */
  int sequence() {
    return sequence;
  }

  /** A leg resumed after a restart numbers its callbacks on from {@code next}. */
  void resumeAt(int next) {
    sequence = next;
  }

  void initiated() {
    send(CallEvent.INITIATED, CallStatus.INITIATED.wire(), OptionalInt.empty(), Optional.empty());
  }

  void ringing() {
    send(CallEvent.RINGING, CallStatus.RINGING.wire(), OptionalInt.empty(), Optional.empty());
  }

  void answered() {
    send(CallEvent.ANSWERED, CallStatus.IN_PROGRESS.wire(), OptionalInt.empty(), Optional.empty());
  }

  void completed(String status, int durationSeconds, Optional<Integer> sipCode) {
    send(CallEvent.COMPLETED, status, OptionalInt.of(durationSeconds), sipCode);
  }

  private void send(
      CallEvent event, String callStatus, OptionalInt duration, Optional<Integer> sipCode) {
    Optional<LegSpec.StatusCallback> callback = spec.statusCallback();
    if (callback.isEmpty() || !callback.get().events().contains(event.wire())) {
      return;
    }
    List<Map.Entry<String, String>> p = new ArrayList<>();
    p.add(Map.entry("CallSid", legCallSid));
    p.add(Map.entry("AccountSid", settings.accountSid()));
    p.add(Map.entry("From", spec.callerId()));
    p.add(Map.entry("To", spec.target()));
    p.add(Map.entry("Caller", spec.callerId()));
    p.add(Map.entry("Called", spec.target()));
    p.add(Map.entry("CallStatus", callStatus));
    p.add(Map.entry("ApiVersion", "2010-04-01"));
    p.add(Map.entry("Direction", spec.direction()));
    spec.parentCallSid().ifPresent(parent -> p.add(Map.entry("ParentCallSid", parent)));
    duration.ifPresent(d -> p.add(Map.entry("CallDuration", Integer.toString(d))));
    sipCode.ifPresent(code -> p.add(Map.entry("SipResponseCode", Integer.toString(code))));
    p.add(Map.entry("Timestamp", RFC_2822.format(settings.clock().instant())));
    p.add(Map.entry("CallbackSource", "call-progress-events"));
    p.add(Map.entry("SequenceNumber", Integer.toString(sequence++)));
    webhooks.notify(
        new WebhookPort.WebhookRequest(
            callback.get().url(), callback.get().method(), List.copyOf(p), legCallSid,
            "leg-status-" + event.wire()));
  }
}
