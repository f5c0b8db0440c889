package org.switchboard.engine.ring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.AmdOptions;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.EntityEnd;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.ring.LegActor.Timer;

/**
 * The state of a {@link LegActor} whose leg answered with answering machine detection asked for
 * ({@link LegSpec#machineDetection()}, docs/amd.md): the channel continues into the {@value
 * AmdDialplan#CONTEXT} dialplan, where Asterisk's {@code AMD()} listens to the far end, and comes
 * back to Stasis with the verdict as args ({@code StasisEnd}, then {@code StasisStart
 * [amd,STATUS,CAUSE]}). Then: a machine on a leg that rejects machines ({@code /ring}) is hung up
 * and reported {@code no-answer}, never claimed; any other leg goes on to {@link
 * ConnectedLeg#answered} with {@code AnsweredBy} for its answer webhook (synchronous) or with the
 * verdict posted to the AMD status callback (asynchronous). Used only inside one {@link LegActor}.
 */
final class DetectingLeg {
  private static final Logger LOG = LoggerFactory.getLogger(DetectingLeg.class);

  /** Asterisk answered the {@code continue}. */
  record ContinueReplied(Optional<Throwable> error) implements LegActor.Internal {}

  /** No verdict came within the detection timeout and its grace. */
  record DetectionTimedOut() implements LegActor.Internal {}

  /** Beyond {@code MachineDetectionTimeout}: the dialplan's own steps and the way back. */
  static final Duration GRACE = Duration.ofSeconds(10);

  private final LegActor owner;
  private final ActorContext<CallCommand> context;
  private final TimerScheduler<CallCommand> timers;
  private final String callSid;
  private final LegSpec spec;
  private final ChannelRef channel;
  private final AriPort ari;
  private final WebhookPort webhooks;
  private final LegSettings settings;
  private final LegReports reports;
  private final LegHangup hangups;
  private final ConnectedLeg connected;
  private final EntityEnd end;

  DetectingLeg(LegActor owner, ActorContext<CallCommand> context,
      TimerScheduler<CallCommand> timers, String callSid, LegSpec spec, AriPort ari,
      WebhookPort webhooks, LegSettings settings, LegReports reports, LegHangup hangups,
      ConnectedLeg connected, EntityEnd end) {
    this.owner = owner;
    this.context = context;
    this.timers = timers;
    this.callSid = callSid;
    this.spec = spec;
    this.channel = new ChannelRef(spec.serverId(), spec.channelId());
    this.ari = ari;
    this.webhooks = webhooks;
    this.settings = settings;
    this.reports = reports;
    this.hangups = hangups;
    this.connected = connected;
    this.end = end;
  }

  /** Whether the leg's answer is reported only once a human (or an unknown) is detected. */
  boolean defersAnswer() {
    return spec.machineDetection().map(AmdOptions::rejectMachines).orElse(false);
  }

  /**
   * The leg answered at {@code answeredAt} and is in Stasis: sends it to the detection dialplan.
   * Waits for the {@code StasisStart} that brings the verdict, the channel's end, {@link
   * CallCommand.CancelLeg} or {@link CallCommand.HangUp}; the AMD timer runs
   * ({@code MachineDetectionTimeout} + {@link #GRACE}).
   */
  Behavior<CallCommand> detect(Instant answeredAt) {
    AmdOptions amd = spec.machineDetection().orElseThrow();
    String extension = AmdDialplan.extension(amd.detection());
    LOG.debug("{} answered; detecting an answering machine ({})", callSid, extension);
    timers.cancel(Timer.STASIS);
    reports.pickedUp();
    context.pipeToSelf(ari.continueInDialplan(channel, AmdDialplan.CONTEXT, extension, 1),
        (ok, error) -> new ContinueReplied(Optional.ofNullable(error)));
    timers.startSingleTimer(Timer.AMD, new DetectionTimedOut(),
        Duration.ofSeconds(amd.detection().timeout()).plus(GRACE));
    Instant started = settings.clock().instant();
    return owner.common(true)
        .onMessage(CallCommand.Deliver.class, d -> onEvent(d, amd, answeredAt, started))
        .onMessage(CallCommand.CancelLeg.class, c -> owner.cancel(c.cause()))
        .onMessage(CallCommand.HangUp.class, h -> owner.cancel(LegCancelCause.REQUESTED))
        .onMessage(ContinueReplied.class, this::onContinued)
        .onMessage(DetectionTimedOut.class, t -> giveUp("no verdict in time"))
        .onMessage(LegActor.OriginateReplied.class, owner::onOriginated)
        .build();
  }

