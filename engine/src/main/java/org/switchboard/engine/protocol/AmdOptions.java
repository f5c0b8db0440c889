package org.switchboard.engine.protocol;

import java.util.Objects;
import org.switchboard.engine.twiml.verb.MachineDetection;

/**
 * Answering machine detection on one outbound leg (docs/amd.md): Twilio's {@code MachineDetection}
 * parameters, or the {@code machineDetection} option of {@code /ring}.
 *
 * @param detection the mode and thresholds; its {@code amdStatusCallback} is where an asynchronous
 *     verdict goes ({@code AsyncAmdStatusCallback})
 * @param async {@code AsyncAmd=true}: the verdict goes to the callback, not into the answer
 *     webhook's {@code AnsweredBy}
 * @param rejectMachines a leg answered by a machine is hung up and reported not answered ({@code
 *     no-answer}) instead of running its answer URL (the volunteer legs of {@code /ring}: a
 *     voicemail is never bridged to a caller)
 */
public record AmdOptions(MachineDetection detection, boolean async, boolean rejectMachines) {

  public AmdOptions {
    Objects.requireNonNull(detection, "detection");
  }
}
