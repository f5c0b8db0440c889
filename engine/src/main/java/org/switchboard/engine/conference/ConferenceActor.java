package org.switchboard.engine.conference;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Sids;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.ClusterMessage;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.CallStatus;

/**
 * One conference room ({@code <Dial><Conference>}, spec §4.9), a Cluster Sharding entity keyed by
 * the room name. It owns the room's mixing bridge, created on the Asterisk server of the first
 * participant (a bridge only joins channels of one server: a caller on another server is refused).
 * The conference starts when two participants are in and one of them has {@code
 * startConferenceOnEnter}; until then waiting participants hear hold music (channel MOH, class
 * {@code default}). A participant with {@code endConferenceOnExit} who leaves a started conference
 * ends it: everyone else is taken out of the bridge and told {@link Ended}, and their scripts go
 * on. The last one to leave ends it too. Status callbacks follow §2.4 with the first
 * participant's settings.
 *
 * <p>{@code muted} participants join with their inbound audio muted ({@code POST …/mute?direction=in}).
 * A participant that joins before the start is told {@link Waiting} (its {@code waitUrl} document
 * runs in its own {@code ConferenceMembership}) and {@link Started} at the start. With {@code
 * speaker} among the callback events each participant's channel gets {@code TALK_DETECT} and its
 * {@link Speaking} becomes {@code participant-speech-start}/{@code -stop}; {@code
 * record="record-from-start"} records the bridge from the start ({@link ConferenceRecorder}).
 */
public final class ConferenceActor {
  private static final Logger LOG = LoggerFactory.getLogger(ConferenceActor.class);

  /** Messages of a conference room. */
  public sealed interface Command extends ClusterMessage {}

  /**
   * A participant's settings (the {@code <Conference>} attributes that concern the room).
   *
   * @param beep {@code true}, {@code false}, {@code onEnter} or {@code onExit}
   * @param waitMusic whether hold music plays while the conference has not started
   * @param statusCallbackEvents subset of {@code start end join leave mute hold speaker}
   * @param recording {@code record="record-from-start"} and its trim and callback settings
   * @param coach the CallSid of the participant this one coaches ({@link ConferenceCoach})
   */
  public record Participant(
      boolean muted,
      String beep,
      boolean startConferenceOnEnter,
      boolean endConferenceOnExit,
      Optional<String> label,
      boolean waitMusic,
      int maxParticipants,
      Optional<URI> statusCallback,
      Method statusCallbackMethod,
      Set<String> statusCallbackEvents,
      Optional<ConferenceRecorder.Settings> recording,
      Optional<String> coach)
      implements ClusterMessage {

    /** A participant that does not ask for the conference to be recorded. */
    public Participant(boolean muted, String beep, boolean startConferenceOnEnter,
        boolean endConferenceOnExit, Optional<String> label, boolean waitMusic,
        int maxParticipants, Optional<URI> statusCallback, Method statusCallbackMethod,
        Set<String> statusCallbackEvents) {
      this(muted, beep, startConferenceOnEnter, endConferenceOnExit, label, waitMusic,
          maxParticipants, statusCallback, statusCallbackMethod, statusCallbackEvents,
          Optional.empty(), Optional.empty());
    }
  }

  /** Puts {@code channel} in the room; replies {@link Joined} or {@link Refused}. */
  public record Join(
      String callSid,
      ChannelRef channel,
      Participant participant,
      ActorRef<Notice> notices,
      ActorRef<JoinReply> replyTo)
      implements Command {}

  /**
   * A participant's call taken back after a restart asks for its place again ({@code
   * <Dial><Conference>} resumed, {@code resumed}): in the conference the room took back ({@link
   * ConferenceRecord}) it is in again, with its settings, join time, mute and hold as they were,
   * and nothing is announced (no join callback, no beep); a call the room does not know joins as
   * with {@link Join}. Replies {@link Joined} (then {@link Waiting} while the conference has not
   * started). Every participant also says it is still there now and then ({@code resumed} false):
   * a room taken back while its participants' calls ran on (another node) learns their addresses
   * again; one the room no longer knows is told {@link Ended}.
   */
  public record Rejoin(
      String callSid,
      ChannelRef channel,
      Participant participant,
      ActorRef<Notice> notices,
      ActorRef<JoinReply> replyTo,
      boolean resumed)
      implements Command {}

  /** The store answered whether a conference of an earlier incarnation runs in this room. */
  private record Recovered(Optional<ConferenceRecord> record) implements Command {}

  /** Asterisk answered which channels the taken-back conference's bridge holds (empty: gone). */
  private record BridgeFound(Optional<List<String>> channels, Throwable error) implements Command {}

  /**
   * Asterisk answered which of a taken-back coach's pairs it still holds ({@link CoachRestore});
   * {@code serverId} is the conference's server when it was asked.
   */
  private record CoachFound(String serverId, CoachRestore.Found found, Throwable error)
      implements Command {}

  /** Participants of the taken-back conference {@code conferenceSid} that never came back leave. */
  private record RejoinDeadline(String conferenceSid) implements Command {}

