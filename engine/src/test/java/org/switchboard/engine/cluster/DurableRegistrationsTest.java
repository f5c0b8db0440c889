package org.switchboard.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.switchboard.engine.call.CallCheckpoint;
import org.switchboard.engine.call.CallCheckpoints;
import org.switchboard.engine.call.CallParams;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.conference.ConferenceActor;
import org.switchboard.engine.conference.ConferenceRecord;
import org.switchboard.engine.conference.ConferenceRecorder;
import org.switchboard.engine.durable.DurableSlot;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.ring.DialRecord;
import org.switchboard.engine.ring.DialSequence;
import org.switchboard.engine.ring.LegRecord;
import org.switchboard.engine.ring.ParentCall;
import org.switchboard.engine.ring.QueueDialRecord;
import org.switchboard.engine.ring.RingRecord;
import org.switchboard.engine.script.FetchPurpose;
import org.switchboard.engine.script.MediaRef;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.engine.script.Webhook;
import org.switchboard.engine.twiml.TwimlDocument;
import org.switchboard.engine.twiml.TwimlParser;
import org.switchboard.engine.twiml.verb.Conference;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.Verb;

/**
 * The durable state of a call survives Pekko serialization (the path the store takes) with every
 * TwiML fixture as its document, and the registration ids stay what they are.
 */
