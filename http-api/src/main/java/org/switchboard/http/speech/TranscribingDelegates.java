package org.switchboard.http.speech;

import java.net.URI;
import java.time.Clock;
import java.util.function.Function;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.ForwardingCallDelegates;
import org.switchboard.engine.port.Sids;
import org.switchboard.engine.script.CallEffect;

/**
 * The call delegates of a node that transcribes {@code <Record transcribe>} recordings: each
 * becomes a {@link TranscriptionJob} for the node's {@link Transcriber}; every verb goes to
 * {@code inner}. The TranscriptionSid is derived from the RecordingSid ({@code TR…}), so a
 * transcription taken up again after a restart keeps its sid.
 */
public final class TranscribingDelegates extends ForwardingCallDelegates {
  private final Transcriber transcriber;
  private final Function<String, URI> transcriptionUrl;
  private final Clock clock;

  /**
   * @param transcriptionUrl the {@code TranscriptionUrl} of a TranscriptionSid (its REST resource)
   */
  public TranscribingDelegates(CallDelegates inner, Transcriber transcriber,
      Function<String, URI> transcriptionUrl, Clock clock) {
    super(inner);
    this.transcriber = transcriber;
    this.transcriptionUrl = transcriptionUrl;
    this.clock = clock;
  }

  @Override
  public void transcribe(Context context, CallEffect.Transcribe request) {
    String sid = Sids.named("TR", request.recordingSid());
    transcriber.submit(new TranscriptionJob(sid, request.recordingSid(), context.callSid(),
        request.durationSeconds(), request.recordingUrl(), transcriptionUrl.apply(sid).toString(),
        request.callback().map(URI::toString).orElse(null),
        TranscriptionJob.pairs(context.callParams()), clock.millis()));
  }
}
