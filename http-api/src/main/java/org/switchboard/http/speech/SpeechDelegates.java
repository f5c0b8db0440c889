package org.switchboard.http.speech;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.CallRouting;
import org.switchboard.engine.call.Delegation;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.Gather;
import org.switchboard.engine.twiml.verb.Start;

/**
 * The call delegates of a node with speech recognition: {@code <Gather input="speech">} runs a
 * {@link SpeechCapture}; every other verb goes to {@code inner}.
 */
public final class SpeechDelegates implements CallDelegates {
  /** Capture ids, unique per node run (a channel id Asterisk saw is never asked for again). */
  private static final AtomicLong COUNTER = new AtomicLong(Instant.now().toEpochMilli() % 1_000_000_000L);

  private final CallDelegates inner;
  private final AriPort ari;
  private final StoredRecordings files;
  private final Optional<SpeechRecognizer> recognizer;
  private final SpeechSettings settings;

  public SpeechDelegates(CallDelegates inner, AriPort ari, StoredRecordings files,
      Optional<SpeechRecognizer> recognizer, SpeechSettings settings) {
    this.inner = inner;
    this.ari = ari;
    this.files = files;
    this.recognizer = recognizer;
    this.settings = settings;
  }

  @Override
  public Delegation listen(Context context, Gather gather) {
    long n = COUNTER.incrementAndGet();
    String snoopId = CallRouting.channelId(context.callSid(), "speech", n);
    String recording = CallRouting.resourceId(context.callSid(), "speech", (int) n);
    SpeechCapture capture = new SpeechCapture(context, gather, ari, files, recognizer, settings,
        snoopId, recording);
    capture.start();
    return capture;
  }

  @Override
  public Delegation dial(Context context, Dial dial, boolean callerAnswered) {
    return inner.dial(context, dial, callerAnswered);
  }

  @Override
  public Delegation enqueue(Context context, Enqueue enqueue) {
    return inner.enqueue(context, enqueue);
  }

  @Override
  public Delegation rejoin(Context context, Enqueue enqueue, Instant enqueuedAt) {
    return inner.rejoin(context, enqueue, enqueuedAt);
  }

  @Override
  public Delegation connect(Context context, Connect connect) {
    return inner.connect(context, connect);
  }

  @Override
  public Delegation startStream(Context context, Start start) {
    return inner.startStream(context, start);
  }
}
