package org.switchboard.engine.cluster;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.OptionalSerializers;
import com.esotericsoftware.kryo.serializers.TimeSerializers;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.switchboard.engine.conference.ConferenceActor;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.protocol.AmdOptions;
import org.switchboard.engine.twiml.verb.MachineDetection;
import org.switchboard.engine.queue.QueueActor;
import org.switchboard.engine.queue.QueueMember;
import org.switchboard.engine.queue.QueueNotice;
import org.switchboard.engine.queue.QueueStats;
import org.switchboard.engine.twiml.verb.Method;

/**
 * The registered classes of {@link KryoClusterSerializer}, in id order. Append only: ids are
 * positions, and every node of a cluster must agree on them.
 */
public final class KryoRegistrations {
  private static final int FIRST_ID = 100;

  /** The engine's registered classes, in id order. */
  public static final List<Class<?>> CLASSES =
      List.of(
          // containers and values
          Optional.class, URI.class, Instant.class, Duration.class, List.class, Set.class,
          Map.class, ActorRef.class, Method.class,
          // ports
          ChannelRef.class, ChannelEvent.Party.class, ChannelEvent.ChannelInfo.class,
          ChannelEvent.StasisEntered.class, ChannelEvent.StasisLeft.class,
          ChannelEvent.StateChanged.class, ChannelEvent.DtmfReceived.class,
          ChannelEvent.PlaybackStarted.class, ChannelEvent.PlaybackFinished.class,
          ChannelEvent.RecordingStarted.class, ChannelEvent.RecordingFinished.class,
          ChannelEvent.RecordingFailed.class, ChannelEvent.HangupRequested.class,
          ChannelEvent.ChannelDestroyed.class, ChannelEvent.DialProgress.class,
          ChannelEvent.EnteredBridge.class, ChannelEvent.LeftBridge.class,
          ChannelEvent.BridgeDestroyed.class, ChannelEvent.TalkingChanged.class,
          ChannelEvent.VariableSet.class,
          // calls
          CallCommand.Deliver.class, CallCommand.StartLeg.class, CallCommand.CancelLeg.class,
          CallCommand.HangUp.class, CallCommand.Redirect.class, CallCommand.GetSnapshot.class,
          CallCommand.DialFinished.class, CallCommand.QueueWaiting.class,
          CallCommand.QueueDequeued.class, CallCommand.QueueLeft.class,
          CallCommand.StreamClosed.class, CallCommand.Reconcile.class, CallSnapshot.class,
          LegCancelCause.class, LegSpec.class, LegSpec.TwimlSource.class,
          LegSpec.StatusCallback.class, LegReport.LegRinging.class, LegReport.LegAnswered.class,
          LegReport.LegEnded.class,
          // queues
          OptionalInt.class, QueueActor.Join.class, QueueActor.LeaveReason.class,
          QueueActor.Leave.class, QueueActor.Requeue.class, QueueActor.DequeueFront.class,
          QueueActor.CancelDequeue.class, QueueActor.GetPosition.class, QueueActor.GetStats.class,
          QueueActor.Member.class, QueueActor.Joined.class, QueueActor.Full.class,
          QueueActor.Dequeued.class, QueueActor.NoMember.class, QueueActor.Position.class,
          QueueActor.NotQueued.class, QueueNotice.Dequeued.class, QueueNotice.DequeueAborted.class,
          QueueNotice.BridgeEnded.class, QueueNotice.MemberReady.class,
          QueueNotice.MemberGone.class, QueueMember.class, QueueStats.class,
          // conferences
          ConferenceActor.Participant.class, ConferenceActor.Join.class,
          ConferenceActor.Leave.class, ConferenceActor.Joined.class, ConferenceActor.Refused.class,
          ConferenceActor.Ended.class,
          // appended later: ids follow this order
          CallCommand.LegWon.class,
          CallCommand.ServerResynced.class,
          AmdOptions.class, MachineDetection.class, MachineDetection.Mode.class,
          QueueActor.Rejoin.class,
          CallCommand.Recover.class,
          QueueActor.Resize.class,
          CallCommand.WatchEnd.class,
          org.switchboard.engine.protocol.CallEnded.class,
          CallCommand.ResumeLeg.class,
          ConferenceActor.ParticipantState.class, ConferenceActor.ConferenceState.class,
          ConferenceActor.RoomState.class, ConferenceActor.Describe.class,
          ConferenceActor.EndConference.class, ConferenceActor.UpdateParticipant.class,
          ConferenceActor.RemoveParticipant.class,
          CallCommand.SpeechRecognized.class,
          ConferenceActor.Announce.class,
          ConferenceActor.Waiting.class, ConferenceActor.Started.class,
          ConferenceActor.Speaking.class,
          org.switchboard.engine.conference.ConferenceRecorder.Settings.class,
          ConferenceActor.Rejoin.class,
          org.switchboard.engine.conference.ParticipantChanges.class,
          ConferenceActor.ParticipantAudio.class,
          LegReport.LegPickedUp.class,
          ChannelEvent.TransferRequested.class);

