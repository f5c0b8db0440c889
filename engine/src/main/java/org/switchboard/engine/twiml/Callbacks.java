package org.switchboard.engine.twiml;

import java.util.EnumSet;
import java.util.Optional;
import org.switchboard.engine.twiml.XmlNode.Element;
import org.switchboard.engine.twiml.verb.CallEvent;
import org.switchboard.engine.twiml.verb.MachineDetection;
import org.switchboard.engine.twiml.verb.RecordingEvent;
import org.switchboard.engine.twiml.verb.RecordingStatusCallback;
import org.switchboard.engine.twiml.verb.StatusCallback;

/** Reads the attribute groups several elements share: callbacks and machine detection. */
final class Callbacks {

  private Callbacks() {}

  /** {@code recordingStatusCallback}, {@code …Method}, {@code …Event} (default completed). */
  static RecordingStatusCallback recording(Element at, Attrs attrs) throws TwimlException {
    var url = attrs.url("recordingStatusCallback");
    var method = attrs.method("recordingStatusCallbackMethod");
    var events = attrs.enumSet("recordingStatusCallbackEvent", RecordingEvent.class,
        EnumSet.of(RecordingEvent.COMPLETED));
    return ReadContext.build(at, () -> new RecordingStatusCallback(url, method, events));
  }

  /** {@code statusCallback}, {@code …Method}, {@code …Event} of a noun (default completed). */
  static StatusCallback status(Element at, Attrs attrs) throws TwimlException {
    var url = attrs.url("statusCallback");
    var method = attrs.method("statusCallbackMethod");
    var events = attrs.enumSet("statusCallbackEvent", CallEvent.class,
        EnumSet.of(CallEvent.COMPLETED));
    return ReadContext.build(at, () -> new StatusCallback(url, method, events));
  }

  /** The AMD attribute set, present only when {@code machineDetection} is. */
  static Optional<MachineDetection> machineDetection(Element at, Attrs attrs)
      throws TwimlException {
    var mode = attrs.string("machineDetection");
    int timeout = attrs.integer("machineDetectionTimeout", MachineDetection.DEFAULT_TIMEOUT);
    int speech = attrs.integer("machineDetectionSpeechThreshold",
        MachineDetection.DEFAULT_SPEECH_THRESHOLD);
    int speechEnd = attrs.integer("machineDetectionSpeechEndThreshold",
        MachineDetection.DEFAULT_SPEECH_END_THRESHOLD);
    int silence = attrs.integer("machineDetectionSilenceTimeout",
        MachineDetection.DEFAULT_SILENCE_TIMEOUT);
    var callback = attrs.url("amdStatusCallback");
    var callbackMethod = attrs.method("amdStatusCallbackMethod");
    if (mode.isEmpty()) {
      return Optional.empty();
    }
    MachineDetection.Mode parsed = attrs.enumeration(
        "machineDetection", MachineDetection.Mode.class, MachineDetection.Mode.ENABLE);
    return Optional.of(ReadContext.build(at, () -> new MachineDetection(
        parsed, timeout, speech, speechEnd, silence, callback, callbackMethod)));
  }
}
