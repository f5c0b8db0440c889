package org.switchboard.http.speech;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.Delegation;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.twiml.verb.Gather;

/**
 * The speech capture of one {@code <Gather>} on Asterisk: a snoop channel on the caller ({@code
 * spy=in}: only the caller's voice, never the prompts) recorded as {@code <CallSid>-speech-<n>},
 * and {@code TALK_DETECT} on the caller's channel, whose {@code ChannelTalkingStarted}/{@code
 * Finished} drive the script (its silence threshold is the gather's {@code speechTimeout}, or
 * {@code auto-silence} for {@code auto}). At the end of input the recording stops; its {@code
 * RecordingFinished} fetches the file and asks the {@link SpeechRecognizer}; the answer goes to
 * the call once ({@link CallCommand.SpeechRecognized}), an empty text for every failure, each
 * logged with the call's sid. A stop (result taken, key pressed, timeout, hangup) removes talk
 * detection, hangs the snoop up and deletes the file.
 *
 * <p>Its methods are called from the call actor; ARI and recogniser answers complete on other
 * threads and only touch the atomic flags here and tell the call.
 */
final class SpeechCapture implements Delegation {
  private static final Logger LOG = LoggerFactory.getLogger(SpeechCapture.class);
  private static final String TALK_DETECT_SET = "TALK_DETECT(set)";
  private static final String TALK_DETECT_REMOVE = "TALK_DETECT(remove)";

  private final CallDelegates.Context context;
  private final Gather gather;
  private final AriPort ari;
  private final StoredRecordings files;
  private final Optional<SpeechRecognizer> recognizer;
  private final SpeechSettings settings;
  private final ChannelRef snoop;
  private final String recording;
  private final AtomicBoolean failed = new AtomicBoolean();
  private final AtomicBoolean ending = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final AtomicBoolean reported = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();

  SpeechCapture(CallDelegates.Context context, Gather gather, AriPort ari, StoredRecordings files,
      Optional<SpeechRecognizer> recognizer, SpeechSettings settings, String snoopId,
      String recording) {
    this.context = context;
    this.gather = gather;
    this.ari = ari;
    this.files = files;
    this.recognizer = recognizer;
    this.settings = settings;
    this.snoop = new ChannelRef(context.channel().serverId(), snoopId);
    this.recording = recording;
  }

  /** Snoop, talk detection, recording; a failure leaves the gather to DTMF and its timeout. */
  void start() {
    if (recognizer.isEmpty()) {
      failed.set(true);
      LOG.warn("call {}: <Gather input=\"speech\"> but switchboard.speech.engine is none: speech"
          + " is not recognised (the gather ends on its timeout)", context.callSid());
      return;
    }
    ChannelRef caller = context.channel();
    ari.snoop(caller, snoop.channelId(), "in")
        .thenCompose(d -> ari.setVariable(caller, TALK_DETECT_SET, silenceMs() + ","
            + settings.talkThreshold()))
        .thenCompose(d -> ari.record(snoop, new AriPort.RecordRequest(recording,
            settings.recordFormat(), settings.maxSpeechSeconds(), 0, false, "none", "overwrite")))
        .whenComplete((d, error) -> {
          if (error != null) {
            failed.set(true);
            LOG.error("call {}: speech capture could not start ({}): speech is not recognised on"
                + " this gather", context.callSid(), Failures.cause(error).toString());
            if (ending.get()) {
              report(SpeechRecognizer.Recognition.NOTHING);
            }
          }
          if (stopped.get()) {
            release();
          }
        });
  }

  /** The silence after talking that ends speech: the gather's speechTimeout, or auto's. */
  int silenceMs() {
    Gather.SpeechTimeout t = gather.speechTimeout();
    return t.auto() || t.seconds() == 0 ? settings.autoSilenceMs() : t.seconds() * 1000;
  }

  @Override
  public void endOfInput() {
    ending.set(true);
    if (failed.get()) {
      report(SpeechRecognizer.Recognition.NOTHING);
    } else if (!finished.get()) {
      ari.stopRecording(snoop.serverId(), recording).whenComplete((d, error) -> {
        if (error != null && !finished.get()) {
          LOG.error("call {}: cannot stop the speech recording {}: {}", context.callSid(),
              recording, Failures.cause(error).toString());
          report(SpeechRecognizer.Recognition.NOTHING);
        }
      });
    }
  }

  @Override
  public void onEvent(ChannelEvent event) {
    if (event instanceof ChannelEvent.RecordingFinished f && f.name().equals(recording)) {
      finished.set(true);
      if (!stopped.get()) {
        recognize();
      }
    } else if (event instanceof ChannelEvent.RecordingFailed f && f.name().equals(recording)) {
      finished.set(true);
      failed.set(true);
      LOG.error("call {}: the speech recording {} failed: {}", context.callSid(), recording,
          f.cause());
      if (ending.get()) {
        report(SpeechRecognizer.Recognition.NOTHING);
      }
    }
  }

  private void recognize() {
    SpeechRecognizer engine = recognizer.orElseThrow();
    SpeechRecognizer.Request request = new SpeechRecognizer.Request(gather.language(),
        gather.hints(), gather.speechModel(), gather.profanityFilter());
    files.read(snoop.serverId(), recording)
        .thenCompose(wav -> engine.recognize(wav, request))
        .whenComplete((result, error) -> {
          if (error != null) {
            LOG.error("call {}: speech recognition ({}) failed: {}; the gather goes on without"
                + " SpeechResult", context.callSid(), engine.name(), Failures.cause(error).getMessage());
            report(SpeechRecognizer.Recognition.NOTHING);
          } else {
            LOG.info("call {}: speech recognised by {}: '{}' (confidence {})", context.callSid(),
                engine.name(), result.text(), result.confidence());
            report(result);
          }
          deleteFile();
        });
  }

  private void report(SpeechRecognizer.Recognition result) {
    if (!stopped.get() && reported.compareAndSet(false, true)) {
      context.call().tell(new CallCommand.SpeechRecognized(result.text(), result.confidence()));
    }
  }

  @Override
  public void stop(String reason) {
    if (stopped.compareAndSet(false, true)) {
      release();
    }
  }

  /** Talk detection off, the snoop hung up (which ends its recording), the file deleted. */
  private void release() {
    if (recognizer.isEmpty()) {
      return;
    }
    quietly(ari.setVariable(context.channel(), TALK_DETECT_REMOVE, ""), "TALK_DETECT(remove)");
    CompletionStage<?> stop = finished.get()
        ? CompletableFuture.completedFuture(null)
        : ari.stopRecording(snoop.serverId(), recording).exceptionally(e -> null);
    stop.thenCompose(d -> ari.hangup(snoop, HangupReason.NORMAL))
        .whenComplete((d, e) -> {
          if (!reported.get()) {
            deleteFile();
          }
        });
  }

  private void deleteFile() {
    quietly(files.delete(snoop.serverId(), recording), "delete " + recording);
  }

  private void quietly(CompletionStage<?> stage, String what) {
    stage.whenComplete((d, error) -> {
      if (error != null) {
        LOG.debug("call {}: {} failed: {}", context.callSid(), what, Failures.cause(error).toString());
      }
    });
  }
}
