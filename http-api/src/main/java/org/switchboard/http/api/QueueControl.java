package org.switchboard.http.api;

import java.net.URI;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * What the HTTP layer asks of the engine's queues (TwiML {@code <Enqueue>} queues, addressed by
 * their QueueSid {@code QU…}). Same conventions as {@link CallControl}: non-blocking, failures are
 * {@link ApiException}s.
 */
public interface QueueControl {
  /** The member id Twilio uses for "the member at the front of the queue". */
  String FRONT = "Front";

  /**
   * A queue as Twilio's Queue resource shows it.
   *
   * @param averageWaitSeconds average wait of the members now in the queue
   */
  record QueueInfo(
      String sid,
      String friendlyName,
      int currentSize,
      int maxSize,
      int averageWaitSeconds,
      Instant dateCreated,
      Instant dateUpdated) {}

  /**
   * A call waiting in a queue (Twilio's Member resource).
   *
   * @param position 1-based
   * @param waitSeconds time since it was enqueued
   */
  record MemberInfo(
      String callSid, String queueSid, Instant dateEnqueued, int position, int waitSeconds) {}

  /** The queues, by friendly name, from {@code offset}, at most {@code limit}. */
  CompletionStage<Page<QueueInfo>> listQueues(int offset, int limit);

  /** One queue. Errors: {@code NOT_FOUND}. */
  CompletionStage<QueueInfo> fetchQueue(String queueSid);

  /** The members of a queue by position. Errors: {@code NOT_FOUND} (unknown queue). */
  CompletionStage<Page<MemberInfo>> listMembers(String queueSid, int offset, int limit);

  /**
   * One member, by CallSid or {@link #FRONT}. Errors: {@code NOT_FOUND} (unknown queue, call not
   * in it, or queue empty for {@code Front}).
   */
  CompletionStage<MemberInfo> fetchMember(String queueSid, String callSidOrFront);

  /**
   * Takes the member (CallSid or {@link #FRONT}) out of the queue and redirects its call to {@code
   * url} fetched with {@code method} (the {@code <Enqueue>} action is not called, as with
   * Twilio). Answers the member as it was when dequeued.
   *
   * <p>Errors: {@code NOT_FOUND} (unknown queue or member, or empty queue for {@code Front}).
   */
  CompletionStage<MemberInfo> dequeue(String queueSid, String callSidOrFront, URI url, String method);

  /**
   * Creates the queue {@code friendlyName} (Twilio's {@code POST /Queues}) with {@code maxSize}
   * (empty: the default), or answers the existing queue of that name with {@code maxSize} applied.
   */
  default CompletionStage<QueueInfo> createQueue(String friendlyName, java.util.OptionalInt maxSize) {
    return java.util.concurrent.CompletableFuture.failedFuture(
        new ApiException(405, ApiException.INVALID_PARAMETER, "creating queues is not supported"));
  }

  /**
   * Changes a queue's {@code MaxSize} (members already waiting stay). Errors: {@code NOT_FOUND}.
   */
  default CompletionStage<QueueInfo> resizeQueue(String queueSid, int maxSize) {
    return java.util.concurrent.CompletableFuture.failedFuture(
        new ApiException(405, ApiException.INVALID_PARAMETER, "updating queues is not supported"));
  }

  /**
   * Deletes an empty queue. Errors: {@code NOT_FOUND}; {@code INVALID_PARAMETER} while calls wait
   * in it.
   */
  default CompletionStage<Void> deleteQueue(String queueSid) {
    return java.util.concurrent.CompletableFuture.failedFuture(
        new ApiException(405, ApiException.INVALID_PARAMETER, "deleting queues is not supported"));
  }
}
