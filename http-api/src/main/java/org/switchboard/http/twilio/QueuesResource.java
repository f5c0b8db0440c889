package org.switchboard.http.twilio;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.QueueControl;
import org.switchboard.http.api.SeedRequests;

/**
 * Twilio's Queues and Members resources: queues listed, fetched, created, resized and deleted;
 * members listed, fetched and dequeued by {@code POST Members/X}.
 */
final class QueuesResource {
  private final QueueControl queues;
  private final TwilioJson json;

  QueuesResource(QueueControl queues, TwilioJson json) {
    this.queues = queues;
    this.json = json;
  }

  CompletionStage<Object> list(TwilioForm params) {
    Paging paging = Paging.of(params);
    return queues.listQueues(paging.offset(), paging.pageSize()).thenApply(page ->
        paging.envelope(json.accountPath() + "/Queues.json", Map.of(), "queues", page,
            page.items().stream().map(json::queue).toList()));
  }

  /** Twilio's largest {@code MaxSize}. */
  static final int MAX_QUEUE_SIZE = 5000;

  /** Twilio's longest {@code FriendlyName}. */
  static final int MAX_NAME_LENGTH = 64;

  /** {@code POST /Queues}: {@code FriendlyName} (required), {@code MaxSize}. */
  CompletionStage<Object> create(TwilioForm params) {
    String name = params.first("FriendlyName").orElseThrow(() ->
        TwilioError.bad(TwilioError.BAD_REQUEST, "FriendlyName is required"));
    if (name.length() > MAX_NAME_LENGTH) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST,
          "FriendlyName is longer than " + MAX_NAME_LENGTH + " characters");
    }
    return queues.createQueue(name, maxSize(params)).thenApply(json::queue);
  }

  /**
   * {@code POST /Queues/{sid}}: {@code MaxSize}. A queue is addressed by {@code <Enqueue>} with its
   * name, so renaming one ({@code FriendlyName} other than its own) is refused with a 400.
   */
  CompletionStage<Object> update(String queueSid, TwilioForm params) {
    OptionalInt maxSize = maxSize(params);
    Optional<String> name = params.first("FriendlyName");
    return queues.fetchQueue(queueSid).thenCompose(queue -> {
      if (name.isPresent() && !name.get().equals(queue.friendlyName())) {
        throw TwilioError.bad(TwilioError.BAD_REQUEST, "Renaming a queue is not supported"
            + " (<Enqueue> addresses it by name); create a queue named '" + name.get() + "'");
      }
      return maxSize.isPresent() ? queues.resizeQueue(queueSid, maxSize.getAsInt())
          : CompletableFuture.completedFuture(queue);
    }).thenApply(json::queue);
  }

  /** {@code DELETE /Queues/{sid}}: an empty queue only. */
  CompletionStage<Void> delete(String queueSid) {
    return queues.deleteQueue(queueSid);
  }

  private static OptionalInt maxSize(TwilioForm params) {
    Optional<String> value = params.first("MaxSize");
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    int size;
    try {
      size = Integer.parseInt(value.get());
    } catch (NumberFormatException e) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST, "MaxSize must be a number");
    }
    if (size < 1 || size > MAX_QUEUE_SIZE) {
      throw TwilioError.bad(TwilioError.BAD_REQUEST,
          "MaxSize must be between 1 and " + MAX_QUEUE_SIZE);
    }
    return OptionalInt.of(size);
  }

  CompletionStage<Object> fetch(String queueSid) {
    return queues.fetchQueue(queueSid).thenApply(json::queue);
  }

  CompletionStage<Object> members(String queueSid, TwilioForm params) {
    Paging paging = Paging.of(params);
    return queues.listMembers(queueSid, paging.offset(), paging.pageSize()).thenApply(page ->
        paging.envelope(json.accountPath() + "/Queues/" + queueSid + "/Members.json", Map.of(),
            "queue_members", page, page.items().stream().map(json::member).toList()));
  }

  CompletionStage<Object> member(String queueSid, String member) {
    return queues.fetchMember(queueSid, member).thenApply(json::member);
  }

  /** Dequeues {@code member} (a CallSid or {@code Front}) to {@code Url} (required). */
  CompletionStage<Object> dequeue(String queueSid, String member, TwilioForm params) {
    String text = params.first("Url").orElseThrow(() ->
        TwilioError.bad(TwilioError.INVALID_URL, "Url is required to dequeue a member"));
    URI url;
    try {
      url = SeedRequests.absoluteUrl(text, "Url");
    } catch (ApiException e) {
      throw TwilioError.bad(TwilioError.INVALID_URL, e.getMessage());
    }
    String method = params.method("Method", "POST");
    return queues.dequeue(queueSid, member, url, method).thenApply(json::member);
  }
}