  /**
   * A participant leaves: {@code hangup} (its channel is gone), or anything else ({@code
   * hangup-on-star}, {@code redirected}): then it is taken out of the bridge.
   */
  public record Leave(String callSid, String reason) implements Command {}

  /** Reply to {@link Join}. */
  public sealed interface JoinReply extends ClusterMessage {}

  /** In the room. */
  public record Joined(String conferenceSid) implements JoinReply {}

  /**
   * Not let in: {@code full}, {@code other-server}, or {@code invalid-coach} (its {@code coach} is
   * not in the conference: Twilio's error 13240).
   */
  public record Refused(String reason) implements JoinReply {}

  /** What a participant is told. */
  public sealed interface Notice extends ClusterMessage {}

  /** The conference ended; the participant is out of the bridge and its script goes on. */
  public record Ended(String conferenceSid, String reason) implements Notice {}

  /** The participant joined a conference that has not started: its wait audio may play. */
  public record Waiting(String conferenceSid) implements Notice {}

  /** The conference started: wait audio stops. */
  public record Started(String conferenceSid) implements Notice {}

  /**
   * The participant hears {@code url}'s document instead of what it hears now (its {@code
   * HoldUrl} on hold, or a new {@code WaitUrl}), run on its channel as a {@code waitUrl} is; an
   * empty {@code url} stops it (unheld).
   */
  public record ParticipantAudio(String conferenceSid, Optional<URI> url, Method method)
      implements Notice {}

  /**
   * A participant started or stopped talking ({@code ChannelTalkingStarted}/{@code Finished} of
   * its channel, with {@code TALK_DETECT} set by the room when the conference's {@code
   * statusCallbackEvent} has {@code speaker}).
   */
  public record Speaking(String callSid, boolean talking) implements Command {}

  private record Step(String what, Throwable error) implements Command {}

  /**
   * A participant as the REST Participants resource shows it.
   *
   * @param callSidToCoach the participant it coaches, if it is a coach
   */
  public record ParticipantState(
      String callSid,
      String conferenceSid,
      Optional<String> label,
      boolean muted,
      boolean hold,
      boolean startConferenceOnEnter,
      boolean endConferenceOnExit,
      Instant joined,
      Instant updated,
      Optional<String> callSidToCoach)
      implements ClusterMessage {}

  /**
   * One conference of the room as the REST Conferences resource shows it.
   *
   * @param status {@code init} (waiting for a moderator), {@code in-progress} or {@code completed}
   * @param reasonEnded Twilio's {@code ReasonConferenceEnded} once completed
   */
  public record ConferenceState(
      String sid,
      String name,
      String status,
      Instant created,
      Instant updated,
      Optional<String> reasonEnded,
      Optional<String> callSidEndingConference,
      List<ParticipantState> participants)
      implements ClusterMessage {}

  /** Reply to {@link Describe}: the running conference (if any) first, then the ended ones. */
  public record RoomState(String name, List<ConferenceState> conferences)
      implements ClusterMessage {}

  /** Asks for the room's conferences (REST fetch and list). */
  public record Describe(ActorRef<RoomState> replyTo) implements Command {}

  /**
   * Ends the running conference {@code conferenceSid} (REST {@code Status=completed}): everyone
   * leaves as on an {@code endConferenceOnExit}; replies whether it was running.
   */
  public record EndConference(String conferenceSid, ActorRef<Boolean> replyTo) implements Command {}

  /**
   * Mutes or unmutes, holds or unholds a participant and applies {@code changes} (REST
   * Participant update); replies its state, empty when it is not in the room's conference {@code
   * conferenceSid}.
   */
  public record UpdateParticipant(
      String conferenceSid,
      String callSid,
      Optional<Boolean> muted,
      Optional<Boolean> hold,
      ActorRef<Optional<ParticipantState>> replyTo,
      ParticipantChanges changes)
      implements Command {

    /** Mute and hold only. */
    public UpdateParticipant(String conferenceSid, String callSid, Optional<Boolean> muted,
        Optional<Boolean> hold, ActorRef<Optional<ParticipantState>> replyTo) {
      this(conferenceSid, callSid, muted, hold, replyTo, ParticipantChanges.NONE);
    }
  }

  /**
   * Takes a participant out of the conference (REST Participant delete): its call goes on after
   * its {@code <Dial>}; replies whether it was in.
   */
  public record RemoveParticipant(String conferenceSid, String callSid, ActorRef<Boolean> replyTo)
      implements Command {}

  /**
   * Plays {@code media} (ARI media URIs, in order) in the running conference {@code
   * conferenceSid} (REST {@code AnnounceUrl}): to everyone on its bridge, or to the participant
   * {@code callSid} alone on its channel; replies whether the conference (and participant) was
   * there.
   */
  public record Announce(String conferenceSid, Optional<String> callSid, List<String> media,
      ActorRef<Boolean> replyTo) implements Command {}

  /** What the REST API changed on a participant. */
  /** The {@link Leave} reason of a participant the REST API removed. */
  private static final String REMOVED_VIA_API = "removed-via-api";

