package org.switchboard.http.twilio;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.QueueControl;
import org.switchboard.http.api.SeedRequests;

/** Twilio's Queues and Members resources: list, fetch, and dequeue by {@code POST Members/X}. */
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
