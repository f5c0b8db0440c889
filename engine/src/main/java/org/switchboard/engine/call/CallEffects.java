package org.switchboard.engine.call;

import org.switchboard.engine.protocol.CallCommand;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.LatePlays;
import org.switchboard.engine.port.SoundSpan;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.script.CallEffect;
import org.switchboard.engine.twiml.verb.CallStatus;
import org.switchboard.engine.script.FetchPurpose;
import org.switchboard.engine.twiml.verb.QueueResult;
import org.switchboard.engine.script.ScriptInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.twiml.verb.RecordingEvent;

/**
 * Runs the interpreter's effects for one call, inside its actor: each port call is piped back to
 * the actor ({@link ScriptRunner.Internal}), never touching its state from a callback. It owns
 * what the effects start: playbacks and recordings under way, and the call's {@link Delegations}.
 */
final class CallEffects {
  private static final Logger LOG = LoggerFactory.getLogger(CallEffects.class);

  /**
   * The start of playback or recording {@code id} got no answer from Asterisk, which did not show
   * it either when asked: it may never run, or run late (ARCHITECTURE.md "Uncertain ARI
   * outcomes").
   */
  record Unconfirmed(String id, String operation, Throwable error)
      implements ScriptRunner.Internal {}

  private final ActorContext<CallCommand> ctx;
  private final TimerScheduler<CallCommand> timers;
  private final CallServices services;
  private final String callSid;
  private final ChannelRef channel;
  private final CallParams params;
  private final Supplier<CallStatus> callStatus;
  private final MediaResolver resolver;
  // The sets and maps below start as the shared empty ones and are made on their first entry
  // (growable): a call that waits in a queue plays and records nothing, and keeps them all.
  private Set<String> pendingPlaybacks = Collections.emptySet();
  /** Playbacks sent to Asterisk and not over, each stopped through its {@link LatePlays.Play}. */
  private Map<String, LatePlays.Play> livePlaybacks = Collections.emptyMap();
  private final LatePlays latePlays;
  private Set<String> liveRecordings = Collections.emptySet();
  /** Live playbacks and recordings whose start event came: Asterisk runs them. */
  private Set<String> running = Collections.emptySet();
  /** Starts that got no answer and that Asterisk did not show: stopped if they run late. */
  private Set<String> givenUp = Collections.emptySet();
  private Map<String, Instant> recordingStarts = Collections.emptyMap();
  private final Delegations delegations = new Delegations();
  private int streams;

  /**
   * Effects of the call {@code callSid} on {@code channel}, piped back through {@code ctx};
   * {@code callStatus} is the CallStatus requests made now carry.
   */
  CallEffects(
      ActorContext<CallCommand> ctx,
      TimerScheduler<CallCommand> timers,
      CallServices services,
      String callSid,
      ChannelRef channel,
      CallParams params,
      Supplier<CallStatus> callStatus) {
    this.ctx = ctx;
    this.timers = timers;
    this.services = services;
    this.callSid = callSid;
    this.channel = channel;
    this.params = params;
    this.callStatus = callStatus;
    this.resolver = new MediaResolver(services.tts(), services.media());
    this.latePlays = LatePlays.get(ctx.getSystem());
  }

