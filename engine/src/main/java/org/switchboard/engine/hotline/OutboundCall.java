package org.switchboard.engine.hotline;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.switchboard.engine.call.Calls;
import org.switchboard.engine.protocol.AmdOptions;
import org.switchboard.engine.twiml.verb.Method;

/**
 * A call the REST Calls API asks for ({@link CallOperations#originate}).
 *
 * @param to a number, a {@code sip:} URI or {@code client:identity}
 * @param from the caller id presented
 * @param url the TwiML to run once answered (exactly one of {@code url} and {@code twiml})
 * @param twiml inline TwiML to run once answered
 * @param statusCallbackEvents subset of {@code initiated ringing answered completed}; empty means
 *     {@code completed}
 * @param timeoutSeconds how long it rings (Twilio default 60)
 * @param serverId the Asterisk server to originate on; empty: the default server
 * @param machineDetection {@code MachineDetection} and its companions, if asked for
 * @param sendDigits {@code SendDigits}: DTMF sent once the call answers, if asked for
 */
public record OutboundCall(
    String to,
    String from,
    Optional<URI> url,
    Method method,
    Optional<String> twiml,
    Optional<URI> fallbackUrl,
    Method fallbackMethod,
    Optional<URI> statusCallback,
    List<String> statusCallbackEvents,
    Method statusCallbackMethod,
    int timeoutSeconds,
    Optional<String> serverId,
    Optional<AmdOptions> machineDetection,
    Optional<String> sendDigits) {

  /** Twilio's default ring timeout. */
  public static final int DEFAULT_TIMEOUT = 60;

  public OutboundCall {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(from, "from");
    if (url.isPresent() == twiml.isPresent()) {
      throw new IllegalArgumentException("exactly one of Url and Twiml is required");
    }
    if (to.isBlank()) {
      throw new IllegalArgumentException("To is required");
    }
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("Timeout must be at least 1 second");
    }
    statusCallbackEvents = List.copyOf(statusCallbackEvents);
    Objects.requireNonNull(machineDetection, "machineDetection");
    Objects.requireNonNull(sendDigits, "sendDigits");
  }

  /** A call to {@code to} from {@code from} that runs {@code url} (POST) when answered. */
  public static OutboundCall of(String to, String from, URI url) {
    return new OutboundCall(to, from, Optional.of(url), Method.POST, Optional.empty(),
        Optional.empty(), Method.POST, Optional.empty(), List.of(), Method.POST, DEFAULT_TIMEOUT,
        Optional.empty(), Optional.empty(), Optional.empty());
  }
}
