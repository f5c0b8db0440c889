package org.switchboard.engine.cluster;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.List;
import java.util.Map;
import org.switchboard.engine.call.CallCheckpoint;
import org.switchboard.engine.call.CallCheckpoints;
import org.switchboard.engine.call.CallParams;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.conference.ConferenceRecord;
import org.switchboard.engine.durable.DurableSlot;
import org.switchboard.engine.ring.DialRecord;
import org.switchboard.engine.ring.DialSequence;
import org.switchboard.engine.ring.LegRecord;
import org.switchboard.engine.ring.ParentCall;
import org.switchboard.engine.ring.QueueDequeueRecord;
import org.switchboard.engine.ring.QueueWaitRecord;
import org.switchboard.engine.ring.QueueDialRecord;
import org.switchboard.engine.ring.RingRecord;
import org.switchboard.engine.script.FetchPurpose;
import org.switchboard.engine.script.MediaRef;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.engine.script.Webhook;
import org.switchboard.engine.twiml.TwimlDocument;
import org.switchboard.engine.twiml.TwimlWarning;
import org.switchboard.engine.twiml.verb.CallEvent;
import org.switchboard.engine.twiml.verb.Client;
import org.switchboard.engine.twiml.verb.Conference;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.Gather;
import org.switchboard.engine.twiml.verb.Hangup;
import org.switchboard.engine.twiml.verb.Leave;
import org.switchboard.engine.twiml.verb.MachineDetection;
import org.switchboard.engine.twiml.verb.Number;
import org.switchboard.engine.twiml.verb.Parameter;
import org.switchboard.engine.twiml.verb.Pause;
import org.switchboard.engine.twiml.verb.Play;
import org.switchboard.engine.twiml.verb.Queue;
import org.switchboard.engine.twiml.verb.Record;
import org.switchboard.engine.twiml.verb.RecordingEvent;
import org.switchboard.engine.twiml.verb.RecordingStatusCallback;
import org.switchboard.engine.twiml.verb.Redirect;
import org.switchboard.engine.twiml.verb.Refer;
import org.switchboard.engine.twiml.verb.Reject;
import org.switchboard.engine.twiml.verb.Say;
import org.switchboard.engine.twiml.verb.Sip;
import org.switchboard.engine.twiml.verb.Start;
import org.switchboard.engine.twiml.verb.StatusCallback;
import org.switchboard.engine.twiml.verb.Stop;
import org.switchboard.engine.twiml.verb.Stream;
import org.switchboard.engine.twiml.verb.Trim;
import org.switchboard.engine.twiml.verb.WaitUrl;

/**
 * The classes of the durable state of live calls ({@link org.switchboard.engine.protocol.Durable}),
 * each with an explicit Kryo id. Java value types they hold (Optional, URI, Instant, List, Set,
 * Map, Method, ChannelRef…) use their {@link KryoRegistrations#CLASSES} ids, which is why that list
 * is append-only too.
 *
 * <p><b>Schema evolution.</b> What is stored outlives a deploy: the node that reads a checkpoint
 * may run newer code than the one that wrote it. So: (1) an id is never reused and never moves to
 * another class; a class that goes keeps its id reserved in a comment; (2) a stored class never
 * changes shape (Kryo writes a record's components without names): a change adds a new class (say
 * {@code ScriptStateV2}) under a new id and keeps the old one registered with a reader that turns
 * it into the new one; (3) such a reader may go one release after the change at the earliest, as
 * a stored checkpoint lives no longer than its call ({@code switchboard.call.max-call-duration},
 * 4 h); (4) a checkpoint that cannot be read is logged at ERROR and its channel handled as an
 * orphan, never a crash of the node. {@code DurableRegistrationsTest} pins the ids.
 *
 * <p>Changes so far: {@code <Conference>} gained {@code coach}; {@link Conference} is stored
 * under 1140 and 1060 names its old shape, {@link ConferenceV1}, read as a {@link Conference}
 * without coach.
 */
public final class DurableRegistrations {

