package org.switchboard.engine.cluster;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Optional;
import org.switchboard.engine.twiml.verb.Conference;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.RecordingStatusCallback;
import org.switchboard.engine.twiml.verb.Trim;
import org.switchboard.engine.twiml.verb.WaitUrl;

/**
 * The stored shape of {@code <Conference>} before {@code coach} (durable id 1060): the same
 * components, names and order as {@link Conference} had then. Checkpoints written by that code
 * hold it under id 1060; {@link Upgrade} reads them as a {@link Conference} that coaches nobody,
 * while {@link Conference} itself is stored under its new id (schema evolution rule (2) of {@link
 * DurableRegistrations}). May go one release after the change at the earliest (rule (3)).
 */
public record ConferenceV1(
    String name,
    boolean muted,
    Conference.Beep beep,
    boolean startConferenceOnEnter,
    boolean endConferenceOnExit,
    Optional<String> participantLabel,
    WaitUrl waitUrl,
    Method waitMethod,
    int maxParticipants,
    Conference.Record record,
    Trim trim,
    Conference.EventCallback statusCallback,
    RecordingStatusCallback recordingStatusCallback) {

  /** The conference this stored one was. */
  Conference upgraded() {
    return new Conference(name, muted, beep, startConferenceOnEnter, endConferenceOnExit,
        participantLabel, waitUrl, waitMethod, maxParticipants, record, trim, statusCallback,
        recordingStatusCallback, Optional.empty());
  }

  /**
   * Reads the old shape with Kryo's record serializer and answers the {@link Conference} it was;
   * writes an old one as it was written (tests make old checkpoints this way).
   */
  static final class Upgrade extends Serializer<Object> {
    private final Serializer<ConferenceV1> old;

    @SuppressWarnings("unchecked")
    Upgrade(Kryo kryo) {
      this.old = (Serializer<ConferenceV1>) kryo.getDefaultSerializer(ConferenceV1.class);
    }

    @Override
    public void write(Kryo kryo, Output output, Object value) {
      old.write(kryo, output, (ConferenceV1) value);
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<? extends Object> type) {
      return old.read(kryo, input, ConferenceV1.class).upgraded();
    }
  }
}
