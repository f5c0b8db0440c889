package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <Number>} noun of {@code <Dial>}: a phone number to ring. A {@code <Dial>} whose body is
 * plain text is parsed as one Number with every default.
 *
 * @param number the body, trimmed (E.164 or a local form; not normalised here)
 * @param sendDigits DTMF ({@code 0-9 A-D # * w W}) played after answer, if any
 * @param url resolved whisper TwiML run on the callee after answer, before bridging, if any
 * @param method method for {@code url}, default POST
 * @param statusCallback the {@code statusCallback*} attributes
 * @param machineDetection answering-machine detection, if requested
 */
public record Number(
    String number,
    Optional<String> sendDigits,
    Optional<URI> url,
    Method method,
    StatusCallback statusCallback,
    Optional<MachineDetection> machineDetection)
    implements Dial.Noun {

  public Number {
    Checks.nonBlank("Number", number);
    Objects.requireNonNull(sendDigits, "sendDigits");
    sendDigits.ifPresent(d -> Checks.charset("Number sendDigits", d, Play.DIGIT_CHARS));
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(statusCallback, "statusCallback");
    Objects.requireNonNull(machineDetection, "machineDetection");
  }

  /** A number with every default. */
  public static Number of(String number) {
    return new Number(
        number, Optional.empty(), Optional.empty(), Method.POST, StatusCallback.NONE, Optional.empty());
  }
}
