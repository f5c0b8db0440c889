package org.switchboard.engine.conference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.MediaPort;
import org.switchboard.engine.port.SoundSpan;
import org.switchboard.engine.testing.FakeAriPort;
import org.switchboard.engine.testing.FakeWebhookPort;
import org.switchboard.engine.twiml.verb.Method;

/**
 * A room's wait notices, its recording from the start (trimmed, registered, called back), its
 * {@code speaker} events and a coach's whisper path, against fake ARI and webhooks.
 */
class ConferenceFeaturesTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final Duration WAIT = Duration.ofSeconds(5);
  static final String SERVER = "ast1";

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** A registered recording. */
  record Registered(String sid, String callSid, int seconds, String status, Optional<SoundSpan> kept) {}

  final FakeAriPort ari = FakeAriPort.autoComplete();
  final FakeWebhookPort web = new FakeWebhookPort();
  final List<Registered> registered = new CopyOnWriteArrayList<>();
  final MediaPort media = new MediaPort() {
    @Override
    public CompletionStage<String> mediaFor(URI url) {
      return CompletableFuture.completedFuture("sound:" + url);
    }

    @Override
    public CompletionStage<Optional<SoundSpan>> soundSpan(String serverId, String name) {
      return CompletableFuture.completedFuture(Optional.of(new SoundSpan(400, 3500)));
    }
  };

  private ActorRef<ConferenceActor.Command> room(String name) {
    ConferenceRecorder recorder = new ConferenceRecorder(ari, media, web,
        sid -> URI.create("https://sb.test/recordings/" + sid),
        (sid, callSid, seconds, status, started, serverId, kept) ->
            registered.add(new Registered(sid, callSid, seconds, status, kept)),
        "AC1", Clock.systemUTC());
    return kit.spawn(ConferenceActor.create(name, ari, web, "AC1", Clock.systemUTC(), recorder));
  }

  private static ConferenceActor.Participant participant(boolean starts, Set<String> events,
      Optional<ConferenceRecorder.Settings> recording, Optional<String> coach) {
    return new ConferenceActor.Participant(false, "false", starts, false, Optional.empty(), false,
        250, Optional.of(URI.create("https://app.test/conf")), Method.POST, events, recording,
        coach);
  }

  private TestProbe<ConferenceActor.Notice> join(ActorRef<ConferenceActor.Command> room,
      String callSid, ConferenceActor.Participant p, TestProbe<ConferenceActor.JoinReply> replies) {
    TestProbe<ConferenceActor.Notice> notices = kit.createTestProbe();
    room.tell(new ConferenceActor.Join(callSid, new ChannelRef(SERVER, "ch-" + callSid), p,
        notices.ref(), replies.ref()));
    return notices;
  }

  private FakeWebhookPort.Seen notify(String param, String value) {
    while (true) {
      FakeWebhookPort.Seen seen = web.nextNotify(WAIT);
      if (value.equals(seen.param(param))) {
        return seen;
      }
    }
  }

  @Test
  void waitersAreToldToWaitThenTheStartAndTheBridgeIsRecordedFromTheStart() {
    ActorRef<ConferenceActor.Command> room = room("recorded");
    TestProbe<ConferenceActor.JoinReply> replies = kit.createTestProbe();
    ConferenceRecorder.Settings rec = new ConferenceRecorder.Settings(true,
        Optional.of(URI.create("https://app.test/rec")), Method.POST,
        Set.of("in-progress", "completed"));
    TestProbe<ConferenceActor.Notice> host =
        join(room, "CA1", participant(false, Set.of("start"), Optional.of(rec), Optional.empty()),
            replies);
    String conferenceSid = replies.expectMessageClass(ConferenceActor.Joined.class).conferenceSid();
    assertEquals(new ConferenceActor.Waiting(conferenceSid), host.receiveMessage(WAIT));
    assertTrue(ari.history().stream().noneMatch(c -> c.startsWith("recordBridge")),
        "nothing recorded before the start: " + ari.history());

    TestProbe<ConferenceActor.Notice> guest =
        join(room, "CA2", participant(true, Set.of(), Optional.empty(), Optional.empty()), replies);
    replies.expectMessageClass(ConferenceActor.Joined.class);
    assertEquals(new ConferenceActor.Started(conferenceSid), host.receiveMessage(WAIT));
    assertEquals(new ConferenceActor.Started(conferenceSid), guest.receiveMessage(WAIT));
    AriPort.RecordRequest request = ari.expect("recordBridge", WAIT).arg(2);
    assertEquals("wav", request.format());
    FakeWebhookPort.Seen started = notify("RecordingStatus", "in-progress");
    assertEquals(conferenceSid, started.param("ConferenceSid"));
    assertEquals("Conference", started.param("RecordingSource"));

    room.tell(new ConferenceActor.Leave("CA2", "hangup"));
    room.tell(new ConferenceActor.Leave("CA1", "hangup"));
    assertEquals(request.name(), ari.expect("stopRecording", WAIT).arg(1));
    ari.expect("destroyBridge", WAIT);
    FakeWebhookPort.Seen done = notify("RecordingStatus", "completed");
    assertEquals("3", done.param("RecordingDuration"), "trimmed: 0.4 s to 3.5 s kept");
    assertEquals(List.of(new Registered(request.name(), "CA1", 3, "completed",
        Optional.of(new SoundSpan(400, 3500)))), registered);
  }

  @Test
  void speakerEventsComeFromTalkDetection() {
    ActorRef<ConferenceActor.Command> room = room("speakers");
    TestProbe<ConferenceActor.JoinReply> replies = kit.createTestProbe();
    join(room, "CA3", participant(true, Set.of("speaker"), Optional.empty(), Optional.empty()),
        replies);
    FakeAriPort.Command talk = ari.expect("setVariable", WAIT);
    assertEquals("TALK_DETECT(set)", talk.arg(1));
    room.tell(new ConferenceActor.Speaking("CA3", true));
    assertEquals("CA3", notify("StatusCallbackEvent", "participant-speech-start").param("CallSid"));
    room.tell(new ConferenceActor.Speaking("CA3", false));
    notify("StatusCallbackEvent", "participant-speech-stop");
    room.tell(new ConferenceActor.Leave("CA3", "redirected"));
    assertEquals("TALK_DETECT(remove)", ari.expect("setVariable", WAIT).arg(1));
  }

  @Test
  void aCoachIsHeardByTheCoachedParticipantOnly() {
    ActorRef<ConferenceActor.Command> room = room("coached");
    TestProbe<ConferenceActor.JoinReply> replies = kit.createTestProbe();
    join(room, "CA4", participant(true, Set.of(), Optional.empty(), Optional.empty()), replies);
    replies.expectMessageClass(ConferenceActor.Joined.class);
    join(room, "CA5", participant(true, Set.of(), Optional.empty(), Optional.of("CA4")), replies);
    replies.expectMessageClass(ConferenceActor.Joined.class);
    FakeAriPort.Command muted = ari.expect("addToBridgeMuted", WAIT);
    assertEquals("ch-CA5", muted.arg(2));
    FakeAriPort.Command voice = ari.expect("snoop", WAIT);
    assertEquals(new ChannelRef(SERVER, "ch-CA5"), voice.arg(0));
    assertEquals(List.of("in", "none"), List.of(voice.arg(2), voice.arg(3)));
    FakeAriPort.Command whisper = ari.expect("snoop", WAIT);
    assertEquals(new ChannelRef(SERVER, "ch-CA4"), whisper.arg(0));
    assertEquals(List.of("none", "out"), List.of(whisper.arg(2), whisper.arg(3)));
    assertEquals("CA5-br-coach", ari.expect("createBridge", WAIT).arg(1));
    FakeAriPort.Command pair = ari.expect("addToBridge", WAIT);
    assertEquals("CA5-br-coach", pair.arg(1));
    assertEquals(List.of(voice.arg(1), whisper.arg(1)), pair.arg(2));

    room.tell(new ConferenceActor.Leave("CA5", "hangup"));
    ari.expect(c -> c.op().equals("destroyBridge") && "CA5-br-coach".equals(c.arg(1)),
        "the coach bridge destroyed", WAIT);
    assertTrue(ari.history().stream().filter(c -> c.startsWith("hangup")).count() >= 2,
        "both snoops hung up: " + ari.history());
  }

  @Test
  void anUpdateHoldsWithTheHoldUrlThenMakesACoachAndAnExitBeep() {
    ActorRef<ConferenceActor.Command> room = room("updated");
    TestProbe<ConferenceActor.JoinReply> replies = kit.createTestProbe();
    join(room, "CA7", participant(true, Set.of(), Optional.empty(), Optional.empty()), replies);
    String sid = replies.expectMessageClass(ConferenceActor.Joined.class).conferenceSid();
    TestProbe<ConferenceActor.Notice> guest =
        join(room, "CA8", participant(true, Set.of(), Optional.empty(), Optional.empty()), replies);
    replies.expectMessageClass(ConferenceActor.Joined.class);
    TestProbe<Optional<ConferenceActor.ParticipantState>> states = kit.createTestProbe();
    URI holdUrl = URI.create("https://app.test/hold");
    room.tell(new ConferenceActor.UpdateParticipant(sid, "CA8", Optional.empty(),
        Optional.of(true), states.ref(), new ParticipantChanges(Optional.of(holdUrl), Method.GET,
            Optional.empty(), Method.POST, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty())));
    assertTrue(states.receiveMessage(WAIT).orElseThrow().hold());
    assertEquals(new ConferenceActor.ParticipantAudio(sid, Optional.of(holdUrl), Method.GET),
        audio(guest));
    room.tell(new ConferenceActor.UpdateParticipant(sid, "CA8", Optional.empty(),
        Optional.of(false), states.ref()));
    assertEquals(new ConferenceActor.ParticipantAudio(sid, Optional.empty(), Method.GET),
        audio(guest));
    states.receiveMessage(WAIT);
    assertTrue(ari.history().stream().noneMatch(c -> c.startsWith("startMusicOnHold")),
        "no music on hold under a HoldUrl: " + ari.history());

    room.tell(new ConferenceActor.UpdateParticipant(sid, "CA7", Optional.empty(),
        Optional.empty(), states.ref(), new ParticipantChanges(Optional.empty(), Method.GET,
            Optional.empty(), Method.POST, Optional.of(true), Optional.of(true),
            Optional.of(true), Optional.of("CA8"))));
    ConferenceActor.ParticipantState coach = states.receiveMessage(WAIT).orElseThrow();
    assertEquals(Optional.of("CA8"), coach.callSidToCoach());
    assertTrue(coach.endConferenceOnExit());
    assertEquals("ch-CA7", ari.expect("removeFromBridge", WAIT).arg(2));
    assertEquals("ch-CA7", ari.expect("addToBridgeMuted", WAIT).arg(2));
    ari.expect(c -> c.op().equals("createBridge") && "CA7-br-coach-2".equals(c.arg(1)),
        "the coach's whisper bridge", WAIT);

    room.tell(new ConferenceActor.UpdateParticipant(sid, "CA7", Optional.empty(),
        Optional.empty(), states.ref(), new ParticipantChanges(Optional.empty(), Method.GET,
            Optional.empty(), Method.POST, Optional.empty(), Optional.empty(),
            Optional.of(false), Optional.empty())));
    assertEquals(Optional.empty(), states.receiveMessage(WAIT).orElseThrow().callSidToCoach());
    ari.expect(c -> c.op().equals("destroyBridge") && "CA7-br-coach-2".equals(c.arg(1)),
        "the whisper bridge gone when it stops coaching", WAIT);
    ari.expect(c -> c.op().equals("addToBridge") && List.of("ch-CA7").equals(c.arg(2)),
        "back in the room, heard", WAIT);
    TestProbe<ConferenceActor.Notice> third =
        join(room, "CA9", participant(true, Set.of(), Optional.empty(), Optional.empty()), replies);
    replies.expectMessageClass(ConferenceActor.Joined.class);
    room.tell(new ConferenceActor.UpdateParticipant(sid, "CA8", Optional.empty(),
        Optional.empty(), states.ref(), new ParticipantChanges(Optional.empty(), Method.GET,
            Optional.empty(), Method.POST, Optional.of(true), Optional.empty(),
            Optional.empty(), Optional.empty())));
    states.receiveMessage(WAIT);
    room.tell(new ConferenceActor.Leave("CA8", "redirected"));
    ari.expect(c -> c.op().equals("playOnBridge"), "the exit beep (BeepOnExit)", WAIT);
    room.tell(new ConferenceActor.Leave("CA7", "redirected"));
    assertEquals(new ConferenceActor.Ended(sid, "participant-with-end-conference-on-exit-left"),
        third.receiveMessage(WAIT), "EndConferenceOnExit set by the update");
  }

  private static ConferenceActor.ParticipantAudio audio(TestProbe<ConferenceActor.Notice> notices) {
    while (true) {
      if (notices.receiveMessage(WAIT) instanceof ConferenceActor.ParticipantAudio audio) {
        return audio;
      }
    }
  }

  /**
   * A beep announces a join: the conference starting as a {@code beep="false"} participant joins
   * is silent, the next join with {@code beep="onEnter"} beeps.
   */
  @Test
  void theStartBeepsOnlyWhenTheStartersBeepAnnouncesItsJoin() {
    ActorRef<ConferenceActor.Command> room = room("beeps");
    TestProbe<ConferenceActor.JoinReply> replies = kit.createTestProbe();
    join(room, "CA11", beeping("true", false), replies);
    replies.expectMessageClass(ConferenceActor.Joined.class);
    join(room, "CA12", beeping("false", true), replies);
    replies.expectMessageClass(ConferenceActor.Joined.class);
    join(room, "CA13", beeping("onEnter", true), replies);
    replies.expectMessageClass(ConferenceActor.Joined.class);
    ari.expect(c -> c.op().equals("playOnBridge"), "the beep of CA13's join", WAIT);
    List<String> history = ari.history();
    int third = indexOf(history, "addToBridge", "ch-CA13");
    int firstBeep = indexOf(history, "playOnBridge", "");
    assertTrue(third >= 0 && firstBeep > third,
        "no beep before CA13 joined (the start by CA12 is silent): " + history);
  }

  private static ConferenceActor.Participant beeping(String beep, boolean starts) {
    return new ConferenceActor.Participant(false, beep, starts, false, Optional.empty(), false,
        250, Optional.empty(), Method.POST, Set.of());
  }

  private static int indexOf(List<String> history, String op, String part) {
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).startsWith(op) && history.get(i).contains(part)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aCoachOfSomeoneOutsideTheConferenceIsRefused() {
    ActorRef<ConferenceActor.Command> room = room("nobody");
    TestProbe<ConferenceActor.JoinReply> replies = kit.createTestProbe();
    join(room, "CA6", participant(true, Set.of(), Optional.empty(), Optional.of("CA9")), replies);
    ConferenceActor.Refused refused =
        assertInstanceOf(ConferenceActor.Refused.class, replies.receiveMessage(WAIT));
    assertEquals("invalid-coach", refused.reason());
  }
}
