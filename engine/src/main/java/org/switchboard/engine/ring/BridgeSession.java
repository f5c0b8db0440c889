package org.switchboard.engine.ring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Sids;
import org.switchboard.engine.port.SoundSpan;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.queue.QueueActor;
import org.switchboard.engine.queue.QueueNotice;
import org.switchboard.engine.twiml.verb.DequeueResult;
import org.switchboard.engine.twiml.verb.QueueResult;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.RecordingEvent;
import org.switchboard.engine.twiml.verb.Trim;

/**
 * The bridged part of a {@link DialSession}: answers the parent when answerOnBridge, creates the
 * bridge {@code <parentCallSid>-br-<n>}, adds both channels in one call, records it when asked,
 * runs the timeLimit timer and hangupOnStar, takes the callee's SIP REFER when {@code referUrl}
 * ({@link #onRefer}), and tears down when either side goes. Only a callee
 * leg is hung up at the end; a dequeued queue member is told {@link QueueNotice.BridgeEnded} and
 * goes on with its script.
 *
 * <p>A recorded bridge is not destroyed while its recording runs: the app hears of a bridge
 * recording through its subscription to the bridge, and Asterisk emits the single {@code
 * RecordingFinished} of a recording whose bridge went after that subscription ended, so it would
 * never arrive. The session stops the recording, waits for its end (at most {@code
 * recording-grace}), then destroys the bridge; when the end never comes it reads the stored
 * recording's length from Asterisk and still sends the recording callback. A session stopped
 * from outside (the parent's teardown grace) with its recording unreported does the same from
 * {@code PostStop}.
 */