  /** Runs {@code effect}; {@link CallEffect.HangupCall} is not one: it ends the script. */
  void run(CallEffect effect) {
    var ari = services.ari();
    if (effect instanceof CallEffect.AnswerCall) {
      pipeChannel(ari.answer(channel), "answer", new ScriptInput.Answered());
    } else if (effect instanceof CallEffect.PlayMedia p) {
      play(p);
    } else if (effect instanceof CallEffect.StopPlayback s) {
      LatePlays.Play live = livePlaybacks.remove(s.playbackId());
      if (!pendingPlaybacks.remove(s.playbackId()) && live != null) {
        pipe(live.stop(), "stopPlayback", null, false);
      }
    } else if (effect instanceof CallEffect.SendDtmf d) {
      pipeChannel(ari.sendDtmf(channel, d.digits(),
          CallEffect.SendDtmf.BETWEEN_MS, CallEffect.SendDtmf.DIGIT_MS), "sendDtmf",
          new ScriptInput.DtmfSent());
    } else if (effect instanceof CallEffect.StartTimer t) {
      timers.startSingleTimer(t.timer(),
          new ScriptRunner.Input(new ScriptInput.TimerFired(t.timer())), t.after());
    } else if (effect instanceof CallEffect.CancelTimer t) {
      timers.cancel(t.timer());
    } else if (effect instanceof CallEffect.FetchTwiml f) {
      fetch(f);
    } else if (effect instanceof CallEffect.Notify n) {
      notify(n);
    } else if (effect instanceof CallEffect.StartRecording r) {
      liveRecordings = growable(liveRecordings);
      liveRecordings.add(r.recordingSid());
      pipeAccepted(ari.record(channel, r.request()), "record", r.recordingSid());
    } else if (effect instanceof CallEffect.StopRecording r) {
      if (liveRecordings.remove(r.recordingSid())) {
        pipe(ari.stopRecording(channel.serverId(), r.recordingSid()), "stopRecording", null,
            false);
      }
    } else if (effect instanceof CallEffect.StartHoldMusic) {
      pipeChannel(ari.startMusicOnHold(channel, "default"), "startMusicOnHold", null);
    } else if (effect instanceof CallEffect.StopHoldMusic) {
      pipeChannel(ari.stopMusicOnHold(channel), "stopMusicOnHold", null);
    } else if (effect instanceof CallEffect.SendRefer r) {
      refer(r);
    } else if (effect instanceof CallEffect.LogWarning w) {
      LOG.warn(w.message());
    } else {
      delegate(effect);
    }
  }

  /** The delegations the effects started. */
  Delegations delegations() {
    return delegations;
  }

  /** Playbacks Asterisk may be playing now (read-only). */
  Set<String> livePlaybacks() {
    return Collections.unmodifiableSet(livePlaybacks.keySet());
  }

  /** Recordings Asterisk may be making now (read-only). */
  Set<String> liveRecordings() {
    return Collections.unmodifiableSet(liveRecordings);
  }

  /** Live-media bookkeeping; a finished {@code <Record>} goes into the recording index. */
  void track(ChannelEvent event) {
    // The call outlives the owners of the playbacks on its channel: a late one stops here.
    latePlays.onEvent(event);
    if (event instanceof ChannelEvent.PlaybackStarted s) {
      startedLate(s.playbackId(), "playback");
    } else if (event instanceof ChannelEvent.PlaybackFinished f) {
      livePlaybacks.remove(f.playbackId());
      forget(f.playbackId());
    } else if (event instanceof ChannelEvent.RecordingStarted r) {
      if (!startedLate(r.name(), "recording") && liveRecordings.contains(r.name())) {
        recordingStarts = growable(recordingStarts);
        recordingStarts.put(r.name(), r.timestamp());
      }
    } else if (event instanceof ChannelEvent.RecordingFinished f) {
      forget(f.name());
      if (liveRecordings.remove(f.name())) {
        Instant started = recordingStarts.getOrDefault(f.name(), f.timestamp());
        services.recordings().register(new RecordingIndex.Entry(f.name(), callSid,
            f.durationSeconds(), 1, "RecordVerb", RecordingEvent.COMPLETED.wire(), started,
            f.name(), channel.serverId()));
      }
    } else if (event instanceof ChannelEvent.RecordingFailed f) {
      forget(f.name());
      liveRecordings.remove(f.name());
    }
  }

