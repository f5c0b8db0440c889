package org.switchboard.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.switchboard.http.api.CallModel.CancelRingingRequest;
import org.switchboard.http.api.CallModel.HangupRequest;
import org.switchboard.http.api.CallModel.RingOrigin;
import org.switchboard.http.api.CallModel.RingRequest;
import org.switchboard.http.api.CallModel.RingTarget;

/**
 * Reads the seed endpoints' JSON bodies into {@link CallModel} records. Each field accepts both
 * of its spellings (e.g. {@code parentCallSid} or {@code callSid}); giving both with different
 * values is an error. Every problem is an {@link ApiException#invalidParameter} naming the field.
 */
public final class SeedRequests {
  /** Longest ring time accepted, in seconds (Twilio's {@code <Dial timeout>} limit). */
  public static final int MAX_RING_SECONDS = 600;

  private SeedRequests() {}

  /** Parses a body that must be a JSON object. */
  public static JsonNode parseObject(byte[] body) {
    if (body.length == 0) {
      throw ApiException.invalidParameter("the body is empty; a JSON object is expected");
    }
    JsonNode node;
    try {
      node = ApiJson.MAPPER.readTree(body);
    } catch (IOException e) {
      throw ApiException.invalidParameter("the body is not valid JSON: "
          + firstLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw ApiException.invalidParameter("the body must be a JSON object");
    }
    return node;
  }

  /** {@code /ring}. */
  public static RingRequest ring(JsonNode body) {
    String parent = requiredText(body, "parentCallSid", "callSid");
    String callerNumber = requiredText(body, "callerNumber", "callerNumber");
    if (!DialTargets.isCallerId(callerNumber)) {
      throw ApiException.invalidParameter("callerNumber must be a phone number (E.164), a"
          + " client: identity, a sip: URI or a plain caller ID token such as anonymous");
    }
    JsonNode list = either(body, "volunteers", "users");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw ApiException.invalidParameter("volunteers (or users) must be a non-empty array");
    }
    List<RingTarget> targets = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      targets.add(target(list.get(i), "volunteers[" + i + "]"));
    }
    return new RingRequest(parent, callerNumber, targets, timeout(body),
        optionalUrl(body, "answerUrl"), optionalUrl(body, "statusCallback"),
        RingMachineDetection.read(body));
  }

  private static Optional<Duration> timeout(JsonNode body) {
    JsonNode timeoutNode = body.get("timeout");
    if (timeoutNode == null || timeoutNode.isNull()) {
      return Optional.empty();
    }
    if (!timeoutNode.canConvertToInt() || !timeoutNode.isIntegralNumber()
        || timeoutNode.asInt() < 1 || timeoutNode.asInt() > MAX_RING_SECONDS) {
      throw ApiException.invalidParameter(
          "timeout must be a whole number of seconds from 1 to " + MAX_RING_SECONDS);
    }
    return Optional.of(Duration.ofSeconds(timeoutNode.asInt()));
  }

  /**
   * The Worker's {@code callbackUrl} (its origin, absolute http(s)) and {@code hubId} of a {@code
   * /ring}; the bridge ignored both.
   */
  public static RingOrigin origin(JsonNode body) {
    Optional<String> hub = optionalText(body, "hubId", "hub");
    return new RingOrigin(optionalUrl(body, "callbackUrl"), hub);
  }

  /** True for the bridge's one-leg {@code /command ring}: {@code endpoint} instead of a list. */
  public static boolean isEndpointRing(JsonNode body) {
    JsonNode endpoint = body.get("endpoint");
    return endpoint != null && !endpoint.isNull()
        && either(body, "volunteers", "users") == null;
  }

  /**
   * The bridge's {@code {action:"ring", endpoint, callerId, timeout, answerCallbackParams:
   * {parentCallSid, pubkey}}}: one leg to {@code endpoint}, a dial string of {@code dial} (e.g.
   * {@code PJSIP/+15551234567@trunk}, {@code PJSIP/vol_abc}) or a plain number or identity.
   */
  public static RingRequest endpointRing(JsonNode body, DialEndpoints dial) {
    JsonNode params = body.get("answerCallbackParams");
    if (params != null && !params.isNull() && !params.isObject()) {
      throw ApiException.invalidParameter("answerCallbackParams must be an object");
    }
    JsonNode scope = params == null || params.isNull() ? body : params;
    String parent = optionalText(scope, "parentCallSid", "callSid")
        .or(() -> optionalText(body, "parentCallSid", "callSid"))
        .orElseThrow(() -> ApiException.invalidParameter(
            "answerCallbackParams.parentCallSid (or parentCallSid) is required"));
    String id = optionalText(scope, "pubkey", "id")
        .or(() -> optionalText(body, "pubkey", "id"))
        .orElseThrow(() -> ApiException.invalidParameter(
            "answerCallbackParams.pubkey (or pubkey) is required"));
    String callerId = requiredText(body, "callerId", "callerNumber");
    if (!DialTargets.isCallerId(callerId)) {
      throw ApiException.invalidParameter("callerId must be a phone number (E.164), a"
          + " client: identity, a sip: URI or a plain caller ID token such as anonymous");
    }
    RingTarget target = dial.target(id, requiredText(body, "endpoint", "endpoint"));
    return new RingRequest(parent, callerId, List.of(target), timeout(body),
        optionalUrl(body, "answerUrl"), optionalUrl(body, "statusCallback"),
        RingMachineDetection.read(body));
  }

  /** {@code /cancel-ringing}. */
  public static CancelRingingRequest cancelRinging(JsonNode body) {
    JsonNode list = either(body, "channelIds", "callSids");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw ApiException.invalidParameter("channelIds (or callSids) must be a non-empty array");
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode id : list) {
      if (!id.isTextual() || id.asText().isBlank()) {
        throw ApiException.invalidParameter("channelIds (or callSids) must hold strings");
      }
      ids.add(id.asText());
    }
    return new CancelRingingRequest(ids, optionalText(body, "exceptId", "exceptSid"));
  }

  /** {@code /hangup}. */
  public static HangupRequest hangup(JsonNode body) {
    return new HangupRequest(requiredText(body, "channelId", "callSid"));
  }

  /**
   * The {@code action} of {@code /command}, normalised: hangup, ring, cancelRinging, status,
   * getRecordingAudio.
   */
  public static String action(JsonNode body) {
    String action = requiredText(body, "action", "action");
    return switch (action.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
      case "hangup" -> "hangup";
      case "ring" -> "ring";
      case "cancelringing" -> "cancelRinging";
      case "status" -> "status";
      case "getrecordingaudio" -> "getRecordingAudio";
      default -> throw ApiException.invalidParameter("unknown action '" + action
          + "'; expected hangup, ring, cancelRinging, status or getRecordingAudio");
    };
  }

  /** The call a {@code status} command asks about, if any. */
  public static Optional<String> statusSubject(JsonNode body) {
    return optionalText(body, "callSid", "channelId");
  }

  /** The recording a {@code getRecordingAudio} command names ({@code recordingSid|recordingName}). */
  public static Optional<String> recordingName(JsonNode body) {
    return optionalText(body, "recordingSid", "recordingName")
        .or(() -> optionalText(body, "name", "name"));
  }

  private static RingTarget target(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw ApiException.invalidParameter(where + " must be an object");
    }
    String id = requiredText(node, "id", "pubkey", where + ".");
    Optional<String> phone = optionalText(node, "phone", "phone");
    Optional<String> sip = optionalText(node, "sipUri", "sipUri");
    Optional<String> browser = optionalText(node, "browserIdentity", "browserIdentity");
    if (phone.isEmpty() && sip.isEmpty() && browser.isEmpty()) {
      throw ApiException.invalidParameter(
          where + " needs at least one of phone, sipUri, browserIdentity");
    }
    if (phone.isPresent() && !DialTargets.isPhoneNumber(phone.get())) {
      throw ApiException.invalidParameter(where + ".phone must be an E.164 number (+14155551212)"
          + " or digits only");
    }
    if (sip.isPresent() && !DialTargets.isSipUri(sip.get())) {
      throw ApiException.invalidParameter(where + ".sipUri must be a sip: or sips: URI");
    }
    if (browser.isPresent() && !DialTargets.isClientIdentity(browser.get())) {
      throw ApiException.invalidParameter(where + ".browserIdentity may hold letters, digits,"
          + " _ . - (at most 121)");
    }
    return new RingTarget(id, phone, sip, browser);
  }

  private static JsonNode either(JsonNode body, String name, String alias) {
    JsonNode first = body.get(name);
    JsonNode second = body.get(alias);
    boolean hasFirst = first != null && !first.isNull();
    boolean hasSecond = second != null && !second.isNull();
    if (hasFirst && hasSecond && !first.equals(second)) {
      throw ApiException.invalidParameter(name + " and " + alias + " disagree; send one of them");
    }
    return hasFirst ? first : hasSecond ? second : null;
  }

  private static String requiredText(JsonNode body, String name, String alias) {
    return requiredText(body, name, alias, "");
  }

  private static String requiredText(JsonNode body, String name, String alias, String prefix) {
    return optionalText(body, name, alias, prefix).orElseThrow(() -> ApiException.invalidParameter(
        prefix + name + (name.equals(alias) ? "" : " (or " + alias + ")") + " is required"));
  }

  private static Optional<String> optionalText(JsonNode body, String name, String alias) {
    return optionalText(body, name, alias, "");
  }

  private static Optional<String> optionalText(
      JsonNode body, String name, String alias, String prefix) {
    JsonNode node = either(body, name, alias);
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw ApiException.invalidParameter(prefix + name + " must be a string");
    }
    String text = node.asText().trim();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  private static Optional<URI> optionalUrl(JsonNode body, String name) {
    return optionalText(body, name, name).map(text -> absoluteUrl(text, name));
  }

  /** An absolute http(s) URL, or an invalid-parameter error naming {@code field}. */
  public static URI absoluteUrl(String text, String field) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw ApiException.invalidParameter(field + " must be an absolute http(s) URL");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
