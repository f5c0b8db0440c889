package org.switchboard.engine.call;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.script.CallEffect;
import org.switchboard.engine.script.FetchPurpose;
import org.switchboard.engine.script.ScriptInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the interpreter's effects for one {@link CallActor}, inside the actor: each port call is
 * piped back to the actor, never touching its state from a callback.
 */
final class CallEffects {
  private static final Logger LOG = LoggerFactory.getLogger(CallEffects.class);
  /** Delegation key of the call's dial or connect. */
  static final String CALL_DELEGATE = "delegate";
  /** Delegation key of the call's queue membership. */
  static final String QUEUE = "queue";

  private final CallActor call;
  private final Map<String, Instant> recordingStarts = new HashMap<>();
  private final MediaResolver resolver;
  private int streams;

  CallEffects(CallActor call) {
    this.call = call;
    this.resolver = new MediaResolver(call.services.tts(), call.services.media());
  }

  void run(CallEffect effect) {
    var ari = call.services.ari();
    var channel = call.channel;
    if (effect instanceof CallEffect.AnswerCall) {
      call.pipeChannel(ari.answer(channel), "answer", new ScriptInput.Answered());
    } else if (effect instanceof CallEffect.HangupCall h) {
      call.scriptHangup(h.reason(), h.finalStatus());
    } else if (effect instanceof CallEffect.PlayMedia p) {
      play(p);
    } else if (effect instanceof CallEffect.StopPlayback s) {
      if (!call.pendingPlaybacks.remove(s.playbackId()) && call.livePlaybacks.remove(s.playbackId())) {
        call.pipe(ari.stopPlayback(channel.serverId(), s.playbackId()), "stopPlayback", null, false);
      }
    } else if (effect instanceof CallEffect.SendDtmf d) {
      call.pipeChannel(ari.sendDtmf(channel, d.digits(), 100, 100), "sendDtmf",
          new ScriptInput.DtmfSent());
    } else if (effect instanceof CallEffect.StartTimer t) {
      call.timers.startSingleTimer(t.timer(), new CallActor.Input(new ScriptInput.TimerFired(t.timer())),
          t.after());
    } else if (effect instanceof CallEffect.CancelTimer t) {
      call.timers.cancel(t.timer());
    } else if (effect instanceof CallEffect.FetchTwiml f) {
      fetch(f);
    } else if (effect instanceof CallEffect.Notify n) {
      List<Map.Entry<String, String>> params = new ArrayList<>();
      params.add(Map.entry("AccountSid", call.params.accountSid()));
      params.add(Map.entry("CallSid", call.callSid));
      params.addAll(n.params());
      call.services.webhooks().notify(
          new WebhookPort.WebhookRequest(n.url(), n.method(), params, call.callSid, n.purpose()));
    } else if (effect instanceof CallEffect.StartRecording r) {
      call.liveRecordings.add(r.recordingSid());
      call.pipeAccepted(ari.record(channel, r.request()), "record", r.recordingSid());
    } else if (effect instanceof CallEffect.StopRecording r) {
      if (call.liveRecordings.remove(r.recordingSid())) {
        call.pipe(ari.stopRecording(channel.serverId(), r.recordingSid()), "stopRecording", null,
            false);
      }
    } else if (effect instanceof CallEffect.StartHoldMusic) {
      call.pipeChannel(ari.startMusicOnHold(channel, "default"), "startMusicOnHold", null);
    } else if (effect instanceof CallEffect.StopHoldMusic) {
      call.pipeChannel(ari.stopMusicOnHold(channel), "stopMusicOnHold", null);
    } else if (effect instanceof CallEffect.LogWarning w) {
      LOG.warn(w.message());
    } else {
      delegate(effect);
    }
  }

