package org.switchboard.engine.call;

import java.time.Instant;
import java.util.Objects;
import org.switchboard.engine.script.CallEffect;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.Gather;
import org.switchboard.engine.twiml.verb.Start;

/**
 * Call delegates that hand every verb to {@code inner}: the base of delegates that run some verbs
 * themselves (override those) and pass the rest on, so a chain of them ends in one set of
 * delegates that answers whatever none of them runs.
 */
public abstract class ForwardingCallDelegates implements CallDelegates {
  private final CallDelegates inner;

  protected ForwardingCallDelegates(CallDelegates inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  @Override
  public Delegation dial(Context context, Dial dial, boolean callerAnswered) {
    return inner.dial(context, dial, callerAnswered);
  }

  @Override
  public Delegation resumeDial(Context context, Dial dial, boolean callerAnswered) {
    return inner.resumeDial(context, dial, callerAnswered);
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

  @Override
  public Delegation listen(Context context, Gather gather) {
    return inner.listen(context, gather);
  }

  @Override
  public void transcribe(Context context, CallEffect.Transcribe request) {
    inner.transcribe(context, request);
  }
}
