package org.switchboard.engine.script;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.switchboard.engine.script.ScriptState.Awaiting;
import org.switchboard.engine.script.ScriptState.Delegate;
import org.switchboard.engine.twiml.verb.Refer;

/**
 * {@code <Refer>} (spec §4.18): the call's channel is redirected through ARI ({@code POST
 * /channels/{id}/redirect?endpoint=PJSIP/<sip uri>}), which on a PJSIP channel makes Asterisk send
 * the device a SIP REFER (a 302 while unanswered). Asterisk reports neither the REFER's response
 * nor its NOTIFYs over ARI, so the outcome is read from the channel:
 *
 * <ul>
 *   <li>the channel ends after Asterisk accepted the redirect: the device took the transfer and
 *       left; the action gets {@code ReferCallStatus=in-progress}, {@code
 *       ReferSipResponseCode=202}, {@code NotifySipResponseCode=200} (Twilio's values for a
 *       successful transfer, inferred) and its TwiML cannot run;
 *   <li>the channel is still up {@link #TRANSFER_TIMEOUT} later: the transfer failed; the action
 *       gets {@code ReferCallStatus=failed} and its TwiML goes on with the call;
 *   <li>Asterisk refuses the redirect (a channel that is not PJSIP: 422; gone: 404; not in Stasis:
 *       409): no REFER was sent; {@code ReferCallStatus=failed}, without SIP codes;
 *   <li>the call ends before Asterisk answered: {@code ReferCallStatus=canceled}.
 * </ul>
 *
 * Without an action the next verb runs (or, after the call ended, nothing).
 */
final class ReferPart {

  /** How long a channel may stay up after an accepted REFER before the transfer counts failed. */
  static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(60);

  private ReferPart() {}

  /** Asks Asterisk to transfer the channel to the {@code <Sip>} target. */
  static void start(Transition t, Refer refer) {
    t.emit(new CallEffect.SendRefer("PJSIP/" + refer.sip()));
    t.await(new Awaiting.Delegated(Delegate.REFER));
  }

  /** Asterisk sent the REFER: waits for the channel to end, at most {@link #TRANSFER_TIMEOUT}. */
  static void onAccepted(Transition t) {
    if (awaiting(t, Delegate.REFER)) {
      t.startTimer(ScriptTimer.REFER, TRANSFER_TIMEOUT);
      t.await(new Awaiting.Delegated(Delegate.REFER_ACCEPTED));
    }
  }

  /** Asterisk refused the redirect: no REFER went out. */
  static void onRefused(Transition t, String reason) {
    if (awaiting(t, Delegate.REFER)) {
      t.warn("<Refer> refused by Asterisk: " + reason);
      done(t, Map.of("ReferCallStatus", "failed"));
    }
  }

  /** The channel outlived an accepted REFER: the transfer failed and the call goes on. */
  static void onTimeout(Transition t) {
    if (awaiting(t, Delegate.REFER_ACCEPTED)) {
      t.warn("<Refer> accepted by Asterisk but the channel is still up after "
          + TRANSFER_TIMEOUT.toSeconds() + " s: the transfer failed");
      done(t, Map.of("ReferCallStatus", "failed"));
    }
  }

  /** The call resumed after a restart with its channel still up: the transfer did not happen. */
  static void onResumed(Transition t) {
    t.warn("resumed after a restart during a <Refer> with the channel still up: the transfer"
        + " counts as failed");
    done(t, Map.of("ReferCallStatus", "failed"));
  }

  /** The call ended during the {@code <Refer>}: the action is requested, its TwiML not run. */
  static void onCallEnded(Transition t, Instant at) {
    boolean accepted = awaiting(t, Delegate.REFER_ACCEPTED);
    t.cancelTimer(ScriptTimer.REFER);
    Optional<Webhook> action = action(t);
    if (action.isPresent()) {
      Map<String, String> params = accepted
          ? Map.of("ReferCallStatus", "in-progress", "ReferSipResponseCode", "202",
              "NotifySipResponseCode", "200")
          : Map.of("ReferCallStatus", "canceled");
      long id = t.state.counter() + 1;
      t.state = t.state.withCounter(id);
      t.emit(new CallEffect.FetchTwiml(id, action.get().url(), action.get().method(),
          Flow.sorted(params), FetchPurpose.AFTER_HANGUP));
    }
    t.finish();
  }

  /** Whether the script waits on a {@code <Refer>} in {@code stage}. */
  static boolean awaiting(Transition t, Delegate stage) {
    return t.state.awaiting() instanceof Awaiting.Delegated d && d.delegate() == stage;
  }

  /** Whether the script waits on a {@code <Refer>} at all. */
  static boolean referring(Transition t) {
    return awaiting(t, Delegate.REFER) || awaiting(t, Delegate.REFER_ACCEPTED);
  }

  private static void done(Transition t, Map<String, String> params) {
    t.cancelTimer(ScriptTimer.REFER);
    Optional<Webhook> action = action(t);
    if (action.isPresent()) {
      Flow.action(t, action.get(), Flow.sorted(params));
    } else {
      Flow.advance(t);
    }
  }

  private static Optional<Webhook> action(Transition t) {
    return t.state.frame().flatMap(ScriptState.Frame::verb)
        .filter(Refer.class::isInstance).map(Refer.class::cast)
        .flatMap(r -> r.action().map(url -> new Webhook(url, r.method())));
  }
}
