package org.switchboard.http.twilio;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.call.CallParams;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.CallControl;
import org.switchboard.http.api.CallModel.CallFilter;
import org.switchboard.http.api.CallModel.CallInstructions;
import org.switchboard.http.api.CallModel.CallbackEvent;
import org.switchboard.http.api.CallModel.CreateCallRequest;
import org.switchboard.http.api.CallModel.EndMode;
import org.switchboard.http.api.CallModel.FetchUrl;
import org.switchboard.http.api.CallModel.InlineTwiml;
import org.switchboard.http.api.CallModel.RecordingEvent;
import org.switchboard.http.api.CallModel.RecordingOptions;
import org.switchboard.http.api.DateRange;
import org.switchboard.http.api.DialTargets;
import org.switchboard.http.api.SeedRequests;

/**
 * Twilio's Calls resource: create ({@code POST /Calls}), fetch, list with {@code Status}, {@code
 * To}, {@code From}, {@code ParentCallSid} and {@code StartTime}/{@code EndTime} ({@link
 * DateFilters}) filters, and update ({@code Url}/{@code Twiml} redirect
 * or {@code Status=completed|canceled}). Parameters are validated here with Twilio's error codes
 * before {@link CallControl} is called.
 */
final class CallsResource {
  /** Twilio's default and largest originate timeout, in seconds. */
  static final int DEFAULT_TIMEOUT = 60;

  static final int MAX_TIMEOUT = 600;

  private final CallControl calls;
  private final TwilioJson json;

  CallsResource(CallControl calls, TwilioJson json) {
    this.calls = calls;
    this.json = json;
  }

  CompletionStage<Object> create(TwilioForm params) {
    CreateCallRequest request = createRequest(params);
    return calls.createCall(request).thenApply(json::call);
  }

  CompletionStage<Object> fetch(String sid) {
    return calls.fetchCall(sid).thenApply(json::call);
  }

  CompletionStage<Object> list(TwilioForm params) {
    Paging paging = Paging.of(params);
    Map<String, String> filters = new LinkedHashMap<>();
    Optional<CallStatus> status = params.first("Status").map(value -> {
      CallStatus parsed = CallStatus.parse(value).orElseThrow(() ->
          TwilioError.bad(TwilioError.CALLS_RESOURCE, "Status '" + value + "' is not valid"));
      filters.put("Status", parsed.wire());
      return parsed;
    });
    Optional<String> to = params.first("To");
    to.ifPresent(v -> filters.put("To", v));
    Optional<String> from = params.first("From");
    from.ifPresent(v -> filters.put("From", v));
    Optional<String> parent = params.first("ParentCallSid");
    parent.ifPresent(v -> filters.put("ParentCallSid", v));
    // The same normalisation as the calls' own To/From: 15550009000 finds +15550009000.
    DateRange startTime = DateFilters.parse(params, "StartTime", filters);
    DateRange endTime = DateFilters.parse(params, "EndTime", filters);
    CallFilter filter = new CallFilter(status, to.map(CallParams::e164), from.map(CallParams::e164),
        parent, startTime, endTime);
    return calls.listCalls(filter, paging.offset(), paging.pageSize()).thenApply(page ->
        paging.envelope(json.accountPath() + "/Calls.json", filters, "calls", page,
            page.items().stream().map(json::call).toList()));
  }

  CompletionStage<Object> update(String sid, TwilioForm params) {
    Optional<String> status = params.first("Status");
    if (status.isPresent()) {
      EndMode mode = switch (status.get().toLowerCase(Locale.ROOT)) {
        case "completed" -> EndMode.COMPLETED;
        case "canceled" -> EndMode.CANCELED;
        default -> throw TwilioError.bad(TwilioError.CALLS_RESOURCE,
            "Status can only be completed or canceled, not '" + status.get() + "'");
      };
      return calls.endCall(sid, mode).thenApply(json::call);
    }
    Optional<CallInstructions> instructions = instructions(params);
    if (instructions.isEmpty()) {
      throw TwilioError.bad(TwilioError.CALLS_RESOURCE,
          "Nothing to update: send Url, Twiml or Status");
    }
    return calls.redirectCall(sid, instructions.get()).thenApply(json::call);
  }

