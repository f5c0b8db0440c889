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
import org.switchboard.engine.conference.ConferenceActor;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.ring.DialContext;
import org.switchboard.engine.twiml.verb.DialCallStatus;
import org.switchboard.engine.twiml.verb.Conference;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.WaitUrl;

/**
 * One call in a conference room ({@code <Dial><Conference>}), a child of the call actor: joins the
 * room's {@link ConferenceActor}, leaves it on hangupOnStar ({@code *}), hangup or redirect, and
 * ends the Dial with {@code DialCallStatus=answered} (and ConferenceSid) when the conference ended
 * or the caller pressed {@code *}; {@code failed} when the room refused it.
 */
final class ConferenceMembership {
  private static final Logger LOG = LoggerFactory.getLogger(ConferenceMembership.class);

  sealed interface Command {}

  private record Stop(String reason) implements Command {}

  private record Event(ChannelEvent event) implements Command {}

  private record Reply(ConferenceActor.JoinReply reply) implements Command {}

  private record Notice(ConferenceActor.Notice notice) implements Command {}

  private final ActorContext<Command> ctx;
  private final CallDelegates.Context call;
  private final Dial dial;
  private final RecipientRef<ConferenceActor.Command> room;
  private String conferenceSid = "";

  private ConferenceMembership(
      ActorContext<Command> ctx, CallDelegates.Context call, Dial dial, RecipientRef<ConferenceActor.Command> room) {
    this.ctx = ctx;
    this.call = call;
    this.dial = dial;
    this.room = room;
  }

  /** Joins {@code conference} for the call of {@code c}; the delegation the call holds. */
  static Delegation start(
      CallDelegates.Context c, Dial dial, Conference conference, boolean callerAnswered,
      ConferenceRooms directory, DialContext dials) {
    Optional<RecipientRef<ConferenceActor.Command>> room = directory.room(conference.name());
    if (room.isEmpty()) {
      LOG.warn("<Dial><Conference> is not available in this engine");
      c.call().tell(new CallCommand.DialFinished(Map.of("DialCallStatus", DialCallStatus.FAILED.wire())));
      return Delegation.NONE;
    }
    if (!callerAnswered) {
      dials.ari().answer(c.channel());
    }
    ConferenceActor.Participant participant =
        new ConferenceActor.Participant(
            conference.muted(),
            conference.beep().wire(),
            conference.startConferenceOnEnter(),
            conference.endConferenceOnExit(),
            conference.participantLabel(),
            !(conference.waitUrl() instanceof WaitUrl.Silence),
            conference.maxParticipants(),
            conference.statusCallback().url(),
            conference.statusCallback().method(),
            conference.statusCallback().events().stream().map(e -> e.wire()).collect(Collectors.toSet()));
    ActorRef<Command> member =
        c.actor().spawnAnonymous(
            Behaviors.setup(ctx -> new ConferenceMembership(ctx, c, dial, room.get()).join(participant)));
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

  private Behavior<Command> join(ConferenceActor.Participant participant) {
    room.tell(new ConferenceActor.Join(call.callSid(), call.channel(), participant,
        ctx.messageAdapter(ConferenceActor.Notice.class, Notice::new),
        ctx.messageAdapter(ConferenceActor.JoinReply.class, Reply::new)));
    return Behaviors.receive(Command.class)
        .onMessage(Reply.class, this::onReply)
        .onMessage(Notice.class, this::onNotice)
        .onMessage(Event.class, this::onEvent)
        .onMessage(Stop.class, this::onStop)
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
      return finish();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onEvent(Event event) {
    if (event.event() instanceof ChannelEvent.DtmfReceived d && dial.hangupOnStar() && "*".equals(d.digit())) {
      room.tell(new ConferenceActor.Leave(call.callSid(), "hangup-on-star"));
      return finish();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onStop(Stop stop) {
    room.tell(new ConferenceActor.Leave(call.callSid(), stop.reason()));
    return Behaviors.stopped();
  }

  private Behavior<Command> finish() {
    call.call().tell(new CallCommand.DialFinished(
        Map.of("DialCallStatus", DialCallStatus.ANSWERED.wire(), "ConferenceSid", conferenceSid)));
    return Behaviors.stopped();
  }
}