class DurableRegistrationsTest {
  static final ActorTestKit kit = ActorTestKit.create("Durable", ConfigFactory.load());
  static final Serialization serialization =
      SerializationExtension.get(Adapter.toClassic(kit.system()));
  static final URI APP = URI.create("https://app.test/voice");

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static Stream<String> fixtures() throws IOException {
    Path root = Path.of("src/test/resources/twiml");
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".xml"))
          .map(p -> root.relativize(p).toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void aCheckpointOnEveryFixtureDocumentRoundTrips(String fixture) throws Exception {
    TwimlDocument document;
    try (InputStream in = getClass().getResourceAsStream("/twiml/" + fixture)) {
      document = new TwimlParser().parse(in.readAllBytes(), APP);
    }
    for (int pc = 0; pc <= document.verbs().size(); pc++) {
      roundTrip(stored(document, pc, awaitingFor(document, pc), Optional.empty()));
    }
  }

  @Test
  void aQueuedCallerWithItsFetchParametersRoundTrips() throws Exception {
    TwimlDocument document = new TwimlParser().parse(
        "<Response><Enqueue waitUrl=\"/wait\" action=\"/after\">support</Enqueue></Response>"
            .getBytes(), APP);
    Enqueue enqueue = (Enqueue) document.verbs().get(0);
    ScriptState.Frame frame = new ScriptState.Frame(document, 0);
    ScriptState.QueueWait wait = new ScriptState.QueueWait(enqueue, frame,
        Instant.parse("2026-01-01T10:00:00Z"), Map.of("QueuePosition", "2", "QueueSid", "QU1"),
        true, false);
    ScriptState.Awaiting fetching = new ScriptState.Awaiting.Document(new ScriptState.Fetch(7,
        FetchPurpose.WAIT_URL, new Webhook(URI.create("https://app.test/wait"), Method.POST),
        List.of(Map.entry("QueuePosition", "2"), Map.entry("QueueSid", "QU1"))));
    roundTrip(stored(document, 0, fetching, Optional.of(wait)));
  }

  @Test
  void anEndedCallIsStoredAsNothing() throws Exception {
    roundTrip(new CallCheckpoints.Stored(Optional.empty()));
  }

  @Test
  void aBridgedDialAndItsLegRoundTrip() throws Exception {
    LegSpec spec = new LegSpec("sim", "sb-leg-1", "PJSIP/+15550003@trunk", "+15550003",
        "+15550001", 30, Optional.of("CA1"), Optional.empty(),
        Optional.of(new LegSpec.StatusCallback(URI.create("https://app.test/leg"),
            List.of("ringing", "completed"), Method.POST)), Map.of());
    Instant rang = Instant.parse("2026-01-01T10:00:00Z");
    ParentCall parent = new ParentCall("CA1", new ChannelRef("sim", "chan-1"), "+15550001",
        "+15550002", true, 3);
    DialRecord.Bridged bridged = new DialRecord.Bridged("CA9", new ChannelRef("sim", "sb-leg-1"),
        0, rang.plusSeconds(4), "RE1", true);
    roundTrip(new DurableSlot.Stored(Optional.of(
        new DialRecord(parent, List.of(spec), rang, Optional.of(bridged)))));
    roundTrip(new DurableSlot.Stored(Optional.of(
        new LegRecord("CA9", spec, rang, true, Optional.of(rang.plusSeconds(3)), 2))));
    roundTrip(new DurableSlot.Stored(Optional.empty()));
    roundTrip(new DurableSlot.Stored(Optional.of(
        new QueueDialRecord(parent, "QU1", "support", 12, bridged))));
    roundTrip(new DurableSlot.Stored(Optional.of(new org.switchboard.engine.ring.QueueDequeueRecord(
        parent, "QU1", "support", 12, "CA9", new ChannelRef("sim", "chan-9"), rang))));
    roundTrip(new DurableSlot.Stored(Optional.of(new org.switchboard.engine.ring.QueueWaitRecord(
        parent, "support", rang))));
    roundTrip(new DurableSlot.Stored(Optional.of(
        new RingRecord("CA1", List.of(spec), rang, 30, Optional.of(0)))));
    roundTrip(new DurableSlot.Stored(Optional.of(new DialSequence(
        new DialRecord(parent, List.of(spec, spec), rang, Optional.empty()), 1, List.of("busy"),
        rang.plusSeconds(20)))));
  }

  @Test
  void aRecordedConferenceAndItsParticipantsRoundTrip() throws Exception {
    Instant at = Instant.parse("2026-01-01T10:00:00Z");
    ConferenceActor.Participant moderator = new ConferenceActor.Participant(false, "onEnter",
        true, true, Optional.of("host"), true, 250, Optional.of(URI.create("https://app.test/c")),
        Method.POST, Set.of("start", "end", "join"),
        Optional.of(new ConferenceRecorder.Settings(true, Optional.of(
            URI.create("https://app.test/rec")), Method.POST, Set.of("completed"))),
        Optional.empty());
    ConferenceActor.Participant coach = new ConferenceActor.Participant(true, "false", false,
        false, Optional.empty(), false, 250, Optional.empty(), Method.GET, Set.of(),
        Optional.empty(), Optional.of("CA1"));
    ConferenceRecord record = new ConferenceRecord("CF1", 3, "conf-ab-3", "sim", at,
        at.plusSeconds(9), true, moderator, 4, List.of(
            new ConferenceRecord.Member("CA1", new ChannelRef("sim", "chan-1"), moderator, at,
                false, true, at.plusSeconds(5)),
            new ConferenceRecord.Member("CA2", new ChannelRef("sim", "chan-2"), coach,
                at.plusSeconds(2), true, false, at.plusSeconds(2))),
        Optional.of(new ConferenceRecord.Recording("RE1", "CA1",
            moderator.recording().orElseThrow(), at.plusSeconds(2))), 2, 1);
    roundTrip(new DurableSlot.Stored(Optional.of(record)));
  }

  @Test
  void aConferenceStoredBeforeCoachIsReadAsOneThatCoachesNobody() throws Exception {
    Conference stored = (Conference) ((org.switchboard.engine.twiml.verb.Dial) new TwimlParser()
        .parse("<Response><Dial><Conference muted=\"true\" waitUrl=\"/wait\""
            + " record=\"record-from-start\" participantLabel=\"host\">room</Conference></Dial>"
            + "</Response>", APP).verbs().get(0)).nouns().get(0);
    ConferenceV1 old = new ConferenceV1(stored.name(), stored.muted(), stored.beep(),
        stored.startConferenceOnEnter(), stored.endConferenceOnExit(), stored.participantLabel(),
        stored.waitUrl(), stored.waitMethod(), stored.maxParticipants(), stored.record(),
        stored.trim(), stored.statusCallback(), stored.recordingStatusCallback());
    ActorRefResolver resolver = ActorRefResolver.get(kit.system());
    Kryo before = KryoRegistrations.newKryo(resolver, List.of());
    before.register(ConferenceV1.class, before.getDefaultSerializer(ConferenceV1.class), 1060);
    byte[] bytes;
    try (Output output = new Output(256, -1)) {
      before.writeClassAndObject(output, List.of(old));
      bytes = output.toBytes();
    }
    Object back;
    try (Input input = new Input(bytes)) {
      back = KryoRegistrations.newKryo(resolver, List.of()).readClassAndObject(input);
    }
    assertEquals(List.of(stored), back);
    assertEquals(Optional.empty(), stored.coach());
    TwimlDocument coaching = new TwimlParser().parse(
        "<Response><Dial><Conference coach=\"CA1\">room</Conference></Dial></Response>", APP);
    assertEquals(Optional.of("CA1"), ((Conference) ((org.switchboard.engine.twiml.verb.Dial)
        coaching.verbs().get(0)).nouns().get(0)).coach());
    roundTrip(stored(coaching, 0, new ScriptState.Awaiting.Finished(), Optional.empty()));
  }

  @Test
  void idsAreUniqueAndClearOfTheClusterMessageIds() {
    Set<Integer> ids = new HashSet<>();
    for (Map.Entry<Integer, Class<?>> e : DurableRegistrations.CLASSES) {
      assertTrue(ids.add(e.getKey()), "id " + e.getKey() + " used twice");
      assertTrue(e.getKey() >= 1000, "durable ids start at 1000");
    }
    assertTrue(100 + KryoRegistrations.CLASSES.size() + 100 < 1000,
        "room for the cluster messages and extra classes below the durable ids");
    assertEquals(1001, idOf(CallCheckpoints.Stored.class));
    assertEquals(1002, idOf(CallCheckpoint.class));
    assertEquals(1010, idOf(ScriptState.class));
    assertEquals(1040, idOf(TwimlDocument.class));
    assertEquals(1100, idOf(DurableSlot.Stored.class));
    assertEquals(1101, idOf(DialRecord.class));
    assertEquals(1104, idOf(LegRecord.class));
    assertEquals(1110, idOf(QueueDialRecord.class));
    assertEquals(1111, idOf(RingRecord.class));
    assertEquals(1112, idOf(DialSequence.class));
    assertEquals(1120, idOf(ConferenceRecord.class));
    assertEquals(1060, idOf(ConferenceV1.class));
    assertEquals(1140, idOf(Conference.class));
  }

  private static int idOf(Class<?> type) {
    return DurableRegistrations.CLASSES.stream().filter(e -> e.getValue() == type)
        .findFirst().orElseThrow().getKey();
  }

  private static ScriptState.Awaiting awaitingFor(TwimlDocument document, int pc) {
    if (pc >= document.verbs().size()) {
      return new ScriptState.Awaiting.Finished();
    }
    Verb verb = document.verbs().get(pc);
    if (verb instanceof org.switchboard.engine.twiml.verb.Gather gather) {
      return new ScriptState.Awaiting.Gathering(new ScriptState.GatherProgress(gather, 0,
          Optional.of("CA1-playback-3"), 1, "42", true));
    }
    if (verb instanceof org.switchboard.engine.twiml.verb.Record record) {
      return new ScriptState.Awaiting.Recording(new ScriptState.RecordProgress(record, "RE1",
          Optional.of(Instant.parse("2026-01-01T10:00:00Z")), Optional.empty(), false));
    }
    return new ScriptState.Awaiting.Media("CA1-playback-2",
        new MediaRef.Speech("hello", Optional.empty(), "en-US"), 1);
  }

  private static CallCheckpoints.Stored stored(TwimlDocument document, int pc,
      ScriptState.Awaiting awaiting, Optional<ScriptState.QueueWait> queue) {
    ScriptState script = new ScriptState("CA1", Optional.of(
        new Webhook(URI.create("https://app.test/fallback"), Method.GET)), true,
        Optional.of(new ScriptState.Frame(document, pc)), awaiting, queue, 1, 9, false);
    CallParams params = new CallParams("AC1", "CA1", "+15550001", "+15550002",
        Optional.of("Caller"), Optional.empty(), "inbound", Optional.empty());
    VoiceApplication app = new VoiceApplication(APP, Method.POST, Optional.empty(), Method.POST,
        Optional.of(URI.create("https://app.test/status")), Method.POST, Set.of("completed"));
    return new CallCheckpoints.Stored(Optional.of(new CallCheckpoint("CA1",
        new ChannelRef("sim", "chan-1"), params, app, Instant.parse("2026-01-01T09:59:00Z"),
        Optional.of(Instant.parse("2026-01-01T09:59:01Z")), 3, script)));
  }

  private static void roundTrip(Object value) throws Exception {
    byte[] bytes = serialization.serialize(value).get();
    int serializerId = serialization.findSerializerFor(value).identifier();
    assertEquals(KryoClusterSerializer.IDENTIFIER, serializerId);
    Object back = serialization.deserialize(bytes, serializerId, "").get();
    assertEquals(value, back);
  }
}