final class BridgeSession {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeSession.class);

  /** The other party: a callee leg ({@code leg}) or a dequeued queue member. */
  record Peer(String callSid, ChannelRef channel, boolean leg) {}

  /**
   * The queue a member came from; {@code takenBack} when the bridge was taken back after a restart,
   * so the member's membership is gone and its call entity is told its Enqueue result instead.
   */
  record QueueInfo(String queueSid, String queueName, QueueActor.Member member,
      int queueTimeSeconds, boolean takenBack) {
    QueueInfo(String queueSid, String queueName, QueueActor.Member member, int queueTimeSeconds) {
      this(queueSid, queueName, member, queueTimeSeconds, false);
    }
  }

  private static final String TIME_LIMIT = "timeLimit";
  private static final String PEER_GRACE = "peerGrace";
  private static final String RECORDING_GRACE = "recordingGrace";
  private static final String RESUMED_BRIDGE = "resumedBridge";

  private final TimerScheduler<DialSession.Command> timers;
  private final DialSession session;
  private final ParentCall parent;
  private final Dial dial;
  private final DialContext ctx;
  private final Peer peer;
  private final Optional<QueueInfo> queue;
  private final String bridgeId;
  private final String recordingSid;
  private final DialRecording recording;

  private boolean bridgeUp;
  private boolean bridgeSettled;
  private boolean memberTold;
  private boolean failed;
  private boolean ending;
  private boolean peerEnded;
  private OptionalInt peerDuration = OptionalInt.empty();
  private Instant bridgedAt;
  private Instant endedAt;
  private boolean recordingStarted;
  private boolean recordingDone;
  private boolean bridgeDestroyed;
  private boolean lookingUpRecording;
  private boolean watchMember;
  private OptionalInt recordingDuration = OptionalInt.empty();
  /** {@code <Dial referUrl>}: the callee's REFER target (its user part) the dial ends with. */
  private Optional<String> referTarget = Optional.empty();
  /** {@code trim="trim-silence"}: the finished recording is being measured. */
  private boolean measuring;
  /** The part of the recording served, once measured; empty: all of it. */
  private Optional<SoundSpan> kept = Optional.empty();
  private CompletableFuture<List<Map.Entry<String, String>>> sipFacts =
      CompletableFuture.completedFuture(List.of());

  BridgeSession(
      TimerScheduler<DialSession.Command> timers,
      DialSession session,
      Peer peer,
      Optional<QueueInfo> queue) {
    this(timers, session, peer, queue, Sids.random("RE"));
  }

  /** As the four-argument form, the dial recording (if any) named {@code recordingSid}. */
  BridgeSession(
      TimerScheduler<DialSession.Command> timers,
      DialSession session,
      Peer peer,
      Optional<QueueInfo> queue,
      String recordingSid) {
    this.recordingSid = recordingSid;
    this.timers = timers;
    this.session = session;
    this.parent = session.parent();
    this.dial = session.dial();
    this.ctx = session.ctx();
    this.peer = peer;
    this.queue = queue;
    this.bridgeId = parent.bridgeId();
    this.recording = new DialRecording(ctx.ari(), parent.callSid(), parent.channel(),
        recordingSid, dial.record().dual(), dial.recordingTrack());
  }

  Behavior<DialSession.Command> start() {
    AriPort ari = ctx.ari();
    String server = parent.channel().serverId();
    CompletionStage<Done> ready =
        dial.answerOnBridge() && !parent.answered()
            ? ari.answer(parent.channel())
            : CompletableFuture.completedFuture(Done.getInstance());
    String type = dial.hangupOnStar() ? "mixing,dtmf_events" : "mixing";
    CompletionStage<Done> bridged =
        ready
            .thenCompose(d -> ari.createBridge(server, bridgeId, type, bridgeId))
            .thenCompose(
                d ->
                    ari.addToBridge(
                        server, bridgeId, List.of(parent.channel().channelId(), peer.channel().channelId())));
    session.pipe("bridge", bridged);
    if (peer.leg() && dial.referUrl().isPresent()) {
      // A REFER from the callee then reaches the application as ChannelTransfer (onRefer) instead
      // of Asterisk's own transfer; on a channel of another technology Asterisk answers 204 and
      // only logs a WARNING (its transfers stay Asterisk's).
      session.pipe("transferHandling",
          ari.setVariable(peer.channel(), "PJSIP_TRANSFER_HANDLING()", "ari-only"));
    }
    if (peer.leg() && DialSipFacts.sipDial(dial)) {
      sipFacts = DialSipFacts.answered(ari, peer.channel()).toCompletableFuture();
    }
    return active();
  }

  /**
   * As {@link #start}, to a caller a dial taken back after a restart had taken out of its queue
   * before: once bridged the caller's call entity is watched ({@link CallCommand.WatchEnd}) and
   * when the bridge ends it is told its Enqueue result, as in {@link #resumedWithMember}.
   */
  Behavior<DialSession.Command> startWithMemberTakenBack() {
    watchMember = true;
    return start();
  }

  /**
   * The bridge to the leg, up since {@code since} before a restart, taken back: Asterisk is asked
   * whether the bridge still holds both channels ({@code GET /bridges/{id}}; if not the dial ends
   * as if a side had left), the timeLimit runs for what is left of it, and a recording that
   * {@code recordingStarted} is left running to be stopped and reported at the end as usual.
   */
  Behavior<DialSession.Command> resumed(Instant since, boolean recordingStarted) {
    bridgeUp = true;
    bridgeSettled = true;
    bridgedAt = since;
    this.recordingStarted = recordingStarted;
    Duration left = Duration.ofSeconds(dial.timeLimit())
        .minus(Duration.between(since, ctx.settings().clock().instant()));
    timers.startSingleTimer(TIME_LIMIT, new DialSession.Tick(TIME_LIMIT),
        left.isNegative() ? Duration.ZERO : left);
    List<String> both = List.of(parent.channel().channelId(), peer.channel().channelId());
    session.pipe(RESUMED_BRIDGE, ctx.ari().bridgeChannels(parent.channel().serverId(), bridgeId)
        .thenApply(members -> {
          if (members.filter(m -> m.containsAll(both)).isEmpty()) {
            throw new IllegalStateException("bridge " + bridgeId + " no longer holds "
                + both + " (" + members.map(Object::toString).orElse("gone") + ")");
          }
          return Done.getInstance();
        }));
    return active();
  }

  /**
   * As {@link #resumed}, the bridge to a caller taken out of its queue ({@code <Dial><Queue>}):
   * once Asterisk confirmed the bridge, the caller's call entity is watched ({@link
   * CallCommand.WatchEnd}: its end is the member's hangup), and when the bridge ends the caller's
   * entity is told its Enqueue result.
   */
  Behavior<DialSession.Command> resumedWithMember(Instant since, boolean recordingStarted) {
    watchMember = true;
    return resumed(since, recordingStarted);
  }

  /**
   * Bridging, then bridged, then ending: waits for the bridge setup result, the parent's events
   * (hangup, {@code *}, recording events), the peer's end, {@link DialSession.Cancel} and the
   * TIME_LIMIT, PEER_GRACE and RECORDING_GRACE timers. Replies {@link DialEnded} once the peer
   * leg's final report and the recording's end are in (or their grace expired).
   */
  private Behavior<DialSession.Command> active() {
    return Behaviors.receive(DialSession.Command.class)
        .onMessage(DialSession.Step.class, this::onStep)
        .onMessage(DialSession.ParentEvent.class, e -> onParentEvent(e.event()))
        .onMessage(DialSession.Ring.class, this::onRing)
        .onMessage(DialSession.Member.class, this::onMember)
        .onMessage(DialSession.Cancel.class, c -> end())
        .onMessage(DialSession.Tick.class, this::onTick)
        .onMessage(DialSession.StoredRecording.class, this::onStoredRecording)
        .onMessage(DialSession.RecordingMeasured.class, this::onMeasured)
        .onMessage(DialSession.ServerResynced.class, session::takeLegsBack)
        .onSignal(PostStop.class, stop -> onStopped())
        .build();
  }

  /**
   * Stopped from outside (the parent call's teardown) before the member heard how its bridge
   * ended: the bridge goes and the member is put back at the front of its queue, never left
   * waiting for a notice that cannot come. Stopped because the node hands its calls over, a
   * bridge to a leg stays as it is: the dial is taken back on another node from its durable
   * state, bridge and recording included.
   */
  private Behavior<DialSession.Command> onStopped() {
    if (queue.isEmpty() && session.handingOver()) {
      LOG.info("{} moves to another node with its call; the bridge to {} stays up", parent.callSid(),
          peer.callSid());
      return Behaviors.same();
    }
    boolean recordingUnreported = dial.record().records() && bridgeUp && !recordingDone;
    if (!memberTold && !peerEnded && queue.isPresent()) {
      LOG.warn("{} stopped before the bridge to dequeued {} settled; the bridge goes",
          parent.callSid(), peer.callSid());
      bridgeUp = false;
      tellMember();
      if (!bridgeDestroyed) {
        bridgeDestroyed = true;
        ctx.ari().destroyBridge(parent.channel().serverId(), bridgeId);
      }
    }
    if (recordingUnreported) {
      reportRecordingAfterStop();
    }
    return Behaviors.same();
  }

  /**
   * Stopped (the parent's teardown grace ran out) while its recording's end was still awaited or
   * being read from the stored file: the bridge goes, and the stored recording is read once more
   * outside the actor, so the recording callback is still sent.
   */
  private void reportRecordingAfterStop() {
    recordingDone = true;
    String server = parent.channel().serverId();
    LOG.warn("{} stopped before the end of its dial recording {}; reading the stored recording",
        parent.callSid(), recordingSid);
    if (!bridgeDestroyed) {
      bridgeDestroyed = true;
      ctx.ari().destroyBridge(server, bridgeId);
    }
    boolean started = recordingStarted;
    recording.release();
    ctx.ari().storedRecording(server, recording.names().get(0)).whenComplete((stored, error) -> {
      Optional<AriPort.StoredRecording> found = stored == null ? Optional.empty() : stored;
      if (found.isPresent()) {
        recordingCallback(RecordingEvent.COMPLETED, "completed",
            OptionalInt.of(found.get().durationSeconds()));
      } else {
        LOG.error("{} dial recording {} has no end and no stored file: {}", parent.callSid(),
            recordingSid, error == null ? "not stored" : error.getMessage());
        if (started) {
          recordingCallback(RecordingEvent.ABSENT, "absent", OptionalInt.empty());
        }
      }
    });
  }

  private Behavior<DialSession.Command> onStep(DialSession.Step step) {
    if (step.what().equals("bridge")) {
      bridgeSettled = true;
      if (step.error().isPresent()) {
        LOG.error("{} bridging {} failed: {}", parent.callSid(), peer.callSid(), step.error().get().getMessage());
        failed = true;
        removePeerFromBridge();
        if (ending) {
          tellMember();
          return maybeFinish();
        }
        return end();
      }
      bridgeUp = true;
      bridgedAt = ctx.settings().clock().instant();
      session.bridgeUp(peer, bridgedAt, recordingSid, queue);
      if (watchMember && !ending) {
        session.watchMember(peer.callSid());
      }
      if (ending) {
        destroyBridge();
        tellMember();
        return maybeFinish();
      }
      timers.startSingleTimer(TIME_LIMIT, new DialSession.Tick(TIME_LIMIT), Duration.ofSeconds(dial.timeLimit()));
      if (dial.record().records()) {
        session.pipe("record", recording.start(bridgeId));
      }
      return Behaviors.same();
    }
    if (step.what().equals(RESUMED_BRIDGE) && step.error().isPresent()) {
      LOG.warn("{} after the restart: {}; the dial ends", parent.callSid(),
          step.error().get().getMessage());
      return end();
    }
    if (step.what().equals(RESUMED_BRIDGE) && watchMember && !ending) {
      session.watchMember(peer.callSid());
    }
    if (step.what().equals("record") && step.error().isPresent()) {
      recordingDone = true;
    }
    return session.onStep(step);
  }

  private Behavior<DialSession.Command> onParentEvent(ChannelEvent event) {
    if (session.isParentGone(event)) {
      session.markParentGone();
      return end();
    }
    boolean ours = event.bridgeId().filter(bridgeId::equals).isPresent();
    if (event instanceof ChannelEvent.EnteredBridge && ours) {
      bridgeUp = true;
    }
    if (event instanceof ChannelEvent.DtmfReceived dtmf
        && dial.hangupOnStar()
        && bridgeUp
        && "*".equals(dtmf.digit())) {
      LOG.debug("{} hangupOnStar", parent.callSid());
      return end();
    }
    if (event instanceof ChannelEvent.LeftBridge && ours && !ending) {
      return end();
    }
    if (event instanceof ChannelEvent.TransferRequested refer && refer.state().isEmpty()
        && peer.leg() && refer.transferer().equals(peer.channel().channelId())) {
      return onRefer(refer);
    }
    if (event instanceof ChannelEvent.RecordingStarted started
        && recording.matches(started.name())) {
      if (recording.onStarted(started.name())) {
        recordingStarted = true;
        session.recordingStarted();
        recordingCallback(RecordingEvent.IN_PROGRESS, RecordingEvent.IN_PROGRESS.wire(),
            OptionalInt.empty());
      }
    } else if (event instanceof ChannelEvent.RecordingFinished finished
        && recording.matches(finished.name()) && !recordingDone) {
      OptionalInt total = recording.onFinished(finished.name(), finished.durationSeconds());
      if (total.isEmpty()) {
        return Behaviors.same();
      }
      recordingStarted = true;
      recordingDuration = total;
      if (dial.trim() == Trim.TRIM_SILENCE && !measuring) {
        measuring = true;
        session.measureRecording(recordingSid, recording.names());
        return Behaviors.same();
      }
      return recordingComplete();
    } else if (event instanceof ChannelEvent.RecordingFailed failure
        && recording.matches(failure.name()) && !recordingDone) {
      LOG.warn("{} dial recording failed: {}", parent.callSid(), failure.cause());
      recordingDone = true;
      recordingCallback(RecordingEvent.ABSENT, "absent", OptionalInt.empty());
      return ending ? recordingEnded() : Behaviors.same();
    }
    return Behaviors.same();
  }

  /**
   * The callee sent a SIP REFER (blind transfer). With {@code referUrl} the transfer is taken:
   * Asterisk tells the callee's phone it succeeded ({@code NOTIFY} 200, after which it hangs up),
   * the callee's leg is hung up and the dial ends; the caller's script then requests {@code
   * referUrl} with {@code ReferTransferTarget} and runs what it returns. Without {@code referUrl}
   * the REFER is declined ({@code NOTIFY} 603; Twilio's error 13802) and the parties stay
   * bridged. An attended transfer (a {@code Replaces} target, no destination) is declined too.
   */
  private Behavior<DialSession.Command> onRefer(ChannelEvent.TransferRequested refer) {
    if (ending || referTarget.isPresent()) {
      return Behaviors.same();
    }
    if (dial.referUrl().isEmpty() || refer.destination().isEmpty()) {
      LOG.warn("{}: {} sent a REFER{} but {}; declined, the call stays bridged (Twilio error "
              + "13802)", parent.callSid(), peer.callSid(),
          refer.destination().isEmpty() ? " without a destination" : " to " + refer.destination(),
          dial.referUrl().isEmpty() ? "the <Dial> has no referUrl" : "only blind transfers are taken");
      session.pipe("declineTransfer", ctx.ari().transferProgress(peer.channel(), "channel_declined"));
      return Behaviors.same();
    }
    LOG.info("{}: {} transfers the call to {}; requesting the referUrl", parent.callSid(),
        peer.callSid(), refer.destination());
    referTarget = Optional.of(refer.destination());
    session.pipe("acceptTransfer", ctx.ari().transferProgress(peer.channel(), "channel_answered"));
    return end();
  }

  /** The recording is over (and measured when trimmed): its callback, then the bridge can go. */
  private Behavior<DialSession.Command> recordingComplete() {
    recordingDone = true;
    boolean silent = kept.filter(SoundSpan::silent).isPresent();
    RecordingEvent event = silent ? RecordingEvent.ABSENT : RecordingEvent.COMPLETED;
    recordingCallback(event, event.wire(), recordingDuration);
    return ending ? recordingEnded() : Behaviors.same();
  }

  /**
   * {@code trim="trim-silence"}: the finished recording was measured; its duration becomes the
   * kept span's (a recording that could not be measured is kept whole, logged).
   */
  private Behavior<DialSession.Command> onMeasured(DialSession.RecordingMeasured measured) {
    if (!measuring || recordingDone || !measured.sid().equals(recordingSid)) {
      return Behaviors.same();
    }
    measuring = false;
    kept = measured.kept();
    kept.ifPresent(k -> recordingDuration = OptionalInt.of(k.seconds()));
    return recordingComplete();
  }

  private Behavior<DialSession.Command> onRing(DialSession.Ring ring) {
    if (ring.outcome() instanceof RingOutcome.WinnerEnded ended && peer.leg()) {
      peerEnded = true;
      peerDuration = OptionalInt.of(ended.ended().durationSeconds());
      return ending ? maybeFinish() : end();
    }
    return Behaviors.same();
  }

  private Behavior<DialSession.Command> onMember(DialSession.Member member) {
    if (member.reply() instanceof QueueNotice.MemberGone gone && gone.callSid().equals(peer.callSid())) {
      peerEnded = true;
      return ending ? maybeFinish() : end();
    }
    return Behaviors.same();
  }

  private Behavior<DialSession.Command> onTick(DialSession.Tick tick) {
    switch (tick.key()) {
      case TIME_LIMIT -> {
        return end();
      }
      case PEER_GRACE -> peerEnded = true;
      case RECORDING_GRACE -> {
        return recordingOverdue();
      }
      default -> {
        return Behaviors.same();
      }
    }
    return maybeFinish();
  }

  private Behavior<DialSession.Command> end() {
    if (ending) {
      return Behaviors.same();
    }
    ending = true;
    endedAt = ctx.settings().clock().instant();
    timers.cancel(TIME_LIMIT);
    if (peer.leg() && !peerEnded) {
      ctx.callEntities().apply(peer.callSid()).tell(new CallCommand.HangUp("dial-ended"));
      timers.startSingleTimer(PEER_GRACE, new DialSession.Tick(PEER_GRACE), ctx.settings().linger());
    }
    boolean recordingRuns = dial.record().records() && bridgeUp && !recordingDone && !measuring;
    if (recordingRuns) {
      session.pipe("stopRecording", recording.stop());
    } else {
      destroyBridge();
    }
    if (bridgeSettled) {
      tellMember();
    }
    if (recordingRuns) {
      timers.startSingleTimer(RECORDING_GRACE, new DialSession.Tick(RECORDING_GRACE), ctx.settings().recordingGrace());
    }
    return maybeFinish();
  }

  /**
   * Tells a dequeued member how its bridge ended, once the bridge setup result is known: {@link
   * QueueNotice.BridgeEnded} when it was bridged; when the bridge could not be made (the dequeuer's
   * channel already gone, say) {@link QueueNotice.DequeueAborted} and a {@link QueueActor.Requeue}
   * at the front with its original enqueue time, so the caller waits again instead of being
   * stranded or sent on as {@code bridged}.
   */
  private void tellMember() {
    if (memberTold || peerEnded || queue.isEmpty()) {
      return;
    }
    memberTold = true;
    QueueInfo q = queue.get();
    if (q.takenBack()) {
      QueueNotice.BridgeEnded ended = new QueueNotice.BridgeEnded(q.queueSid(),
          (bridgeUp ? QueueResult.BRIDGED : QueueResult.SYSTEM_ERROR).wire(),
          q.queueTimeSeconds(), bridgedSeconds());
      ctx.callEntities().apply(peer.callSid())
          .tell(new CallCommand.QueueLeft(ended.queueResult(), ended.actionParams()));
    } else if (bridgeUp) {
      q.member().notices().tell(new QueueNotice.BridgeEnded(q.queueSid(), QueueResult.BRIDGED.wire(), q.queueTimeSeconds(), bridgedSeconds()));
    } else {
      LOG.info("{} bridge to dequeued {} not made; {} goes back to the front of its queue",
          parent.callSid(), peer.callSid(), peer.callSid());
      ctx.queues().apply(q.queueName()).tell(new QueueActor.Requeue(q.member()));
      q.member().notices().tell(new QueueNotice.DequeueAborted(q.queueSid()));
    }
  }

  /**
   * After a failed {@code addChannel} the peer's channel may still have been added (Asterisk
   * adds channel by channel): it is taken out before the bridge is destroyed, so a caller going
   * back to its queue is never left in a dead bridge. An error (not in the bridge) is expected.
   */
  private void removePeerFromBridge() {
    bridgeDestroyed = true;
    String server = parent.channel().serverId();
    session.pipe(
        "destroyBridge",
        ctx.ari()
            .removeFromBridge(server, bridgeId, peer.channel().channelId())
            .handle((d, e) -> d)
            .thenCompose(d -> ctx.ari().destroyBridge(server, bridgeId)));
  }

  private void destroyBridge() {
    if (!bridgeDestroyed) {
      bridgeDestroyed = true;
      session.pipe("destroyBridge", ctx.ari().destroyBridge(parent.channel().serverId(), bridgeId));
    }
  }

  /** The recording's end arrived while ending: the bridge can go now. */
  private Behavior<DialSession.Command> recordingEnded() {
    timers.cancel(RECORDING_GRACE);
    destroyBridge();
    return maybeFinish();
  }

  /**
   * RECORDING_GRACE expired without the recording's end: destroys the bridge and asks Asterisk
   * for the stored file; {@link #onStoredRecording} finishes the dial.
   */
  private Behavior<DialSession.Command> recordingOverdue() {
    destroyBridge();
    if (recordingDone || lookingUpRecording || measuring) {
      return maybeFinish();
    }
    // A parent that is a leg (API /ring) hands its events to LegActor once its TwiML is over,
    // which does not pass its bridges' events on: without the parent this is expected.
    if (session.parentGone()) {
      LOG.info("{} (gone) no RecordingFinished for {} within {}; reading the stored recording",
          parent.callSid(), recordingSid, ctx.settings().recordingGrace());
    } else {
      LOG.warn("{} no RecordingFinished for {} within {}; reading the stored recording",
          parent.callSid(), recordingSid, ctx.settings().recordingGrace());
    }
    lookingUpRecording = true;
    recording.release();
    session.lookUpStoredRecording(recording.names().get(0));
    return Behaviors.same();
  }

  private Behavior<DialSession.Command> onStoredRecording(DialSession.StoredRecording stored) {
    if (recordingDone || !recording.matches(stored.name())) {
      return Behaviors.same();
    }
    recordingDone = true;
    if (stored.seconds().isPresent()) {
      recordingStarted = true;
      recordingDuration = OptionalInt.of(stored.seconds().get());
      recordingCallback(RecordingEvent.COMPLETED, RecordingEvent.COMPLETED.wire(), recordingDuration);
    } else {
      LOG.error("{} dial recording {} has no end and no stored file: {}", parent.callSid(), recordingSid,
          stored.error().map(Throwable::getMessage).orElse("unknown"));
      if (recordingStarted) {
        recordingCallback(RecordingEvent.ABSENT, "absent", OptionalInt.empty());
      }
    }
    return maybeFinish();
  }

  private Behavior<DialSession.Command> maybeFinish() {
    boolean peerDone = !peer.leg() || peerEnded;
    boolean recordingOver = !dial.record().records() || !bridgeUp || recordingDone;
    boolean memberDone = queue.isEmpty() || peerEnded || memberTold;
    if (!ending || !peerDone || !recordingOver || !memberDone) {
      return Behaviors.same();
    }
    if (!bridgeUp && !failed) {
      LOG.info("{} dial to {} ended before its bridge was up", parent.callSid(), peer.callSid());
    }
    int duration = peerDuration.orElse(bridgedSeconds());
    Optional<DialEnded.Recording> recording =
        dial.record().records() && bridgeUp && recordingStarted
            ? Optional.of(new DialEnded.Recording(recordingSid, ctx.recordingUrl().apply(recordingSid), recordingDuration,
                this.recording.channels(), kept))
            : Optional.empty();
    Optional<DialEnded.QueueDequeue> dequeue =
        queue.map(q -> new DialEnded.QueueDequeue(q.queueSid(), (bridgeUp ? DequeueResult.BRIDGED : DequeueResult.SYSTEM_ERROR).wire(),
            Optional.of(peer.callSid()), q.queueTimeSeconds(), duration));
    return session.finish(
        new DialEnded(
            failed ? DialStatuses.FAILED : DialStatuses.COMPLETED,
            Optional.of(peer.callSid()),
            bridgeUp ? OptionalInt.of(duration) : OptionalInt.empty(),
            bridgeUp,
            session.parentGone(),
            recording,
            dequeue,
            withReferral(sipFacts.getNow(DialSipFacts.sipDial(dial) && peer.leg()
                ? List.of(Map.entry("DialSipResponseCode", "200")) : List.of()))));
  }

  /** The dial's extra parameters, with {@code ReferTransferTarget} when the callee transferred. */
  private List<Map.Entry<String, String>> withReferral(List<Map.Entry<String, String>> extra) {
    if (referTarget.isEmpty()) {
      return extra;
    }
    List<Map.Entry<String, String>> all = new ArrayList<>(extra);
    all.add(Map.entry("ReferTransferTarget", referTarget.get()));
    return all;
  }

  private int bridgedSeconds() {
    if (bridgedAt == null) {
      return 0;
    }
    Instant end = endedAt != null ? endedAt : ctx.settings().clock().instant();
    return (int) Math.max(0, Duration.between(bridgedAt, end).toSeconds());
  }

  private void recordingCallback(RecordingEvent event, String status, OptionalInt duration) {
    var callback = dial.recordingStatusCallback();
    if (callback.url().isEmpty() || !callback.events().contains(event)) {
      return;
    }
    List<Map.Entry<String, String>> p = new ArrayList<>();
    p.add(Map.entry("AccountSid", ctx.settings().accountSid()));
    p.add(Map.entry("CallSid", parent.callSid()));
    p.add(Map.entry("RecordingSid", recordingSid));
    p.add(Map.entry("RecordingUrl", ctx.recordingUrl().apply(recordingSid).toString()));
    p.add(Map.entry("RecordingStatus", status));
    duration.ifPresent(d -> p.add(Map.entry("RecordingDuration", Integer.toString(d))));
    p.add(Map.entry("RecordingChannels", Integer.toString(recording.channels())));
    if (bridgedAt != null) {
      p.add(Map.entry("RecordingStartTime", LegCallbacks.RFC_2822.format(bridgedAt)));
    }
    p.add(Map.entry("RecordingSource", "DialVerb"));
    ctx.webhooks()
        .notify(
            new WebhookPort.WebhookRequest(
                callback.url().get(), callback.method(), List.copyOf(p), parent.callSid(), "dial-recording-" + status));
  }
}
