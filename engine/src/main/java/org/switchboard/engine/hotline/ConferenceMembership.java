package org.switchboard.engine.hotline;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.Delegation;
import org.switchboard.engine.call.MediaResolver;
import org.switchboard.engine.conference.ConferenceRecorder;
import org.switchboard.engine.conference.ConferenceActor;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.ring.DialContext;
import org.switchboard.engine.twiml.verb.DialCallStatus;
import org.switchboard.engine.twiml.verb.Conference;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Trim;
import org.switchboard.engine.twiml.verb.WaitUrl;

/**
 * One call in a conference room ({@code <Dial><Conference>}), a child of the call actor: joins the
 * room's {@link ConferenceActor}, leaves it on hangupOnStar ({@code *}), hangup or redirect, and
 * ends the Dial with {@code DialCallStatus=answered} (and ConferenceSid) when the conference ended
 * or the caller pressed {@code *}; {@code failed} when the room refused it. While the conference
 * has not started it runs the {@code waitUrl} document ({@link ConferenceWait}), and the documents
 * the REST API gives it ({@code HoldUrl} on hold, a new {@code WaitUrl}); it tells the room
 * when its caller starts and stops talking ({@code speaker} events).
 */
final class ConferenceMembership {
  private static final Logger LOG = LoggerFactory.getLogger(ConferenceMembership.class);

  sealed interface Command {}

  private record Stop(String reason) implements Command {}

  private record Event(ChannelEvent event) implements Command {}

  private record Reply(ConferenceActor.JoinReply reply) implements Command {}

  private record Notice(ConferenceActor.Notice notice) implements Command {}

  /** A step of the {@code waitUrl} document ({@link ConferenceWait}). */
  record WaitStep(ConferenceWait.Step step) implements Command {}

  /** Time to tell the room this call is still in ({@link ConferenceActor.Rejoin}). */
  private record StillIn() implements Command {}

  /**
   * How often a participant tells its room it is still in: a room taken back after its node went
   * (its participants' calls ran on elsewhere) learns their addresses again from it.
   */
  static final java.time.Duration STILL_IN = java.time.Duration.ofSeconds(20);

  private final ActorContext<Command> ctx;
  private final CallDelegates.Context call;
  private final Dial dial;
  private final RecipientRef<ConferenceActor.Command> room;
  private final Conference conference;
  private final ConferenceWait wait;
  private String conferenceSid = "";

  private ConferenceMembership(
      ActorContext<Command> ctx, CallDelegates.Context call, Dial dial, Conference conference,
      RecipientRef<ConferenceActor.Command> room, DialContext dials, MediaResolver resolver) {
    this.ctx = ctx;
    this.call = call;
    this.dial = dial;
    this.conference = conference;
    this.room = room;
    this.wait = new ConferenceWait(ctx, call, dials.ari(), dials.webhooks(), resolver);
  }

  /** Joins {@code conference} for the call of {@code c}; the delegation the call holds. */
  static Delegation start(
      CallDelegates.Context c, Dial dial, Conference conference, boolean callerAnswered,
      ConferenceRooms directory, DialContext dials, MediaResolver resolver) {
    Optional<RecipientRef<ConferenceActor.Command>> room = room(c, conference, directory);
    if (room.isEmpty()) {
      return Delegation.NONE;
    }
    if (!callerAnswered) {
      dials.ari().answer(c.channel());
    }
    return spawn(c, dial, conference, room.get(), dials, resolver, false);
  }

  /**
   * The call of {@code c}, taken back after a restart in its {@code <Dial><Conference>}, asks the
   * room for its place again ({@link ConferenceActor.Rejoin}): nothing is announced again; while
   * the conference has not started its {@code waitUrl} is requested again (default hold music
   * goes on on Asterisk). The delegation the call holds.
   */
  static Delegation resume(
      CallDelegates.Context c, Dial dial, Conference conference, ConferenceRooms directory,
      DialContext dials, MediaResolver resolver) {
    return room(c, conference, directory)
        .map(room -> spawn(c, dial, conference, room, dials, resolver, true))
        .orElse(Delegation.NONE);
  }

  /** The room of {@code conference}; without conferences the Dial ends {@code failed}. */
  private static Optional<RecipientRef<ConferenceActor.Command>> room(CallDelegates.Context c,
      Conference conference, ConferenceRooms directory) {
    Optional<RecipientRef<ConferenceActor.Command>> room = directory.room(conference.name());
    if (room.isEmpty()) {
      LOG.warn("<Dial><Conference> is not available in this engine");
      c.call().tell(new CallCommand.DialFinished(Map.of("DialCallStatus", DialCallStatus.FAILED.wire())));
    }
    return room;
  }