  static CreateCallRequest createRequest(TwilioForm params) {
    String to = params.first("To").orElseThrow(() ->
        TwilioError.bad(TwilioError.TO_REQUIRED, "A 'To' phone number is required."));
    String from = params.first("From").orElseThrow(() ->
        TwilioError.bad(TwilioError.FROM_REQUIRED, "A 'From' phone number is required."));
    if (!DialTargets.isCallTarget(to)) {
      throw TwilioError.bad(TwilioError.INVALID_TO, "Invalid 'To' Phone Number: " + quoted(to)
          + " is not an E.164 number, client:identity or sip: URI");
    }
    if (!DialTargets.isCallTarget(from)) {
      throw TwilioError.bad(TwilioError.INVALID_FROM, "Invalid 'From' Phone Number: "
          + quoted(from) + " is not an E.164 number, client:identity or sip: URI");
    }
    if (params.first("ApplicationSid").isPresent() && params.first("Url").isEmpty()
        && params.first("Twiml").isEmpty()) {
      throw TwilioError.bad(TwilioError.INVALID_URL,
          "ApplicationSid is not supported here; send Url or Twiml");
    }
    CallInstructions instructions = instructions(params).orElseThrow(() ->
        TwilioError.bad(TwilioError.INVALID_URL, "Url or Twiml is required"));
    Optional<URI> statusCallback = url(params, "StatusCallback");
    Set<CallbackEvent> events = EnumSet.noneOf(CallbackEvent.class);
    for (String event : params.all("StatusCallbackEvent")) {
      events.add(enumValue(CallbackEvent.values(), event, "StatusCallbackEvent"));
    }
    if (statusCallback.isPresent() && events.isEmpty()) {
      events.add(CallbackEvent.COMPLETED);
    }
    int timeout = params.first("Timeout").map(value -> {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw TwilioError.bad(TwilioError.CALLS_RESOURCE, "Timeout must be a number of seconds");
      }
    }).orElse(DEFAULT_TIMEOUT);
    if (timeout < 1) {
      throw TwilioError.bad(TwilioError.CALLS_RESOURCE, "Timeout must be positive");
    }
    return new CreateCallRequest(to, from, instructions, statusCallback,
        params.method("StatusCallbackMethod", "POST"), events,
        Duration.ofSeconds(Math.min(timeout, MAX_TIMEOUT)), params.first("CallerId"),
        recording(params), sendDigits(params), AmdParameters.read(params),
        AmdParameters.async(params));
  }

  /** Twilio's {@code SendDigits}: at most 32 of {@code 0-9 * #} and {@code w} (half a second). */
  private static Optional<String> sendDigits(TwilioForm params) {
    Optional<String> digits = params.first("SendDigits");
    if (digits.isPresent() && !digits.get().matches("[0-9*#wW]{1,32}")) {
      throw TwilioError.bad(TwilioError.CALLS_RESOURCE, "SendDigits " + quoted(digits.get())
          + " must be 1 to 32 of the digits 0-9, '*', '#' and 'w' (a half-second pause)");
    }
    return digits;
  }

  /** {@code value} for an error message: quoted, other than printable ASCII as {@code U+XXXX}. */
  private static String quoted(String value) {
    StringBuilder out = new StringBuilder("'");
    value.codePoints().limit(64).forEach(c -> {
      if (c >= 0x20 && c < 0x7f) {
        out.appendCodePoint(c);
      } else {
        out.append(String.format("U+%04X", c));
      }
    });
    return out.append(value.length() > 64 ? "...'" : "'").toString();
  }

  private static Optional<RecordingOptions> recording(TwilioForm params) {
    if (!params.bool("Record", false, TwilioError.CALLS_RESOURCE)) {
      return Optional.empty();
    }
    return Optional.of(recordingOptions(params));
  }

  /** {@code RecordingChannels}, {@code RecordingTrack} and {@code RecordingStatusCallback*}. */
  static RecordingOptions recordingOptions(TwilioForm params) {
    String channels = params.first("RecordingChannels").orElse("mono").toLowerCase(Locale.ROOT);
    if (!channels.equals("mono") && !channels.equals("dual")) {
      throw TwilioError.bad(TwilioError.CALLS_RESOURCE, "RecordingChannels must be mono or dual");
    }
    String track = params.first("RecordingTrack").orElse("both").toLowerCase(Locale.ROOT);
    if (!Set.of("inbound", "outbound", "both").contains(track)) {
      throw TwilioError.bad(TwilioError.CALLS_RESOURCE,
          "RecordingTrack must be inbound, outbound or both");
    }
    Set<RecordingEvent> events = EnumSet.noneOf(RecordingEvent.class);
    for (String value : params.all("RecordingStatusCallbackEvent")) {
      for (String event : value.trim().split("[\\s,]+")) {
        events.add(enumValue(RecordingEvent.values(), event, "RecordingStatusCallbackEvent"));
      }
    }
    if (events.isEmpty()) {
      events.add(RecordingEvent.COMPLETED);
    }
    return new RecordingOptions(channels, url(params, "RecordingStatusCallback"),
        params.method("RecordingStatusCallbackMethod", "POST"), events, track);
  }

  /** {@code Twiml} wins over {@code Url}, as with Twilio. */
  static Optional<CallInstructions> instructions(TwilioForm params) {
    Optional<String> twiml = params.first("Twiml");
    if (twiml.isPresent()) {
      return Optional.of(new InlineTwiml(twiml.get()));
    }
    Optional<URI> url = url(params, "Url");
    if (url.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new FetchUrl(url.get(), params.method("Method", "POST"),
        url(params, "FallbackUrl"), params.method("FallbackMethod", "POST")));
  }

  /** An absolute http(s) URL parameter, if given; else 21205. */
  static Optional<URI> url(TwilioForm params, String name) {
    return params.first(name).map(value -> {
      try {
        return SeedRequests.absoluteUrl(value, name);
      } catch (ApiException e) {
        throw TwilioError.bad(TwilioError.INVALID_URL, e.getMessage());
      }
    });
  }

  private static <E extends Enum<E>> E enumValue(E[] values, String wire, String name) {
    for (E value : values) {
      String valueWire = value instanceof CallbackEvent c ? c.wire() : ((RecordingEvent) value).wire();
      if (valueWire.equalsIgnoreCase(wire)) {
        return value;
      }
    }
    throw TwilioError.bad(TwilioError.CALLS_RESOURCE, name + " '" + wire + "' is not valid");
  }
}
