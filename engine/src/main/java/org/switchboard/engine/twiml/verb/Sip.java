package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <Sip>} noun of {@code <Dial>}: a SIP URI to call.
 *
 * @param uri the body exactly as written (trimmed), parameters such as {@code ;transport=tls} and
 *     {@code ?x-header=…} headers included; starts with {@code sip:} or {@code sips:}, the part
 *     before {@code ?} under 255 characters and the headers under 1024
 * @param username digest user, if any
 * @param password digest password, if any
 * @param url resolved TwiML run on the callee after answer, if any
 * @param method method for {@code url}, default POST
 * @param statusCallback the {@code statusCallback*} attributes
 * @param machineDetection answering-machine detection, if requested
 */
public record Sip(
    String uri,
    Optional<String> username,
    Optional<String> password,
    Optional<URI> url,
    Method method,
    StatusCallback statusCallback,
    Optional<MachineDetection> machineDetection)
    implements Dial.Noun {

  public static final int MAX_URI_LENGTH = 254;
  public static final int MAX_HEADERS_LENGTH = 1023;

  public Sip {
    Checks.nonBlank("Sip URI", uri);
    String lower = uri.toLowerCase(java.util.Locale.ROOT);
    if (!lower.startsWith("sip:") && !lower.startsWith("sips:")) {
      throw new IllegalArgumentException("Sip URI must start with sip: or sips:, was '" + uri + "'");
    }
    int query = uri.indexOf('?');
    Checks.maxLength("Sip URI", query < 0 ? uri : uri.substring(0, query), MAX_URI_LENGTH);
    Checks.maxLength("Sip headers", query < 0 ? "" : uri.substring(query + 1), MAX_HEADERS_LENGTH);
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(statusCallback, "statusCallback");
    Objects.requireNonNull(machineDetection, "machineDetection");
  }

  /** A SIP URI with every default. */
  public static Sip of(String uri) {
    return new Sip(
        uri,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Method.POST,
        StatusCallback.NONE,
        Optional.empty());
  }
}
