package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <Client>} noun of {@code <Dial>}: a registered client (mapped to a local SIP/WebRTC
 * endpoint). The identity is the body text or an {@code <Identity>} child.
 *
 * @param identity the client identity
 * @param parameters {@code <Parameter>} children passed to the client
 * @param url resolved TwiML run on the callee after answer, if any
 * @param method method for {@code url}, default POST
 * @param statusCallback the {@code statusCallback*} attributes
 */
public record Client(
    String identity,
    List<Parameter> parameters,
    Optional<URI> url,
    Method method,
    StatusCallback statusCallback)
    implements Dial.Noun {

  public Client {
    Checks.nonBlank("Client identity", identity);
    parameters = Checks.list("parameters", parameters);
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(statusCallback, "statusCallback");
  }
}