  /**
   * Playback or recording {@code id} started: a start the call gave up ({@link #giveUp}) ran late
   * after all and is stopped at once (true), so the caller never hears a prompt twice or under
   * the next verb; a live one is marked as running.
   */
  private boolean startedLate(String id, String kind) {
    if (givenUp.remove(id)) {
      LOG.warn("{} {} started after its command got no answer and was given up; stopping it",
          kind, id);
      if (kind.equals("playback")) {
        services.ari().stopPlayback(channel.serverId(), id);
      } else {
        services.ari().stopRecording(channel.serverId(), id);
      }
      return true;
    }
    if (livePlaybacks.containsKey(id) || liveRecordings.contains(id)) {
      running = growable(running);
      running.add(id);
    }
    return false;
  }

  /** Playback or recording {@code id} ended: nothing more to watch for. */
  private void forget(String id) {
    running.remove(id);
    givenUp.remove(id);
  }

  /**
   * The start {@code u} got no answer and Asterisk did not show it ran: unless its start event
   * came meanwhile (it runs: its events lead on, and false is returned), it is given up (a late
   * start is stopped, {@link #track}) and true is returned when the script still waits for it,
   * which then learns that the command failed.
   */
  boolean giveUp(Unconfirmed u) {
    if (running.contains(u.id())) {
      LOG.info("{} got no answer, but {} started: it runs", u.operation(), u.id());
      return false;
    }
    if (!latePlays.watches(u.id())) {
      // A playback the script stopped meanwhile is watched there already.
      givenUp = growable(givenUp);
      givenUp.add(u.id());
    }
    boolean awaited = livePlaybacks.remove(u.id()) != null | liveRecordings.remove(u.id());
    LOG.warn("{} {} got no answer and Asterisk does not show it; given up{}", u.operation(),
        u.id(), awaited ? "" : " (no longer awaited)");
    return awaited;
  }

  /**
   * A {@code <Record trim="trim-silence">} finished: the file is read for where sound starts and
   * ends ({@link org.switchboard.engine.port.MediaPort#soundSpan}); the recording is registered
   * with that span (its audio is served trimmed) and the script gets the finish with the trimmed
   * duration. Registered from the port's answer (the index is thread-safe), so the recording is
   * kept even if the call ended meanwhile. A span that cannot be read keeps the whole recording.
   */
  void measure(ChannelEvent.RecordingFinished f) {
    liveRecordings.remove(f.name());
    forget(f.name());
    Instant started = recordingStarts.getOrDefault(f.name(), f.timestamp());
    CompletionStage<ChannelEvent.RecordingFinished> measured =
        services.media().soundSpan(f.serverId(), f.name()).handle((span, error) -> {
          if (error != null) {
            LOG.warn("{}: recording {} kept untrimmed: {}", callSid, f.name(),
                Failures.cause(error).getMessage());
          }
          Optional<SoundSpan> kept = error == null ? span : Optional.empty();
          int seconds = kept.map(SoundSpan::seconds).orElse(f.durationSeconds());
          boolean silent = kept.map(k -> k.toMs() == k.fromMs()).orElse(false);
          services.recordings().register(new RecordingIndex.Entry(f.name(), callSid, seconds, 1,
              "RecordVerb", (silent ? RecordingEvent.ABSENT : RecordingEvent.COMPLETED).wire(),
              started, f.name(), channel.serverId(), kept));
          return new ChannelEvent.RecordingFinished(f.serverId(), f.timestamp(), f.name(),
              f.targetChannel(), f.targetBridge(), seconds);
        });
    ctx.pipeToSelf(measured, (trimmed, error) -> new ScriptRunner.Input(
        new ScriptInput.RecordingFinished(f.name(),
            error == null ? trimmed.durationSeconds() : f.durationSeconds(), f.timestamp())));
  }

  /** Media for a playback is ready: it plays, unless the script stopped it meanwhile. */
  void onMediaResolved(ScriptRunner.MediaResolved m) {
    if (pendingPlaybacks.remove(m.playbackId())) {
      LatePlays.Play play =
          latePlays.prepare(services.ari(), channel.serverId(), m.playbackId());
      livePlaybacks = growable(livePlaybacks);
      livePlaybacks.put(m.playbackId(), play);
      pipeAccepted(play.start(() -> services.ari().play(channel, m.playbackId(), m.media())),
          "play", m.playbackId());
    }
  }

