package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.rest.api.v2010.account.Queue;
import com.twilio.rest.api.v2010.account.queue.Member;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Twilio's Queues and Members resources through the Twilio Java SDK: a caller in {@code
 * <Enqueue>} is listed in its queue, fetched as a member (by CallSid and as {@code Front}) and
 * dequeued by a Member update, which redirects its call. A queue created through the API takes its
 * {@code MaxSize} (a caller over it gets {@code QueueResult=queue-full}), is resized, stays listed
 * with its own {@code date_created} after its actor went idle, and is deleted once empty.
 */
class QueuesCompatTest extends CompatTest {
  @Override
  CompatHarness harness() throws Exception {
    CompatHarness harness = new CompatHarness(List.of(),
        Map.of("switchboard.hotline.queue-idle-timeout", "300ms"));
    harness.app.on("/voice", w -> w.param("To").equals("+15550003002")
        ? "<Enqueue waitUrl=\"/wait\" action=\"/left\">sales</Enqueue>"
        : "<Enqueue waitUrl=\"/wait\">support</Enqueue>");
    harness.app.on("/left", "<Hangup/>");
    harness.app.on("/wait", "<Play loop=\"0\">http://127.0.0.1:1/hold.wav</Play>");
    harness.app.on("/dequeued", "<Say>You were dequeued.</Say><Hangup/>");
    return harness;
  }

  @Test
  void aWaitingCallerIsListedFetchedAndDequeued() {
    String channel = h.sim.inboundCall("+15557770101", "+15550003001");
    String callSid = CompatHarness.callSid(channel);
    h.app.await("/wait", callSid, Map.of("QueuePosition", "1"), CompatHarness.WAIT);

    Queue support = all(Queue.reader().read(h.twilio)).stream()
        .filter(q -> q.getFriendlyName().equals("support")).findFirst().orElseThrow();
    assertEquals(Integer.valueOf(1), support.getCurrentSize());
    assertEquals(support.getSid(), Queue.fetcher(support.getSid()).fetch(h.twilio).getSid());
    List<Member> members = all(Member.reader(support.getSid()).read(h.twilio));
    assertEquals(List.of(callSid), members.stream().map(Member::getCallSid).toList());
    assertEquals(Integer.valueOf(1), members.get(0).getPosition());
    assertEquals(callSid, Member.fetcher(support.getSid(), "Front").fetch(h.twilio).getCallSid());

    int plays = h.ari("POST", "/play").size();
    Member dequeued = Member.updater(support.getSid(), "Front", h.app.url("/dequeued"))
        .setMethod(HttpMethod.POST).update(h.twilio);
    assertEquals(callSid, dequeued.getCallSid());
    h.app.await("/dequeued", callSid, Map.of(), CompatHarness.WAIT);
    h.awaitTrue(() -> h.ari("POST", "/play").size() > plays, "the dequeued TwiML speaking");
    h.app.await("/status", callSid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    assertTrue(h.app.webhooks().stream().noneMatch(w -> w.path().equals("/voice")
        && w.params().containsKey("QueueResult")), "no Enqueue action on a REST dequeue");
  }

  @Test
  void aQueueIsCreatedResizedListedWhileIdleAndDeleted() {
    Queue sales = Queue.creator("sales").setMaxSize(1).create(h.twilio);
    assertEquals("sales", sales.getFriendlyName());
    assertEquals(Integer.valueOf(1), sales.getMaxSize());
    assertEquals(Integer.valueOf(0), sales.getCurrentSize());
    ZonedDateTime created = sales.getDateCreated();

    String first = CompatHarness.callSid(h.sim.inboundCall("+15557770201", "+15550003002"));
    h.app.await("/wait", first, Map.of("QueuePosition", "1"), CompatHarness.WAIT);
    String second = CompatHarness.callSid(h.sim.inboundCall("+15557770202", "+15550003002"));
    h.app.await("/left", second, Map.of("QueueResult", "queue-full"), CompatHarness.WAIT);
    h.app.await("/status", second, Map.of("CallStatus", "completed"), CompatHarness.WAIT);

    ApiException busy = assertThrows(ApiException.class,
        () -> Queue.deleter(sales.getSid()).delete(h.twilio));
    assertEquals(400, busy.getStatusCode());
    Queue resized = Queue.updater(sales.getSid()).setMaxSize(2).update(h.twilio);
    assertEquals(Integer.valueOf(2), resized.getMaxSize());
    assertEquals(created, resized.getDateCreated());
    String third = CompatHarness.callSid(h.sim.inboundCall("+15557770203", "+15550003002"));
    h.app.await("/wait", third, Map.of("QueuePosition", "2"), CompatHarness.WAIT);
    ApiException rename = assertThrows(ApiException.class, () -> Queue.updater(sales.getSid())
        .setFriendlyName("other").update(h.twilio));
    assertEquals(400, rename.getStatusCode());

    h.sim.callerHangup(h.sim.channels().stream().filter(c -> CompatHarness.callSid(c.id())
        .equals(first)).findFirst().orElseThrow().id());
    h.sim.callerHangup(h.sim.channels().stream().filter(c -> CompatHarness.callSid(c.id())
        .equals(third)).findFirst().orElseThrow().id());
    h.app.await("/left", third, Map.of("QueueResult", "hangup"), CompatHarness.WAIT);
    h.awaitTrue(() -> !h.node.operations().queues().isLive("sales"), "the idle queue passivated");
    Queue idle = all(Queue.reader().read(h.twilio)).stream()
        .filter(q -> q.getSid().equals(sales.getSid())).findFirst().orElseThrow();
    assertEquals(Integer.valueOf(0), idle.getCurrentSize());
    assertEquals(Integer.valueOf(2), idle.getMaxSize());
    assertEquals(created, idle.getDateCreated());

    assertTrue(Queue.deleter(sales.getSid()).delete(h.twilio));
    ApiException gone = assertThrows(ApiException.class,
        () -> Queue.fetcher(sales.getSid()).fetch(h.twilio));
    assertEquals(20404, gone.getCode());
    assertTrue(all(Queue.reader().read(h.twilio)).stream()
        .noneMatch(q -> q.getSid().equals(sales.getSid())));
  }
}