  private record Member(String callSid, ChannelRef channel, Participant settings, ActorRef<Notice> notices, Instant joinedAt) {}

  private static final String TALK_DETECT_SET = "TALK_DETECT(set)";
  private static final String TALK_DETECT_REMOVE = "TALK_DETECT(remove)";

  private final ActorContext<Command> ctx;
  private final String name;
  private final AriPort ari;
  private final ConferenceCallbacks callbacks;
  private final ConferenceRecorder recorder;
  private Optional<ConferenceRecorder.Running> recording = Optional.empty();
  private final Map<String, ConferenceCoach> coaches = new LinkedHashMap<>();
  /** Participants on hold hearing their {@code HoldUrl} (not music on hold). */
  private final Set<String> holdDocuments = new java.util.HashSet<>();
  private int coachChanges = 1;
  private final Map<String, Member> members = new LinkedHashMap<>();
  private String conferenceSid;
  private String bridgeId;
  private String serverId;
  private CompletionStage<Done> bridgeReady;
  private boolean started;
  private int generation;
  private int beeps;
  private int announcements;
  private final ConferenceLedger ledger = new ConferenceLedger();
  private final ConferenceDurability durability;
  /** The first participant's settings (its {@code statusCallback} counts). */
  private Participant first;
  /** Participants of a conference taken back after a restart whose call has not asked again. */
  private final Set<String> awaitingRejoin = new HashSet<>();
  /** The channels the bridge of a taken-back conference held when the room asked Asterisk. */
  private Set<String> inBridge = Set.of();

  /**
   * How long a taken-back conference waits for a participant's call to ask for its place (or say
   * it is still in: every {@code ConferenceMembership.STILL_IN}, well within).
   */
  private static final Duration REJOIN_DEADLINE = Duration.ofMinutes(1);
  private static final int STASH_CAPACITY = 1000;
  private final Clock clock;
  private Instant created;
  private Instant updated;

  private ConferenceActor(ActorContext<Command> ctx, String name, AriPort ari, WebhookPort webhooks, String accountSid, Clock clock, ConferenceRecorder recorder) {
    this.ctx = ctx;
    this.name = name;
    this.ari = ari;
    this.recorder = recorder;
    this.callbacks = new ConferenceCallbacks(webhooks, accountSid, name, clock);
    this.clock = clock;
    this.durability = new ConferenceDurability(ctx, name);
  }

  /** The room {@code name} (the entity id). */
  public static Behavior<Command> create(String name, AriPort ari, WebhookPort webhooks, String accountSid, Clock clock) {
    return create(name, ari, webhooks, accountSid, clock, ConferenceRecorder.NONE);
  }

  /** The room {@code name}, recording its conferences through {@code recorder} when asked. */
  public static Behavior<Command> create(String name, AriPort ari, WebhookPort webhooks,
      String accountSid, Clock clock, ConferenceRecorder recorder) {
    return Behaviors.setup(ctx -> new ConferenceActor(ctx, name, ari, webhooks, accountSid, clock, recorder).begin());
  }

  /**
   * With a durable store the room first asks it whether a conference of an earlier incarnation
   * runs here ({@link ConferenceDurability}); everything else waits for the answer.
   */
  private Behavior<Command> begin() {
    if (!durability.durable()) {
      return room();
    }
    durability.load(Recovered::new);
    return Behaviors.withStash(STASH_CAPACITY, stash -> Behaviors.receive(Command.class)
        .onMessage(Recovered.class, r -> onRecovered(r, stash))
        .onMessage(BridgeFound.class, f -> onBridgeFound(f, stash))
        .onAnyMessage(m -> {
          if (stash.isFull()) {
            LOG.warn("conference {}: {} dropped while the store is asked", name, m);
          } else {
            stash.stash(m);
          }
          return Behaviors.same();
        })
        .build());
  }

  private Behavior<Command> onRecovered(Recovered recovered, StashBuffer<Command> stash) {
    if (recovered.record().isEmpty()) {
      return stash.unstashAll(room());
    }
    restore(recovered.record().get());
    ctx.pipeToSelf(ari.bridgeChannels(serverId, bridgeId), BridgeFound::new);
    return Behaviors.same();
  }

  /** The conference's state as it was stored; its participants' calls ask for their places. */
  private void restore(ConferenceRecord r) {
    generation = r.generation();
    conferenceSid = r.conferenceSid();
    bridgeId = r.bridgeId();
    serverId = r.serverId();
    created = r.created();
    updated = r.updated();
    started = r.started();
    first = r.first();
    beeps = r.beeps();
    announcements = r.announcements();
    callbacks.restore(conferenceSid, first, r.sequence());
    ActorRef<Notice> nobodyYet = ctx.getSystem().ignoreRef();
    for (ConferenceRecord.Member m : r.members()) {
      members.put(m.callSid(), new Member(m.callSid(), m.channel(), m.settings(), nobodyYet,
          m.joinedAt()));
      ledger.changed(m.callSid(), new ConferenceLedger.Control(m.muted(), m.hold(),
          m.controlUpdated()));
      awaitingRejoin.add(m.callSid());
    }
    recording = r.recording().flatMap(rec -> recorder.resume(serverId, bridgeId, conferenceSid,
        rec));
    LOG.info("conference {} ({}): taken back from the store with {} participants, {}", name,
        conferenceSid, members.size(), started ? "started" : "not started");
  }