  /** {@code set}, or a new one to add to if it is still the shared empty one. */
  static <T> Set<T> growable(Set<T> set) {
    return set == Collections.<T>emptySet() ? new HashSet<>() : set;
  }

  /** {@code map}, or a new one to put into if it is still the shared empty one. */
  private static <K, V> Map<K, V> growable(Map<K, V> map) {
    return map == Collections.<K, V>emptyMap() ? new HashMap<>() : map;
  }

  /** The call is over: its playbacks and recordings stop, its delegations stop ({@code hangup}). */
  void release() {
    livePlaybacks.values().forEach(LatePlays.Play::stop);
    liveRecordings.forEach(name -> services.ari().stopRecording(channel.serverId(), name));
    livePlaybacks.clear();
    liveRecordings.clear();
    pendingPlaybacks.clear();
    running.clear();
    givenUp.clear();
    delegations.stopAll(QueueResult.HANGUP.wire());
  }

  private void delegate(CallEffect effect) {
    CallDelegates delegates = services.delegates();
    CallDelegates.Context context =
        new CallDelegates.Context(callSid, channel, ctx.getSelf(), ctx,
            params.readWith(callStatus.get().wire()));
    if (effect instanceof CallEffect.StartDial d) {
      delegations.start(Delegations.Key.CALL, delegates.dial(context, d.dial(), d.callerAnswered()));
    } else if (effect instanceof CallEffect.ResumeDial d) {
      delegations.start(Delegations.Key.CALL,
          delegates.resumeDial(context, d.dial(), d.callerAnswered()));
    } else if (effect instanceof CallEffect.StartConnect c) {
      delegations.start(Delegations.Key.CALL, delegates.connect(context, c.connect()));
    } else if (effect instanceof CallEffect.StartEcho) {
      delegations.start(Delegations.Key.CALL, delegates.echo(context));
    } else if (effect instanceof CallEffect.CancelDelegate c) {
      delegations.stop(Delegations.Key.CALL, c.reason());
    } else if (effect instanceof CallEffect.JoinQueue j) {
      delegations.start(Delegations.Key.QUEUE, delegates.enqueue(context, j.enqueue()));
    } else if (effect instanceof CallEffect.RejoinQueue j) {
      delegations.start(Delegations.Key.QUEUE,
          delegates.rejoin(context, j.enqueue(), j.enqueuedAt()));
    } else if (effect instanceof CallEffect.RefreshQueue) {
      delegations.refresh(Delegations.Key.QUEUE);
    } else if (effect instanceof CallEffect.LeaveQueue l) {
      delegations.stop(Delegations.Key.QUEUE, l.reason());
    } else if (effect instanceof CallEffect.StartStream s) {
      String name = s.start().stream().name().orElse("#" + (++streams));
      delegations.start(Delegations.Key.stream(name), delegates.startStream(context, s.start()));
    } else if (effect instanceof CallEffect.StartSpeech s) {
      delegations.stop(Delegations.Key.SPEECH, "replaced");
      delegations.start(Delegations.Key.SPEECH, delegates.listen(context, s.gather()));
    } else if (effect instanceof CallEffect.EndSpeech) {
      delegations.endOfInput(Delegations.Key.SPEECH);
    } else if (effect instanceof CallEffect.StopSpeech) {
      delegations.stop(Delegations.Key.SPEECH, "stopped");
    } else if (effect instanceof CallEffect.StopStream s) {
      delegations.stop(Delegations.Key.stream(s.name()), "stopped");
    } else if (effect instanceof CallEffect.Transcribe t) {
      delegates.transcribe(context, t);
    } else {
      throw new IllegalStateException(
          "no handler for the effect " + effect.getClass().getSimpleName());
    }
  }