  private static Delegation spawn(CallDelegates.Context c, Dial dial, Conference conference,
      RecipientRef<ConferenceActor.Command> room, DialContext dials, MediaResolver resolver,
      boolean rejoin) {
    ConferenceActor.Participant participant =
        new ConferenceActor.Participant(
            conference.muted(),
            conference.beep().wire(),
            conference.startConferenceOnEnter(),
            conference.endConferenceOnExit(),
            conference.participantLabel(),
            conference.waitUrl() instanceof WaitUrl.DefaultMusic,
            conference.maxParticipants(),
            conference.statusCallback().url(),
            conference.statusCallback().method(),
            conference.statusCallback().events().stream().map(e -> e.wire()).collect(Collectors.toSet()),
            recording(conference),
            conference.coach());
    ActorRef<Command> member =
        c.actor().spawnAnonymous(
            Behaviors.setup(ctx -> new ConferenceMembership(ctx, c, dial, conference, room,
                dials, resolver).join(participant, rejoin)));
    return new Delegation() {
      @Override
      public void stop(String reason) {
        member.tell(new Stop(reason));
      }

      @Override
      public void onEvent(ChannelEvent event) {
        member.tell(new Event(event));
      }
    };
  }

  /** {@code record="record-from-start"} with its trim and recording callback, if asked. */
  private static Optional<ConferenceRecorder.Settings> recording(Conference conference) {
    if (conference.record() != Conference.Record.RECORD_FROM_START) {
      return Optional.empty();
    }
    var cb = conference.recordingStatusCallback();
    return Optional.of(new ConferenceRecorder.Settings(conference.trim() == Trim.TRIM_SILENCE,
        cb.url(), cb.method(), cb.events().stream().map(e -> e.wire()).collect(Collectors.toSet())));
  }

  private Behavior<Command> join(ConferenceActor.Participant participant, boolean rejoin) {
    ActorRef<ConferenceActor.Notice> notices =
        ctx.messageAdapter(ConferenceActor.Notice.class, Notice::new);
    ActorRef<ConferenceActor.JoinReply> replies =
        ctx.messageAdapter(ConferenceActor.JoinReply.class, Reply::new);
    room.tell(rejoin
        ? new ConferenceActor.Rejoin(call.callSid(), call.channel(), participant, notices, replies,
            true)
        : new ConferenceActor.Join(call.callSid(), call.channel(), participant, notices, replies));
    ctx.scheduleOnce(STILL_IN, ctx.getSelf(), new StillIn());
    return Behaviors.receive(Command.class)
        .onMessage(StillIn.class, still -> {
          room.tell(new ConferenceActor.Rejoin(call.callSid(), call.channel(), participant,
              notices, replies, false));
          ctx.scheduleOnce(STILL_IN, ctx.getSelf(), new StillIn());
          return Behaviors.same();
        })
        .onMessage(Reply.class, this::onReply)
        .onMessage(Notice.class, this::onNotice)
        .onMessage(Event.class, this::onEvent)
        .onMessage(Stop.class, this::onStop)
        .onMessage(WaitStep.class, this::onWaitStep)
        .build();
  }

  private Behavior<Command> onReply(Reply reply) {
    if (reply.reply() instanceof ConferenceActor.Joined joined) {
      conferenceSid = joined.conferenceSid();
      return Behaviors.same();
    }
    ConferenceActor.Refused refused = (ConferenceActor.Refused) reply.reply();
    LOG.info("{}: conference refused ({})", call.callSid(), refused.reason());
    call.call().tell(new CallCommand.DialFinished(Map.of("DialCallStatus", DialCallStatus.FAILED.wire())));
    return Behaviors.stopped();
  }

  private Behavior<Command> onNotice(Notice notice) {
    if (notice.notice() instanceof ConferenceActor.Ended) {
      wait.stop();
      return finish();
    }
    if (notice.notice() instanceof ConferenceActor.ParticipantAudio audio) {
      wait.stop();
      audio.url().ifPresent(url -> wait.start(url, audio.method()));
    } else if (notice.notice() instanceof ConferenceActor.Waiting
        && conference.waitUrl() instanceof WaitUrl.Fetch fetch) {
      wait.start(fetch.url(), conference.waitMethod());
    } else if (notice.notice() instanceof ConferenceActor.Started) {
      wait.stop();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onEvent(Event event) {
    if (event.event() instanceof ChannelEvent.DtmfReceived d && dial.hangupOnStar() && "*".equals(d.digit())) {
      wait.stop();
      room.tell(new ConferenceActor.Leave(call.callSid(), "hangup-on-star"));
      return finish();
    }
    if (event.event() instanceof ChannelEvent.TalkingChanged t) {
      room.tell(new ConferenceActor.Speaking(call.callSid(), t.talking()));
    }
    wait.onEvent(event.event());
    return Behaviors.same();
  }

  private Behavior<Command> onWaitStep(WaitStep step) {
    wait.onStep(step.step());
    return Behaviors.same();
  }

  private Behavior<Command> onStop(Stop stop) {
    wait.stop();
    room.tell(new ConferenceActor.Leave(call.callSid(), stop.reason()));
    return Behaviors.stopped();
  }

  private Behavior<Command> finish() {
    call.call().tell(new CallCommand.DialFinished(
        Map.of("DialCallStatus", DialCallStatus.ANSWERED.wire(), "ConferenceSid", conferenceSid)));
    return Behaviors.stopped();
  }
}
