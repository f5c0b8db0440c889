package org.switchboard.engine.conference;

import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.twiml.verb.Method;

/**
 * The conference status callbacks of one room (spec §2.4): the first participant's {@code
 * statusCallback*} settings count; events {@code start end join leave}, numbered from 1 per
 * conference. Owned by one {@link ConferenceActor}.
 */
final class ConferenceCallbacks {
  private static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  private final WebhookPort webhooks;
  private final String accountSid;
  private final String name;
  private final Clock clock;
  private String conferenceSid;
  private Optional<URI> url = Optional.empty();
  private Method method = Method.POST;
  private Set<String> events = Set.of();
  private int sequence;

  ConferenceCallbacks(WebhookPort webhooks, String accountSid, String name, Clock clock) {
    this.webhooks = webhooks;
    this.accountSid = accountSid;
    this.name = name;
    this.clock = clock;
  }

  /** {@code instant} as the callbacks' {@code Timestamp}. */
  static String rfc2822(java.time.Instant instant) {
    return RFC_2822.format(instant);
  }

  /** Whether the conference's callback asked for {@code event} ({@code start}, {@code speaker}…). */
  boolean wants(String event) {
    return url.isPresent() && events.contains(event);
  }

  /** A new conference: {@code first}'s settings apply. */
  void reset(String sid, ConferenceActor.Participant first) {
    conferenceSid = sid;
    url = first.statusCallback();
    method = first.statusCallbackMethod();
    events = first.statusCallbackEvents();
    sequence = 0;
  }

  /** A conference taken back after a restart: numbering goes on after {@code sequence}. */
  void restore(String sid, ConferenceActor.Participant first, int sequence) {
    reset(sid, first);
    this.sequence = sequence;
  }

  /** The SequenceNumber of the last callback sent. */
  int sequence() {
    return sequence;
  }

  void conference(String event, String wanted, Map<String, String> extra) {
    send(event, wanted, List.of(), extra);
  }

  void participant(String event, String wanted, String callSid, ConferenceActor.Participant p, Map<String, String> extra) {
    participant(event, wanted, callSid, p, p.muted(), false, extra);
  }

  /** A participant event after a REST update: its {@code Muted} and {@code Hold} as they are now. */
  void participant(String event, String wanted, String callSid, ConferenceActor.Participant p,
      boolean muted, boolean hold, Map<String, String> extra) {
    List<Map.Entry<String, String>> params = new ArrayList<>();
    params.add(Map.entry("CallSid", callSid));
    params.add(Map.entry("Muted", Boolean.toString(muted)));
    params.add(Map.entry("Hold", Boolean.toString(hold)));
    params.add(Map.entry("Coaching", Boolean.toString(p.coach().isPresent())));
    p.coach().ifPresent(c -> params.add(Map.entry("CallSidToCoach", c)));
    params.add(Map.entry("EndConferenceOnExit", Boolean.toString(p.endConferenceOnExit())));
    params.add(Map.entry("StartConferenceOnEnter", Boolean.toString(p.startConferenceOnEnter())));
    p.label().ifPresent(l -> params.add(Map.entry("ParticipantLabel", l)));
    send(event, wanted, params, extra);
  }

  private void send(String event, String wanted, List<Map.Entry<String, String>> participant, Map<String, String> extra) {
    if (url.isEmpty() || !events.contains(wanted)) {
      return;
    }
    List<Map.Entry<String, String>> p = new ArrayList<>();
    p.add(Map.entry("ConferenceSid", conferenceSid));
    p.add(Map.entry("FriendlyName", name));
    p.add(Map.entry("AccountSid", accountSid));
    p.add(Map.entry("SequenceNumber", Integer.toString(++sequence)));
    p.add(Map.entry("Timestamp", RFC_2822.format(clock.instant())));
    p.add(Map.entry("StatusCallbackEvent", event));
    p.addAll(participant);
    extra.forEach((k, v) -> p.add(Map.entry(k, v)));
    webhooks.notify(new WebhookPort.WebhookRequest(url.get(), method, List.copyOf(p), conferenceSid, "conference-" + event));
  }
}