  /** A {@code <Refer>}: Asterisk's answer to the redirect becomes the script's input. */
  private void refer(CallEffect.SendRefer r) {
    ctx.pipeToSelf(services.ari().redirect(channel, r.endpoint()), (ok, err) -> {
      if (err == null) {
        return new ScriptRunner.Input(new ScriptInput.ReferAccepted());
      }
      return new ScriptRunner.Input(
          new ScriptInput.ReferRefused(Failures.cause(err).getMessage()));
    });
  }

  private void notify(CallEffect.Notify n) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    out.add(Map.entry("AccountSid", params.accountSid()));
    out.add(Map.entry("CallSid", callSid));
    out.addAll(n.params());
    services.webhooks().notify(
        new WebhookPort.WebhookRequest(n.url(), n.method(), out, callSid, n.purpose()));
  }

  private void play(CallEffect.PlayMedia p) {
    pendingPlaybacks = growable(pendingPlaybacks);
    pendingPlaybacks.add(p.playbackId());
    ctx.pipeToSelf(resolver.resolve(p.media()), (media, err) -> {
      if (err != null) {
        LOG.warn("media for {} unavailable: {}", p.playbackId(),
            Failures.cause(err).getMessage());
        return new ScriptRunner.Input(new ScriptInput.PlaybackFinished(p.playbackId(), true));
      }
      return new ScriptRunner.MediaResolved(p.playbackId(), media);
    });
  }

  private void fetch(CallEffect.FetchTwiml f) {
    List<Map.Entry<String, String>> all = new ArrayList<>(params.with(callStatus.get().wire()));
    all.addAll(f.params());
    WebhookPort.WebhookRequest request =
        new WebhookPort.WebhookRequest(f.url(), f.method(), all, callSid,
            f.purpose().name().toLowerCase(Locale.ROOT));
    if (f.purpose() == FetchPurpose.AFTER_HANGUP) {
      services.webhooks().fetch(request);
      return;
    }
    ctx.pipeToSelf(services.webhooks().fetch(request), (response, err) -> {
      if (err != null) {
        Throwable cause = Failures.cause(err);
        int code = cause instanceof WebhookPort.WebhookException w
            ? w.errorCode() : WebhookPort.WebhookException.HTTP_RETRIEVAL_FAILURE;
        return new ScriptRunner.Input(
            new ScriptInput.FetchFailed(f.fetchId(), String.valueOf(cause.getMessage()), code));
      }
      return new ScriptRunner.Input(
          new ScriptInput.DocumentFetched(f.fetchId(), response.finalUrl(), response.status(),
              response.contentType(), response.body()));
    });
  }

  /** Pipes a channel-scoped ARI command: success becomes {@code onSuccess} (if any). */
  private void pipeChannel(CompletionStage<?> stage, String operation, ScriptInput onSuccess) {
    pipe(stage, operation, onSuccess, true);
  }

  /** Pipes a channel-scoped start of playback or recording {@code id}: success marks it live. */
  private void pipeAccepted(CompletionStage<?> stage, String operation, String id) {
    ctx.pipeToSelf(stage, (ok, err) -> {
      if (err == null) {
        return new CallResync.Accepted(id);
      }
      return AriCommandException.outcomeUnknown(err)
          ? new Unconfirmed(id, operation, err)
          : new ScriptRunner.AriFailed(operation, err, true);
    });
  }

  private void pipe(
      CompletionStage<?> stage, String operation, ScriptInput onSuccess, boolean channelOp) {
    ctx.pipeToSelf(stage, (ok, err) -> {
      if (err != null) {
        return new ScriptRunner.AriFailed(operation, err, channelOp);
      }
      return onSuccess == null
          ? new ScriptRunner.Completed(operation)
          : new ScriptRunner.Input(onSuccess);
    });
  }
}