  /** Id and class of every durable registration (ids 1000 and up; never reused). */
  public static final List<Map.Entry<Integer, Class<?>>> CLASSES =
      List.of(
          Map.entry(1000, Map.Entry.class),
          // call
          Map.entry(1001, CallCheckpoints.Stored.class),
          Map.entry(1002, CallCheckpoint.class),
          Map.entry(1003, CallParams.class),
          Map.entry(1004, VoiceApplication.class),
          // script
          Map.entry(1010, ScriptState.class),
          Map.entry(1011, ScriptState.Frame.class),
          Map.entry(1012, ScriptState.Awaiting.Begin.class),
          Map.entry(1013, ScriptState.Awaiting.Answer.class),
          Map.entry(1014, ScriptState.Awaiting.Document.class),
          Map.entry(1015, ScriptState.Awaiting.Media.class),
          Map.entry(1016, ScriptState.Awaiting.Pause.class),
          Map.entry(1017, ScriptState.Awaiting.Digits.class),
          Map.entry(1018, ScriptState.Awaiting.Gathering.class),
          Map.entry(1019, ScriptState.Awaiting.Recording.class),
          Map.entry(1020, ScriptState.Awaiting.Delegated.class),
          Map.entry(1021, ScriptState.Awaiting.ErrorPrompt.class),
          Map.entry(1022, ScriptState.Awaiting.Finished.class),
          Map.entry(1023, ScriptState.Delegate.class),
          Map.entry(1024, ScriptState.Fetch.class),
          Map.entry(1025, ScriptState.GatherProgress.class),
          Map.entry(1026, ScriptState.RecordProgress.class),
          Map.entry(1027, ScriptState.QueueWait.class),
          Map.entry(1028, FetchPurpose.class),
          Map.entry(1029, MediaRef.Speech.class),
          Map.entry(1030, MediaRef.Url.class),
          Map.entry(1031, MediaRef.Native.class),
          Map.entry(1032, Webhook.class),
          // twiml
          Map.entry(1040, TwimlDocument.class),
          Map.entry(1041, TwimlWarning.class),
          Map.entry(1042, Say.class),
          Map.entry(1043, Play.class),
          Map.entry(1044, Pause.class),
          Map.entry(1045, Gather.class),
          Map.entry(1046, Gather.Input.class),
          Map.entry(1047, Gather.SpeechTimeout.class),
          Map.entry(1048, Record.class),
          Map.entry(1049, Trim.class),
          Map.entry(1050, RecordingStatusCallback.class),
          Map.entry(1051, RecordingEvent.class),
          Map.entry(1052, Dial.class),
          Map.entry(1053, Dial.Record.class),
          Map.entry(1054, Dial.RecordingTrack.class),
          Map.entry(1055, Dial.RingTone.class),
          Map.entry(1056, Number.class),
          Map.entry(1057, Sip.class),
          Map.entry(1058, Client.class),
          Map.entry(1059, Queue.class),
          // 1060: <Conference> before coach, read as a Conference (ConferenceV1)
          Map.entry(1060, ConferenceV1.class),
          Map.entry(1061, Conference.Beep.class),
          Map.entry(1062, Conference.Record.class),
          Map.entry(1063, Conference.Event.class),
          Map.entry(1064, Conference.EventCallback.class),
          Map.entry(1065, StatusCallback.class),
          Map.entry(1066, CallEvent.class),
          Map.entry(1067, MachineDetection.class),
          Map.entry(1068, MachineDetection.Mode.class),
          Map.entry(1069, Parameter.class),
          Map.entry(1070, Enqueue.class),
          Map.entry(1071, WaitUrl.DefaultMusic.class),
          Map.entry(1072, WaitUrl.Silence.class),
          Map.entry(1073, WaitUrl.Fetch.class),
          Map.entry(1074, Hangup.class),
          Map.entry(1075, Leave.class),
          Map.entry(1076, Redirect.class),
          Map.entry(1077, Refer.class),
          Map.entry(1078, Reject.class),
          Map.entry(1079, Reject.Reason.class),
          Map.entry(1080, Connect.class),
          Map.entry(1081, Start.class),
          Map.entry(1082, Stop.class),
          Map.entry(1083, Stream.class),
          Map.entry(1084, Stream.Track.class),
          // script and call classes appended later (ids 1085-1099)
          Map.entry(1085, ScriptState.Awaiting.SpeechGathering.class),
          Map.entry(1086, Stream.Protocol.class),
          Map.entry(1087, org.switchboard.engine.twiml.verb.Echo.class),
          // dial and leg state
          Map.entry(1100, DurableSlot.Stored.class),
          Map.entry(1101, DialRecord.class),
          Map.entry(1102, DialRecord.Bridged.class),
          Map.entry(1103, ParentCall.class),
          Map.entry(1104, LegRecord.class),
          // taken back after a restart too (ids from 1110)
          Map.entry(1110, QueueDialRecord.class),
          Map.entry(1111, RingRecord.class),
          Map.entry(1112, DialSequence.class),
          // conferences (ids from 1120)
          Map.entry(1120, ConferenceRecord.class),
          Map.entry(1121, ConferenceRecord.Member.class),
          Map.entry(1122, ConferenceRecord.Recording.class),
          Map.entry(1123, QueueDequeueRecord.class),
          Map.entry(1124, QueueWaitRecord.class),
          // shapes changed later (ids from 1140)
          Map.entry(1140, Conference.class));

  private DurableRegistrations() {}

  /** Registers every durable class with {@code kryo} under its id. */
  static void register(Kryo kryo) {
    for (Map.Entry<Integer, Class<?>> e : CLASSES) {
      Class<?> type = e.getValue();
      if (type == Map.Entry.class) {
        kryo.register(type, new EntrySerializer(), e.getKey());
      } else if (type == ConferenceV1.class) {
        kryo.register(type, new ConferenceV1.Upgrade(kryo), e.getKey());
      } else {
        kryo.register(type, kryo.getDefaultSerializer(type), e.getKey());
      }
    }
  }

  /** A map entry (request parameters) as key and value; read back as an immutable entry. */
  private static final class EntrySerializer extends Serializer<Map.Entry<?, ?>> {
    @Override
    public void write(Kryo kryo, Output output, Map.Entry<?, ?> entry) {
      kryo.writeClassAndObject(output, entry.getKey());
      kryo.writeClassAndObject(output, entry.getValue());
    }

    @Override
    public Map.Entry<?, ?> read(Kryo kryo, Input input, Class<? extends Map.Entry<?, ?>> type) {
      Object key = kryo.readClassAndObject(input);
      Object value = kryo.readClassAndObject(input);
      return Map.entry(key, value);
    }
  }
}