  /** Live-recording bookkeeping; a finished {@code <Record>} goes into the recording index. */
  void track(ChannelEvent event) {
    if (event instanceof ChannelEvent.PlaybackFinished f) {
      call.livePlaybacks.remove(f.playbackId());
    } else if (event instanceof ChannelEvent.RecordingStarted r && call.liveRecordings.contains(r.name())) {
      recordingStarts.put(r.name(), r.timestamp());
    } else if (event instanceof ChannelEvent.RecordingFinished f && call.liveRecordings.remove(f.name())) {
      Instant started = recordingStarts.getOrDefault(f.name(), f.timestamp());
      call.services.recordings().register(new RecordingIndex.Entry(f.name(), call.callSid,
          f.durationSeconds(), 1, "RecordVerb", "completed", started, f.name(),
          call.channel.serverId()));
    } else if (event instanceof ChannelEvent.RecordingFailed f) {
      call.liveRecordings.remove(f.name());
    }
  }

  private void delegate(CallEffect effect) {
    CallDelegates delegates = call.services.delegates();
    CallDelegates.Context context =
        new CallDelegates.Context(call.callSid, call.channel, call.ctx.getSelf(), call.ctx,
            call.params.with(call.callStatus()));
    if (effect instanceof CallEffect.StartDial d) {
      call.delegations.put(CALL_DELEGATE, delegates.dial(context, d.dial(), d.callerAnswered()));
    } else if (effect instanceof CallEffect.StartConnect c) {
      call.delegations.put(CALL_DELEGATE, delegates.connect(context, c.connect()));
    } else if (effect instanceof CallEffect.CancelDelegate c) {
      stop(CALL_DELEGATE, c.reason());
    } else if (effect instanceof CallEffect.JoinQueue j) {
      call.delegations.put(QUEUE, delegates.enqueue(context, j.enqueue()));
    } else if (effect instanceof CallEffect.RefreshQueue) {
      call.delegations.getOrDefault(QUEUE, Delegation.NONE).refresh();
    } else if (effect instanceof CallEffect.LeaveQueue l) {
      stop(QUEUE, l.reason());
    } else if (effect instanceof CallEffect.StartStream s) {
      String name = "stream:" + s.start().stream().name().orElse("#" + (++streams));
      call.delegations.put(name, delegates.startStream(context, s.start()));
    } else if (effect instanceof CallEffect.StopStream s) {
      stop("stream:" + s.name(), "stopped");
    }
  }

  private void stop(String key, String reason) {
    Delegation d = call.delegations.remove(key);
    if (d != null) {
      d.stop(reason);
    }
  }

  private void play(CallEffect.PlayMedia p) {
    call.pendingPlaybacks.add(p.playbackId());
    call.ctx.pipeToSelf(resolver.resolve(p.media()), (media, err) -> {
      if (err != null) {
        LOG.warn("media for {} unavailable: {}", p.playbackId(),
            Failures.cause(err).getMessage());
        return new CallActor.Input(new ScriptInput.PlaybackFinished(p.playbackId(), true));
      }
      return new CallActor.MediaResolved(p.playbackId(), media);
    });
  }

  private void fetch(CallEffect.FetchTwiml f) {
    WebhookPort.WebhookRequest request =
        new WebhookPort.WebhookRequest(f.url(), f.method(), call.requestParams(f.params()),
            call.callSid, f.purpose().name().toLowerCase(java.util.Locale.ROOT));
    if (f.purpose() == FetchPurpose.AFTER_HANGUP) {
      call.services.webhooks().fetch(request);
      return;
    }
    call.ctx.pipeToSelf(call.services.webhooks().fetch(request), (response, err) -> {
      if (err != null) {
        Throwable cause = Failures.cause(err);
        int code = cause instanceof WebhookPort.WebhookException w
            ? w.errorCode() : WebhookPort.WebhookException.HTTP_RETRIEVAL_FAILURE;
        return new CallActor.Input(
            new ScriptInput.FetchFailed(f.fetchId(), String.valueOf(cause.getMessage()), code));
      }
      return new CallActor.Input(
          new ScriptInput.DocumentFetched(f.fetchId(), response.finalUrl(), response.status(),
              response.contentType(), response.body()));
    });
  }
}
