package org.switchboard.http.speech;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.CallRouting;
import org.switchboard.engine.call.Delegation;
import org.switchboard.engine.call.ForwardingCallDelegates;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.twiml.verb.Gather;

/**
 * The call delegates of a node with speech recognition: {@code <Gather input="speech">} runs a
 * {@link SpeechCapture}; every other verb goes to {@code inner}.
 */
public final class SpeechDelegates extends ForwardingCallDelegates {
  /** Capture ids, unique per node run (a channel id Asterisk saw is never asked for again). */
  private static final AtomicLong COUNTER = new AtomicLong(Instant.now().toEpochMilli() % 1_000_000_000L);

  private final AriPort ari;
  private final StoredRecordings files;
  private final Optional<SpeechRecognizer> recognizer;
  private final SpeechSettings settings;

  public SpeechDelegates(CallDelegates inner, AriPort ari, StoredRecordings files,
      Optional<SpeechRecognizer> recognizer, SpeechSettings settings) {
    super(inner);
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
}