  private Behavior<CallCommand> onEvent(CallCommand.Deliver deliver, AmdOptions amd,
      Instant answeredAt, Instant started) {
    deliver.ack().tell(Done.getInstance());
    ChannelEvent event = deliver.event();
    if (event instanceof ChannelEvent.StasisEntered entered) {
      Optional<String> verdict = AmdDialplan.answeredBy(entered.args(), amd.detection().mode());
      if (verdict.isEmpty()) {
        LOG.debug("{} StasisStart {} while detecting; not the verdict", callSid, entered.args());
        return Behaviors.same();
      }
      long millis = Duration.between(started, settings.clock().instant()).toMillis();
      return onVerdict(verdict.get(), millis, amd, answeredAt);
    }
    if (event instanceof ChannelEvent.ChannelDestroyed destroyed) {
      reports.channelGone(destroyed.timestamp());
      if (defersAnswer()) {
        reports.ended(DialStatuses.NO_ANSWER, 0, Optional.empty());
      } else {
        reports.answeredEnd(destroyed.timestamp());
      }
      return end.end(context);
    }
    return Behaviors.same();
  }

  private Behavior<CallCommand> onVerdict(String answeredBy, long millis, AmdOptions amd,
      Instant answeredAt) {
    timers.cancel(Timer.AMD);
    LOG.info("{} answered by {} (detected in {} ms)", callSid, answeredBy, millis);
    reports.detected(answeredBy);
    if (amd.async()) {
      notifyVerdict(amd, answeredBy, millis);
    }
    if (amd.rejectMachines() && AmdDialplan.isMachine(answeredBy)) {
      hangups.send(HangupReason.NORMAL);
      reports.ended(DialStatuses.NO_ANSWER, 0, Optional.empty());
      return owner.lingering();
    }
    reports.answered(answeredAt);
    return connected.answered(amd.async() ? Optional.empty() : Optional.of(answeredBy));
  }

  /** The asynchronous verdict: {@code AsyncAmdStatusCallback}, when one was given. */
  private void notifyVerdict(AmdOptions amd, String answeredBy, long millis) {
    amd.detection().amdStatusCallback().ifPresentOrElse(url -> {
      List<Map.Entry<String, String>> p = new ArrayList<>();
      p.add(Map.entry("AccountSid", settings.accountSid()));
      p.add(Map.entry("CallSid", callSid));
      p.add(Map.entry("AnsweredBy", answeredBy));
      p.add(Map.entry("MachineDetectionDuration", Long.toString(millis)));
      webhooks.notify(new WebhookPort.WebhookRequest(url,
          amd.detection().amdStatusCallbackMethod(), List.copyOf(p), callSid, "amd-status"));
    }, () -> LOG.warn("{} asynchronous AMD without a status callback: the verdict ({}) is only on"
        + " the Call resource (Twilio warning 21262)", callSid, answeredBy));
  }

  private Behavior<CallCommand> onContinued(ContinueReplied replied) {
    if (replied.error().isEmpty()) {
      return Behaviors.same();
    }
    return giveUp("continue into " + AmdDialplan.CONTEXT + " failed: "
        + replied.error().get().getMessage());
  }

  /** Detection cannot finish: the leg is hung up, {@code failed} (never claimed). */
  private Behavior<CallCommand> giveUp(String why) {
    LOG.warn("{} answering machine detection: {}; hanging up", callSid, why);
    timers.cancel(Timer.AMD);
    hangups.send(HangupReason.NORMAL);
    reports.failed();
    return owner.lingering();
  }
}
