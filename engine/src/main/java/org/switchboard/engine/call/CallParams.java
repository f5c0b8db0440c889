package org.switchboard.engine.call;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.port.ChannelEvent.ChannelInfo;

/**
 * The parameters every request about a call carries (spec §1.1), fixed at call start; only
 * CallStatus changes.
 */
public record CallParams(
    String accountSid,
    String callSid,
    String from,
    String to,
    Optional<String> callerName,
    Optional<String> sipCallId,
    String direction,
    Optional<String> parentCallSid,
    Optional<String> answeredBy) {

  public static final String API_VERSION = "2010-04-01";

  /** The parameters of a call on which no answering machine detection ran. */
  public CallParams(
      String accountSid,
      String callSid,
      String from,
      String to,
      Optional<String> callerName,
      Optional<String> sipCallId,
      String direction,
      Optional<String> parentCallSid) {
    this(accountSid, callSid, from, to, callerName, sipCallId, direction, parentCallSid,
        Optional.empty());
  }

  /** These parameters with {@code AnsweredBy} (the verdict of answering machine detection). */
  public CallParams withAnsweredBy(Optional<String> verdict) {
    return new CallParams(accountSid, callSid, from, to, callerName, sipCallId, direction,
        parentCallSid, verdict);
  }

  /** An inbound call on {@code channel}: From from the caller id, To from the dialled exten. */
  public static CallParams inbound(String accountSid, String callSid, ChannelInfo channel) {
    return inbound(accountSid, callSid, channel, e164(channel.exten() == null ? "" : channel.exten()));
  }

  /** An inbound call on {@code channel} to {@code to}: From from the caller id. */
  public static CallParams inbound(
      String accountSid, String callSid, ChannelInfo channel, String to) {
    String number = channel.caller() == null ? "" : channel.caller().number();
    String name = channel.caller() == null ? "" : channel.caller().name();
    return new CallParams(
        accountSid,
        callSid,
        e164(number),
        to,
        nonBlank(name),
        nonBlank(channel.protocolId()),
        "inbound",
        Optional.empty());
  }

  /** The standard parameters with {@code callStatus}, in a stable order. */
  public List<Map.Entry<String, String>> with(String callStatus) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    out.add(Map.entry("AccountSid", accountSid));
    answeredBy.ifPresent(a -> out.add(Map.entry("AnsweredBy", a)));
    out.add(Map.entry("ApiVersion", API_VERSION));
    out.add(Map.entry("CallSid", callSid));
    out.add(Map.entry("CallStatus", callStatus));
    out.add(Map.entry("Called", to));
    out.add(Map.entry("Caller", from));
    callerName.ifPresent(n -> out.add(Map.entry("CallerName", n)));
    out.add(Map.entry("Direction", direction));
    out.add(Map.entry("From", from));
    parentCallSid.ifPresent(p -> out.add(Map.entry("ParentCallSid", p)));
    sipCallId.ifPresent(s -> out.add(Map.entry("SipCallId", s)));
    out.add(Map.entry("To", to));
    return out;
  }

  /**
   * {@link #with}, read anew from these parameters on each use instead of held: for what keeps the
   * parameters for a whole call (a delegate's {@code CallDelegates.Context}, e.g. a queued
   * caller's membership), so that it holds no copy of its own (docs/performance.md "Held calls").
   */
  public List<Map.Entry<String, String>> readWith(String callStatus) {
    return new AbstractList<>() {
      @Override
      public Map.Entry<String, String> get(int index) {
        return with(callStatus).get(index);
      }

      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        return with(callStatus).iterator();
      }

      @Override
      public int size() {
        return 9 + (answeredBy.isPresent() ? 1 : 0) + (callerName.isPresent() ? 1 : 0)
            + (parentCallSid.isPresent() ? 1 : 0) + (sipCallId.isPresent() ? 1 : 0);
      }
    };
  }

  /** {@code raw} in E.164 when it is an international phone number ({@link PhoneNumbers}). */
  public static String e164(String raw) {
    return PhoneNumbers.INTERNATIONAL.e164(raw);
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