  /** The bridge is adopted as it is, or made again when Asterisk lost it. */
  private Behavior<Command> onBridgeFound(BridgeFound found, StashBuffer<Command> stash) {
    if (found.error() != null) {
      LOG.warn("conference {}: asking Asterisk about bridge {} failed ({}); taken as it was",
          name, bridgeId, found.error().toString());
      inBridge = members.values().stream().map(m -> m.channel().channelId())
          .collect(java.util.stream.Collectors.toSet());
      bridgeReady = java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance());
    } else if (found.channels().isPresent()) {
      LOG.info("conference {}: bridge {} adopted with {} channels", name, bridgeId,
          found.channels().get().size());
      inBridge = Set.copyOf(found.channels().get());
      bridgeReady = java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance());
    } else {
      LOG.warn("conference {}: bridge {} is gone from {}; made again", name, bridgeId, serverId);
      inBridge = Set.of();
      bridgeReady = ari.createBridge(serverId, bridgeId, "mixing", name);
      pipe("createBridge", bridgeReady);
    }
    ctx.scheduleOnce(REJOIN_DEADLINE, ctx.getSelf(), new RejoinDeadline(conferenceSid));
    findCoaches();
    return stash.unstashAll(room());
  }

  /** The only behaviour: participants come and go; the room is empty between conferences. */
  private Behavior<Command> room() {
    return Behaviors.receive(Command.class)
        .onMessage(Join.class, this::onJoin)
        .onMessage(Leave.class, this::onLeave)
        .onMessage(Step.class, this::onStep)
        .onMessage(Describe.class, this::onDescribe)
        .onMessage(EndConference.class, this::onEndConference)
        .onMessage(UpdateParticipant.class, this::onUpdateParticipant)
        .onMessage(RemoveParticipant.class, this::onRemoveParticipant)
        .onMessage(Announce.class, this::onAnnounce)
        .onMessage(Speaking.class, this::onSpeaking)
        .onMessage(Rejoin.class, this::onRejoin)
        .onMessage(RejoinDeadline.class, this::onRejoinDeadline)
        .onMessage(CoachFound.class, this::onCoachFound)
        .build();
  }

  private Behavior<Command> onJoin(Join join) {
    Participant p = join.participant();
    if (members.containsKey(join.callSid())) {
      join.replyTo().tell(new Joined(conferenceSid));
      return Behaviors.same();
    }
    if (members.size() >= p.maxParticipants()) {
      join.replyTo().tell(new Refused("full"));
      return Behaviors.same();
    }
    if (serverId != null && !serverId.equals(join.channel().serverId())) {
      LOG.warn("conference {}: {} is on {}, the room on {}; refused", name, join.callSid(), join.channel().serverId(), serverId);
      join.replyTo().tell(new Refused("other-server"));
      return Behaviors.same();
    }
    Optional<Member> coached = p.coach().map(members::get);
    if (p.coach().isPresent() && coached.isEmpty()) {
      LOG.warn("conference {}: {} coaches {}, who is not in it (error 13240); refused", name,
          join.callSid(), p.coach().get());
      join.replyTo().tell(new Refused("invalid-coach"));
      return Behaviors.same();
    }
    if (members.isEmpty()) {
      open(join);
    }
    Member member = new Member(join.callSid(), join.channel(), p, join.notices(), Instant.now());
    members.put(join.callSid(), member);
    ledger.joined(join.callSid(), p.muted(), member.joinedAt());
    updated = clock.instant();
    CompletionStage<Done> inBridge = bridgeReady.thenCompose(d -> coached.isPresent()
        ? ari.addToBridgeMuted(serverId, bridgeId, join.channel().channelId())
        : ari.addToBridge(serverId, bridgeId, List.of(join.channel().channelId())));
    coached.ifPresent(m -> coaches.put(join.callSid(), ConferenceCoach.start(ari, join.callSid(),
        join.channel(), m.callSid(), m.channel(), inBridge, this::pipe)));
    CompletionStage<Done> added = inBridge;
    if (p.muted()) {
      added = added.thenCompose(d -> ari.mute(join.channel(), "in"));
    }
    pipe("addToBridge", added);
    join.replyTo().tell(new Joined(conferenceSid));
    callbacks.participant("participant-join", "join", member.callSid(), p, Map.of());
    if (callbacks.wants("speaker")) {
      pipe("talkDetect", added.thenCompose(d -> ari.setVariable(join.channel(), TALK_DETECT_SET, "")));
    }
    boolean canStart = members.size() >= 2 && members.values().stream().anyMatch(m -> m.settings().startConferenceOnEnter());
    if (!started && canStart) {
      start(added, beepsOn(p, "onEnter"));
    } else if (!started) {
      if (p.waitMusic()) {
        pipe("startMusicOnHold", added.thenCompose(d -> ari.startMusicOnHold(join.channel(), "default")));
      }
      join.notices().tell(new Waiting(conferenceSid));
    } else if (beepsOn(p, "onEnter")) {
      beep(added);
    }
    keep();
    return Behaviors.same();
  }

  private Behavior<Command> onRejoin(Rejoin rejoin) {
    Member was = members.get(rejoin.callSid());
    if (was == null && !rejoin.resumed()) {
      LOG.info("conference {}: {} says it is in, but is not: its conference is over", name,
          rejoin.callSid());
      rejoin.notices().tell(new Ended(conferenceSid == null ? "" : conferenceSid,
          "conference-ended"));
      return Behaviors.same();
    }
    if (was == null) {
      LOG.info("conference {}: {} asks for a place it does not have here; it joins", name,
          rejoin.callSid());
      return onJoin(new Join(rejoin.callSid(), rejoin.channel(), rejoin.participant(),
          rejoin.notices(), rejoin.replyTo()));
    }
    Member member = new Member(was.callSid(), rejoin.channel(), was.settings(), rejoin.notices(),
        was.joinedAt());
    members.put(member.callSid(), member);
    boolean takenBack = awaitingRejoin.remove(member.callSid());
    if (takenBack && !inBridge.contains(member.channel().channelId())) {
      LOG.info("conference {}: {} is back; its channel was out of the bridge: added again", name,
          member.callSid());
      ConferenceLedger.Control c = ledger.control(member.callSid(), member.settings(),
          member.joinedAt());
      boolean coaching = member.settings().coach().filter(members::containsKey).isPresent();
      CompletionStage<Done> added = bridgeReady.thenCompose(d -> coaching
          ? ari.addToBridgeMuted(serverId, bridgeId, member.channel().channelId())
          : ari.addToBridge(serverId, bridgeId, List.of(member.channel().channelId())));
      pipe("addToBridge", c.muted() || c.hold()
          ? added.thenCompose(d -> ari.mute(member.channel(), "in")) : added);
    }
    if (!rejoin.resumed()) {
      return Behaviors.same();
    }
    rejoin.replyTo().tell(new Joined(conferenceSid));
    if (!started) {
      rejoin.notices().tell(new Waiting(conferenceSid));
    }
    keep();
    return Behaviors.same();
  }

  private Behavior<Command> onRejoinDeadline(RejoinDeadline deadline) {
    if (!deadline.conferenceSid().equals(conferenceSid) || awaitingRejoin.isEmpty()) {
      return Behaviors.same();
    }
    for (String callSid : List.copyOf(awaitingRejoin)) {
      LOG.warn("conference {}: {} of the taken-back conference never came back; it left", name,
          callSid);
      awaitingRejoin.remove(callSid);
      onLeave(new Leave(callSid, "hangup"));
    }
    return Behaviors.same();
  }

  /**
   * The coaches of the taken-back conference: Asterisk is asked which of their pairs it still
   * holds ({@link CoachRestore}); each answer is a {@link CoachFound}.
   */
  private void findCoaches() {
    String server = serverId;
    for (Member m : members.values()) {
      if (m.settings().coach().isPresent()) {
        String coach = m.callSid();
        ctx.pipeToSelf(CoachRestore.find(ari, server, coach), (found, error) ->
            new CoachFound(server, found == null
                ? new CoachRestore.Found(coach, Map.of()) : found, error));
      }
    }
  }

  /**
   * A coach's pairs as Asterisk holds them after the restart: the whole one is taken back (its
   * whisper never stopped), the others are taken apart, and a coach still coaching without a whole
   * pair gets a new one. A coach or coached participant gone meanwhile (or the conference ended)
   * leaves nothing to take back: every piece found goes.
   */
  private Behavior<Command> onCoachFound(CoachFound found) {
    String coachSid = found.found().coachCallSid();
    if (found.error() != null) {
      LOG.warn("conference {}: asking Asterisk about the coaching pairs of {} failed ({}); they"
          + " are not taken back", name, coachSid, found.error().toString());
      return Behaviors.same();
    }
    Member coach = members.get(coachSid);
    Optional<Member> coached = Optional.ofNullable(coach).flatMap(c -> c.settings().coach())
        .map(members::get);
    boolean coaching = coached.isPresent() && found.serverId().equals(serverId)
        && !coaches.containsKey(coachSid);
    CoachRestore.Decision d = CoachRestore.decide(found.found(), coaching, coachChanges);
    String coachedSid = coached.map(Member::callSid).orElse("");
    Optional<Integer> live = Optional.ofNullable(coaches.get(coachSid))
        .map(ConferenceCoach::number);
    for (int n : d.takeApart()) {
      if (live.filter(l -> l == n).isPresent()) {
        continue; // made by a REST change while Asterisk was asked
      }
      ConferenceCoach.adopt(ari, found.serverId(), coachSid, coachedSid, n).stop(this::pipe);
    }
    d.adopt().ifPresent(n -> {
      LOG.info("conference {}: the coaching pair {} of {} taken back", name, n, coachSid);
      coaches.put(coachSid, ConferenceCoach.adopt(ari, serverId, coachSid, coachedSid, n));
      coachChanges = Math.max(coachChanges, n);
    });
    d.rebuild().ifPresent(n -> {
      LOG.info("conference {}: the coaching pair of {} was lost; made again ({})", name,
          coachSid, n);
      coachChanges = n;
      coaches.put(coachSid, ConferenceCoach.start(ari, coachSid, coach.channel(), coachedSid,
          coached.get().channel(), bridgeReady, this::pipe, n));
    });
    return Behaviors.same();
  }

  /** The running conference's boundary: its state replaces the stored one (durable store). */
  private void keep() {
    if (members.isEmpty() || !durability.durable()) {
      return;
    }
    List<ConferenceRecord.Member> kept = members.values().stream().map(m -> {
      ConferenceLedger.Control c = ledger.control(m.callSid(), m.settings(), m.joinedAt());
      return new ConferenceRecord.Member(m.callSid(), m.channel(), m.settings(), m.joinedAt(),
          c.muted(), c.hold(), c.updated());
    }).toList();
    durability.keep(new ConferenceRecord(conferenceSid, generation, bridgeId, serverId, created,
        updated, started, first, callbacks.sequence(), kept,
        recording.map(ConferenceRecorder.Running::stored), beeps, announcements));
  }

  private void open(Join first) {
    generation++;
    conferenceSid = Sids.random("CF");
    bridgeId = "conf-" + Sids.named("", name) + "-" + generation;
    serverId = first.channel().serverId();
    this.first = first.participant();
    callbacks.reset(conferenceSid, first.participant());
    created = clock.instant();
    updated = created;
    LOG.info("conference {} ({}) opens on {}", name, conferenceSid, serverId);
    bridgeReady = ari.createBridge(serverId, bridgeId, "mixing", name);
    pipe("createBridge", bridgeReady);
  }

  /**
   * The conference starts as a participant joins; the room beeps only if that participant's
   * {@code beep} is {@code true} or {@code onEnter} (Twilio: the beep announces a join).
   */
  private void start(CompletionStage<Done> after, boolean beep) {
    started = true;
    updated = clock.instant();
    LOG.info("conference {} starts with {} participants", name, members.size());
    for (Member m : members.values()) {
      if (m.settings().waitMusic()) {
        pipe("stopMusicOnHold", after.thenCompose(d -> ari.stopMusicOnHold(m.channel())));
      }
    }
    callbacks.conference("conference-start", "start", Map.of());
    if (beep) {
      beep(after);
    }
    members.values().forEach(m -> m.notices().tell(new Started(conferenceSid)));
    members.values().stream().filter(m -> m.settings().recording().isPresent()).findFirst()
        .ifPresent(m -> recording = recorder.start(serverId, bridgeId, conferenceSid,
            members.values().iterator().next().callSid(), m.settings().recording().get(), after));
  }

  private Behavior<Command> onLeave(Leave leave) {
    Member member = members.remove(leave.callSid());
    if (member == null) {
      return Behaviors.same();
    }
    boolean channelUp = !leave.reason().equals("hangup");
    stopCoaching(member.callSid());
    release(member, channelUp);
    ledger.left(leave.callSid());
    updated = clock.instant();
    callbacks.participant("participant-leave", "leave", member.callSid(), member.settings(),
        Map.of("ParticipantCallStatus",
            (channelUp ? CallStatus.IN_PROGRESS : CallStatus.COMPLETED).wire(),
            "ReasonParticipantLeft", channelUp ? "participant_updated_via_api" : "participant_hung_up"));
    if (started && member.settings().endConferenceOnExit()) {
      end(Optional.of(member), kicked(leave)
          ? "participant-with-end-conference-on-exit-kicked"
          : "participant-with-end-conference-on-exit-left");
    } else if (members.isEmpty()) {
      end(Optional.of(member), kicked(leave) ? "last-participant-kicked" : "last-participant-left");
    } else if (started && beepsOn(member.settings(), "onExit")) {
      beep(bridgeReady);
    }
    awaitingRejoin.remove(leave.callSid());
    keep();
    return Behaviors.same();
  }

  private void release(Member member, boolean channelUp) {
    if (!channelUp) {
      return;
    }
    Optional<ConferenceLedger.Control> control = ledger.control(member.callSid());
    if (control.map(ConferenceLedger.Control::hold).orElse(false)
        && !holdDocuments.remove(member.callSid())) {
      pipe("stopMusicOnHold", ari.stopMusicOnHold(member.channel()));
    }
    if (control.map(c -> c.muted() || c.hold()).orElse(false)) {
      pipe("unmute", ari.unmute(member.channel(), "in"));
    }
    if (!started && member.settings().waitMusic()) {
      pipe("stopMusicOnHold", ari.stopMusicOnHold(member.channel()));
    }
    if (callbacks.wants("speaker")) {
      pipe("talkDetect", ari.setVariable(member.channel(), TALK_DETECT_REMOVE, ""));
    }
    pipe("removeFromBridge", ari.removeFromBridge(serverId, bridgeId, member.channel().channelId()));
  }

  private void end(Optional<Member> by, String reason) {
    LOG.info("conference {} ends: {}", name, reason);
    keepEnded(by.map(Member::callSid), reason);
    coaches.values().forEach(c -> c.stop(this::pipe));
    coaches.clear();
    for (Member m : List.copyOf(members.values())) {
      release(m, true);
      m.notices().tell(new Ended(conferenceSid, reason));
      callbacks.participant("participant-leave", "leave", m.callSid(), m.settings(),
          Map.of("ParticipantCallStatus", CallStatus.IN_PROGRESS.wire(), "ReasonParticipantLeft", "moderator_ended_conference"));
    }
    members.clear();
    awaitingRejoin.clear();
    durability.forget();
    ledger.cleared();
    Map<String, String> extra = new LinkedHashMap<>();
    by.ifPresent(b -> extra.put("CallSidEndingConference", b.callSid()));
    by.flatMap(b -> b.settings().label())
        .ifPresent(l -> extra.put("ParticipantLabelEndingConference", l));
    extra.put("ReasonConferenceEnded", reason);
    extra.put("Reason", reason);
    callbacks.conference("conference-end", "end", extra);
    String server = serverId;
    String bridge = bridgeId;
    CompletionStage<Done> recorded = recording.map(ConferenceRecorder.Running::stop)
        .orElseGet(() -> java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance()));
    recording = Optional.empty();
    pipe("destroyBridge", recorded.thenCompose(d -> ari.destroyBridge(server, bridge)));
    started = false;
    serverId = null;
    bridgeReady = null;
  }

  /** The coaching pairs {@code callSid} is in (as coach or coached) come apart. */
  private void stopCoaching(String callSid) {
    coaches.values().removeIf(c -> {
      if (c.involves(callSid)) {
        c.stop(this::pipe);
        return true;
      }
      return false;
    });
  }

  private static boolean beepsOn(Participant p, String when) {
    return p.beep().equals("true") || p.beep().equals(when);
  }

  private void beep(CompletionStage<Done> after) {
    String server = serverId;
    String bridge = bridgeId;
    String id = bridge + "-beep-" + (++beeps);
    pipe("beep", after.thenCompose(d -> ari.playOnBridge(server, bridge, id, List.of("sound:beep"))));
  }

  private void pipe(String what, CompletionStage<Done> stage) {
    ctx.pipeToSelf(stage, (ok, error) -> new Step(what, error));
  }

  private Behavior<Command> onStep(Step step) {
    if (step.error() != null) {
      LOG.warn("conference {}: {} failed: {}", name, step.what(), step.error().getMessage());
    }
    return Behaviors.same();
  }

  private Behavior<Command> onDescribe(Describe describe) {
    Optional<ConferenceState> running = members.isEmpty() ? Optional.empty()
        : Optional.of(current(started ? "in-progress" : "init", Optional.empty(), Optional.empty()));
    describe.replyTo().tell(new RoomState(name, ledger.describe(running)));
    return Behaviors.same();
  }

  private ConferenceState current(
      String status, Optional<String> reason, Optional<String> endedBy) {
    List<ParticipantState> participants = members.values().stream()
        .map(this::participantState).toList();
    return new ConferenceState(conferenceSid, name, status, created, updated, reason, endedBy,
        participants);
  }

  private ParticipantState participantState(Member m) {
    return ledger.participant(conferenceSid, m.callSid(), m.settings(), m.joinedAt());
  }

  /** The conference about to end, kept (without participants) for the REST list. */
  private void keepEnded(Optional<String> endedBy, String reason) {
    updated = clock.instant();
    ledger.ended(current("completed", Optional.of(reason), endedBy));
  }

  private boolean running(String sid) {
    return !members.isEmpty() && sid.equals(conferenceSid);
  }

  private Behavior<Command> onEndConference(EndConference command) {
    if (!running(command.conferenceSid())) {
      command.replyTo().tell(false);
      return Behaviors.same();
    }
    end(Optional.empty(), "conference-ended-via-api");
    command.replyTo().tell(true);
    return Behaviors.same();
  }

  private Behavior<Command> onUpdateParticipant(UpdateParticipant command) {
    Member m = running(command.conferenceSid()) ? members.get(command.callSid()) : null;
    if (m == null) {
      command.replyTo().tell(Optional.empty());
      return Behaviors.same();
    }
    m = revise(m, command.changes());
    ConferenceLedger.Control before = ledger.control(m.callSid(), m.settings(), m.joinedAt());
    ConferenceLedger.Control after = new ConferenceLedger.Control(
        command.muted().orElse(before.muted()), command.hold().orElse(before.hold()),
        clock.instant());
    ledger.changed(m.callSid(), after);
    updated = after.updated();
    if (after.hold() != before.hold()) {
      if (after.hold() && command.changes().holdUrl().isPresent()) {
        holdDocuments.add(m.callSid());
        m.notices().tell(new ParticipantAudio(conferenceSid, command.changes().holdUrl(),
            command.changes().holdMethod()));
      } else if (!after.hold() && holdDocuments.remove(m.callSid())) {
        m.notices().tell(new ParticipantAudio(conferenceSid, Optional.empty(), Method.GET));
      } else {
        pipe(after.hold() ? "startMusicOnHold" : "stopMusicOnHold", after.hold()
            ? ari.startMusicOnHold(m.channel(), "default") : ari.stopMusicOnHold(m.channel()));
      }
      callbacks.participant(after.hold() ? "participant-hold" : "participant-unhold", "hold",
          m.callSid(), m.settings(), after.muted(), after.hold(), Map.of());
    }
    boolean silentBefore = before.muted() || before.hold();
    boolean silentAfter = after.muted() || after.hold();
    if (silentBefore != silentAfter) {
      pipe(silentAfter ? "mute" : "unmute",
          silentAfter ? ari.mute(m.channel(), "in") : ari.unmute(m.channel(), "in"));
    }
    if (after.muted() != before.muted()) {
      callbacks.participant(after.muted() ? "participant-mute" : "participant-unmute", "mute",
          m.callSid(), m.settings(), after.muted(), after.hold(), Map.of());
    }
    command.replyTo().tell(Optional.of(participantState(m)));
    keep();
    return Behaviors.same();
  }

  /**
   * Applies the REST update's {@code changes} to {@code m}'s settings (exit beep, ending the
   * conference on exit, wait audio, coaching); answers the member as it now is. A coach of
   * someone not in the conference (or of itself) is refused with a warning (Twilio's 13240).
   */
  private Member revise(Member m, ParticipantChanges changes) {
    if (changes.equals(ParticipantChanges.NONE)) {
      return m;
    }
    Optional<String> coach = changes.coachAfter(m.settings().coach());
    if (coach.isPresent() && (coach.get().equals(m.callSid()) || !members.containsKey(coach.get()))) {
      LOG.warn("conference {}: {} cannot coach {}, who is not in it (error 13240)", name,
          m.callSid(), coach.get());
      coach = m.settings().coach();
    }
    Member revised = new Member(m.callSid(), m.channel(),
        changes.applyTo(m.settings(), coach, started), m.notices(), m.joinedAt());
    members.put(m.callSid(), revised);
    if (!coach.equals(m.settings().coach())) {
      Optional<Member> coached = coach.map(members::get);
      CoachSwitch.change(ari, serverId, bridgeId, m.callSid(), m.channel(),
          Optional.ofNullable(coaches.remove(m.callSid())), coach,
          coached.map(Member::channel), ++coachChanges, this::pipe)
          .ifPresent(c -> coaches.put(m.callSid(), c));
    }
    if (changes.waitUrl().isPresent() && !started) {
      if (m.settings().waitMusic()) {
        pipe("stopMusicOnHold", ari.stopMusicOnHold(m.channel()));
      }
      m.notices().tell(new ParticipantAudio(conferenceSid, changes.waitUrl(),
          changes.waitMethod()));
    }
    return revised;
  }

  private Behavior<Command> onRemoveParticipant(RemoveParticipant command) {
    Member m = running(command.conferenceSid()) ? members.get(command.callSid()) : null;
    if (m == null) {
      command.replyTo().tell(false);
      return Behaviors.same();
    }
    m.notices().tell(new Ended(conferenceSid, "participant-removed-via-api"));
    command.replyTo().tell(true);
    return onLeave(new Leave(m.callSid(), REMOVED_VIA_API));
  }

  private Behavior<Command> onAnnounce(Announce command) {
    Member to = command.callSid().map(members::get).orElse(null);
    if (!running(command.conferenceSid()) || command.callSid().isPresent() && to == null) {
      command.replyTo().tell(false);
      return Behaviors.same();
    }
    String id = (to == null ? bridgeId : to.callSid()) + "-announce-" + (++announcements);
    String server = serverId;
    String bridge = bridgeId;
    pipe("announce", to == null
        ? bridgeReady.thenCompose(d -> ari.playOnBridge(server, bridge, id, command.media()))
        : ari.play(to.channel(), id, command.media()));
    command.replyTo().tell(true);
    keep();
    return Behaviors.same();
  }

  private Behavior<Command> onSpeaking(Speaking speaking) {
    Member m = members.get(speaking.callSid());
    if (m != null) {
      ConferenceLedger.Control c = ledger.control(m.callSid(), m.settings(), m.joinedAt());
      callbacks.participant(speaking.talking() ? "participant-speech-start" : "participant-speech-stop",
          "speaker", m.callSid(), m.settings(), c.muted(), c.hold(), Map.of());
      keep();
    }
    return Behaviors.same();
  }

  private static boolean kicked(Leave leave) {
    return leave.reason().equals(REMOVED_VIA_API);
  }
}
