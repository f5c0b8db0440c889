package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.HttpMethod;
import com.twilio.rest.api.v2010.account.Queue;
import com.twilio.rest.api.v2010.account.queue.Member;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Twilio's Queues and Members resources through the Twilio Java SDK: a caller in {@code
 * <Enqueue>} is listed in its queue, fetched as a member (by CallSid and as {@code Front}) and
 * dequeued by a Member update, which redirects its call.
 */
class QueuesCompatTest extends CompatTest {
  @Override
  CompatHarness harness() throws Exception {
    CompatHarness harness = new CompatHarness(List.of());
    harness.app.on("/voice", "<Enqueue waitUrl=\"/wait\">support</Enqueue>");
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
}
