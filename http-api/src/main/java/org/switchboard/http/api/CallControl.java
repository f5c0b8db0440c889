package org.switchboard.http.api;

import java.util.concurrent.CompletionStage;
import org.switchboard.http.api.CallModel.BridgeCounts;
import org.switchboard.http.api.CallModel.CallFilter;
import org.switchboard.http.api.CallModel.CallInfo;
import org.switchboard.http.api.CallModel.CallInstructions;
import org.switchboard.http.api.CallModel.CancelRingingRequest;
import org.switchboard.http.api.CallModel.CancelRingingResult;
import org.switchboard.http.api.CallModel.CreateCallRequest;
import org.switchboard.http.api.CallModel.EndMode;
import org.switchboard.http.api.CallModel.HangupRequest;
import org.switchboard.http.api.CallModel.HangupResult;
import org.switchboard.http.api.CallModel.HealthSnapshot;
import org.switchboard.http.api.CallModel.RingRequest;
import org.switchboard.http.api.CallModel.RingResult;
import org.switchboard.http.api.CallModel.SystemStatus;

/**
 * What the HTTP layer asks of the call engine. The HTTP layer authenticates and validates every
 * request before calling a method here, so an implementation may assume well-formed arguments
 * (non-null, non-empty where documented) and only checks what needs engine state.
 *
 * <p>Every method returns at once and completes its future later; it never blocks the caller.
 * Failures complete the future exceptionally with an {@link ApiException} (the codes each method
 * may use are listed on it); any other exception is answered as a 500 and logged. A method that
 * completes exceptionally must not have started any side effect, or must say so in its Javadoc.
 */
public interface CallControl {

  /**
   * A cheap snapshot for {@code GET /health}: the number of live calls and each Asterisk link's
   * state. Must answer within a second or two even when Asterisk is down (the route gives up after
   * the configured ask timeout and reports {@code "unknown"}). Never fails with a client error.
   */
  CompletionStage<HealthSnapshot> health();

  /**
   * The Llamenos bridge's counters for {@code GET /health} and {@code /status}. Must answer
   * within a second or two even when Asterisk is down: a count that cannot be taken in time is
   * -1. Never fails with a client error.
   */
  CompletionStage<BridgeCounts> bridgeCounts();

  /**
   * Details for {@code GET /status} and {@code /command action=status}: per Asterisk server its
   * link state, {@code GET /asterisk/info} summary and channel/bridge counts, plus live calls,
   * ringing legs and queues. A server that cannot be asked is listed with its link state and
   * counts of -1 rather than failing the whole answer.
   */
  CompletionStage<SystemStatus> status();

  /**
   * Rings every target of {@code request} in parallel on the Asterisk server of the parent call
   * (a bridge joins channels of one server only). Channel ids are chosen before originating. The
   * first leg to answer wins atomically: if {@code answerUrl} is set, it gets a webhook with the
   * leg's Twilio parameters plus {@code ParentCallSid}, and the TwiML it returns runs on that leg;
   * every other leg is cancelled and reports {@code canceled}. Completes once every leg has been
   * originated (or failed to be), listing the legs that are ringing.
   *
   * <p>Errors: {@code NOT_FOUND} (parent call unknown or already ended), {@code
   * INVALID_CALL_STATE} (parent call is being torn down), {@code UNAVAILABLE} (its Asterisk server
   * is unreachable; nothing was originated), {@code INVALID_PARAMETER} (no target could be turned
   * into a dial string).
   */
  CompletionStage<RingResult> ring(RingRequest request);

  /**
   * Cancels the listed ringing legs, except the one named by {@code except}. Each id is an ARI
   * channel id or a leg's CallSid. Legs already answered or ended and unknown ids are skipped (not
   * an error: the race between an answer and a cancel is normal); the result lists those actually
   * cancelled. Cancelled legs report {@code canceled}, never {@code completed}.
   *
   * <p>Errors: {@code UNAVAILABLE} only when no Asterisk server could be asked at all.
   */
  CompletionStage<CancelRingingResult> cancelRinging(CancelRingingRequest request);

  /**
   * Hangs up the call or leg named by an ARI channel id or a CallSid, the way TwiML
   * {@code <Hangup>} would (status callbacks fire; a ringing leg ends as {@code canceled}).
   *
   * <p>Errors: {@code NOT_FOUND} (unknown id, or the call already ended), {@code UNAVAILABLE}.
   */
  CompletionStage<HangupResult> hangup(HangupRequest request);

  /**
   * Originates an outbound call (Twilio {@code POST /Calls}): answers at once with the new call in
   * status {@code queued} and direction {@code outbound-api}; dialling, the status callbacks of
   * {@code statusCallbackEvents} and the TwiML fetch on answer follow asynchronously.
   *
   * <p>Errors: {@code INVALID_PARAMETER} (the engine cannot route {@code to}), {@code
   * UNAVAILABLE} (no Asterisk server can carry the call; nothing was created).
   */
  CompletionStage<CallInfo> createCall(CreateCallRequest request);

  /**
   * The call with this CallSid, live or ended (ended calls are kept for a configured time).
   *
   * <p>Errors: {@code NOT_FOUND}.
   */
  CompletionStage<CallInfo> fetchCall(String callSid);

  /**
   * The calls matching {@code filter}, newest first, from {@code offset} (0-based), at most {@code
   * limit} (1..1000) of them.
   */
  CompletionStage<Page<CallInfo>> listCalls(CallFilter filter, int offset, int limit);

  /**
   * Replaces whatever the live call is doing with new instructions (Twilio's update with {@code
   * Url} or {@code Twiml}): the current verb stops, the URL is fetched (or the TwiML parsed) and
   * runs on the call. Answers the call as it is after the redirect was accepted.
   *
   * <p>Errors: {@code NOT_FOUND}, {@code INVALID_CALL_STATE} (the call has ended), {@code
   * INVALID_PARAMETER} (inline TwiML that does not parse).
   */
  CompletionStage<CallInfo> redirectCall(String callSid, CallInstructions instructions);

  /**
   * Ends the call (Twilio's update with {@code Status}). {@link EndMode#COMPLETED} hangs up a call
   * in any live state; {@link EndMode#CANCELED} ends it only while {@code queued} or {@code
   * ringing} and leaves an answered call alone (Twilio's semantics). Answers the call afterwards.
   *
   * <p>Errors: {@code NOT_FOUND}, {@code INVALID_CALL_STATE} (the call had already ended).
   */
  CompletionStage<CallInfo> endCall(String callSid, EndMode mode);
}
