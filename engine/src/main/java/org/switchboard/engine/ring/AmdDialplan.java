package org.switchboard.engine.ring;

import java.util.List;
import java.util.Optional;
import org.switchboard.engine.twiml.verb.MachineDetection;

/**
 * How answering machine detection runs in Asterisk's dialplan (conf/extensions.conf,
 * {@code [switchboard-amd]}, docs/amd.md): the extension that carries Twilio's thresholds to
 * {@code AMD()}, and the Twilio {@code AnsweredBy} value of the Stasis args the channel comes back
 * with. Pure.
 */
public final class AmdDialplan {
  /** The dialplan context the answered leg continues into. */
  public static final String CONTEXT = "switchboard-amd";
  /** The first Stasis arg of a leg back from detection. */
  public static final String RETURN_ARG = "amd";

  /** Twilio's {@code AnsweredBy} values that Asterisk's {@code AMD()} can produce. */
  public static final String HUMAN = "human";
  public static final String MACHINE_START = "machine_start";
  public static final String MACHINE_END_SILENCE = "machine_end_silence";
  public static final String MACHINE_END_OTHER = "machine_end_other";
  public static final String UNKNOWN = "unknown";

  /** Silence after a machine's greeting that marks its end ({@code DetectMessageEnd}). */
  static final int MESSAGE_END_SILENCE_MS = 1200;

  private AmdDialplan() {}

  /**
   * The extension {@code amd-<initialSilence>-<greeting>-<afterGreetingSilence>-<total>-<end>-<endTimeout>}:
   * Twilio's {@code MachineDetectionSilenceTimeout} is AMD's initial silence, {@code
   * SpeechThreshold} its longest greeting, {@code SpeechEndThreshold} the silence after a human's
   * greeting, {@code MachineDetectionTimeout} its total analysis time; with {@code
   * DetectMessageEnd} a machine is followed until {@value #MESSAGE_END_SILENCE_MS} ms of silence
   * or the rest of the timeout.
   */
  public static String extension(MachineDetection d) {
    boolean end = d.mode() == MachineDetection.Mode.DETECT_MESSAGE_END;
    int totalMs = d.timeout() * 1000;
    return "amd-" + d.silenceTimeout() + "-" + d.speechThreshold() + "-" + d.speechEndThreshold()
        + "-" + totalMs + "-" + (end ? MESSAGE_END_SILENCE_MS : 0) + "-" + (end ? d.timeout() : 0);
  }

  /**
   * The verdict in Stasis args {@code [amd, AMDSTATUS, AMDCAUSE, WAITSTATUS?]}, or empty when the
   * args are not a detection's return. {@code HUMAN} is {@code human}; {@code MACHINE} is {@code
   * machine_start}, or with {@code DetectMessageEnd} {@code machine_end_silence} when the greeting
   * ended in silence and {@code machine_end_other} when it ran past the timeout; a machine
   * decided by initial silence alone, {@code NOTSURE} and {@code HANGUP} are {@code unknown} (as
   * Twilio reports silence). {@code AMD()} tells neither fax nor beep.
   */
  public static Optional<String> answeredBy(List<String> args, MachineDetection.Mode mode) {
    if (args.isEmpty() || !RETURN_ARG.equals(args.get(0))) {
      return Optional.empty();
    }
    String status = args.size() > 1 ? args.get(1) : "";
    String cause = args.size() > 2 ? args.get(2) : "";
    String wait = args.size() > 3 ? args.get(3) : "";
    return Optional.of(switch (status) {
      case "HUMAN" -> HUMAN;
      case "MACHINE" -> {
        if (cause.startsWith("INITIALSILENCE")) {
          yield UNKNOWN;
        }
        if (mode != MachineDetection.Mode.DETECT_MESSAGE_END) {
          yield MACHINE_START;
        }
        yield "SILENCE".equals(wait) ? MACHINE_END_SILENCE : MACHINE_END_OTHER;
      }
      default -> UNKNOWN;
    });
  }

  /** Whether {@code answeredBy} is a machine. */
  public static boolean isMachine(String answeredBy) {
    return answeredBy.startsWith("machine") || answeredBy.equals("fax");
  }
}