  private KryoRegistrations() {}

  /** A Kryo with every class registered; {@code extra} follow the engine's own classes. */
  public static Kryo newKryo(ActorRefResolver resolver, List<Class<?>> extra) {
    Kryo kryo = new Kryo(new CanonicalClassResolver(), null);
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    int id = FIRST_ID;
    for (Class<?> type : CLASSES) {
      kryo.register(type, serializerFor(type, resolver, kryo), id++);
    }
    for (Class<?> type : extra) {
      kryo.register(type, id++);
    }
    DurableRegistrations.register(kryo);
    return kryo;
  }

  private static Serializer<?> serializerFor(Class<?> type, ActorRefResolver resolver, Kryo kryo) {
    if (type == List.class) {
      return new ListSerializer();
    }
    if (type == Set.class) {
      return new SetSerializer();
    }
    if (type == Map.class) {
      return new MapSerializer();
    }
    if (type == ActorRef.class) {
      return new ActorRefSerializer(resolver);
    }
    if (type == URI.class) {
      return new DefaultSerializers.URISerializer();
    }
    if (type == Optional.class) {
      return new OptionalSerializers.OptionalSerializer();
    }
    if (type == Instant.class) {
      return new TimeSerializers.InstantSerializer();
    }
    if (type == OptionalInt.class) {
      return new OptionalSerializers.OptionalIntSerializer();
    }
    if (type == Duration.class) {
      return new TimeSerializers.DurationSerializer();
    }
    return kryo.getDefaultSerializer(type);
  }

  /** Maps every implementation of List, Set, Map and ActorRef to its interface's registration. */
  private static final class CanonicalClassResolver extends DefaultClassResolver {
    @Override
    public Registration getRegistration(Class type) {
      Registration registration = super.getRegistration(type);
      if (registration != null || type == null) {
        return registration;
      }
      for (Class<?> canonical :
          List.of(List.class, Set.class, Map.class, ActorRef.class, Map.Entry.class)) {
        if (canonical.isAssignableFrom(type)) {
          return super.getRegistration(canonical);
        }
      }
      return null;
    }
  }

  private static final class ListSerializer extends Serializer<List<?>> {
    @Override
    public void write(Kryo kryo, Output output, List<?> list) {
      output.writeVarInt(list.size(), true);
      for (Object element : list) {
        kryo.writeClassAndObject(output, element);
      }
    }

    @Override
    public List<?> read(Kryo kryo, Input input, Class<? extends List<?>> type) {
      int size = input.readVarInt(true);
      List<Object> out = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        out.add(kryo.readClassAndObject(input));
      }
      return Collections.unmodifiableList(out);
    }
  }

  private static final class SetSerializer extends Serializer<Set<?>> {
    @Override
    public void write(Kryo kryo, Output output, Set<?> set) {
      output.writeVarInt(set.size(), true);
      for (Object element : set) {
        kryo.writeClassAndObject(output, element);
      }
    }

    @Override
    public Set<?> read(Kryo kryo, Input input, Class<? extends Set<?>> type) {
      int size = input.readVarInt(true);
      Set<Object> out = new LinkedHashSet<>();
      for (int i = 0; i < size; i++) {
        out.add(kryo.readClassAndObject(input));
      }
      return Collections.unmodifiableSet(out);
    }
  }

  private static final class MapSerializer extends Serializer<Map<?, ?>> {
    @Override
    public void write(Kryo kryo, Output output, Map<?, ?> map) {
      output.writeVarInt(map.size(), true);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        kryo.writeClassAndObject(output, e.getKey());
        kryo.writeClassAndObject(output, e.getValue());
      }
    }

    @Override
    public Map<?, ?> read(Kryo kryo, Input input, Class<? extends Map<?, ?>> type) {
      int size = input.readVarInt(true);
      Map<Object, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < size; i++) {
        out.put(kryo.readClassAndObject(input), kryo.readClassAndObject(input));
      }
      return Collections.unmodifiableMap(out);
    }
  }

  private static final class ActorRefSerializer extends Serializer<ActorRef<?>> {
    private final ActorRefResolver resolver;

    ActorRefSerializer(ActorRefResolver resolver) {
      this.resolver = resolver;
    }

    @Override
    public void write(Kryo kryo, Output output, ActorRef<?> ref) {
      output.writeString(resolver.toSerializationFormat(ref));
    }

    @Override
    public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
      return resolver.resolveActorRef(input.readString());
    }
  }
}
