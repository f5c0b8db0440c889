package org.switchboard.loadtest;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.MailboxType;
import org.apache.pekko.dispatch.MessageQueue;
import org.apache.pekko.dispatch.ProducesMessageQueue;
import org.apache.pekko.dispatch.UnboundedMailbox;
import scala.Option;

/**
 * Pekko's unbounded mailbox, counting the messages put into it by actor system and kind of actor:
 * how many actor messages a call costs, whatever the rate or the machine (each one a mailbox
 * scheduled on a dispatcher, and on a small machine often a thread woken). Enabled with
 * {@code -Dloadtest.count-messages=true} ({@link #install}: classic and typed actors and streams,
 * in one process; the load test then prints the messages per completed call). Classic actors
 * that require a deque (the stashing ones) are not counted.
 */
public final class CountingMailbox
    implements MailboxType, ProducesMessageQueue<UnboundedMailbox.MessageQueue> {
  private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

  /** The mailbox settings of classic actors, typed actors and streams, in that order. */
  static final java.util.List<String> SETTINGS = java.util.List.of(
      "pekko.actor.default-mailbox.mailbox-type",
      "pekko.actor.mailbox.unbounded-queue-based.mailbox-type",
      "pekko.actor.typed.default-mailbox.mailbox-type",
      "pekko.stream.materializer.mailbox.mailbox-type");

  /**
   * Makes every actor system started from now on in this JVM count its messages ({@code
   * -Dloadtest.count-messages=true}): sets each mailbox setting to this class.
   */
  static void install() {
    SETTINGS.forEach(key -> System.setProperty(key, CountingMailbox.class.getName()));
    com.typesafe.config.ConfigFactory.invalidateCaches();
  }

  /** The constructor Pekko calls. */
  public CountingMailbox(ActorSystem.Settings settings, Config config) {}

  @Override
  public MessageQueue create(Option<ActorRef> owner, Option<ActorSystem> system) {
    String key = (system.isDefined() ? system.get().name() : "?") + " "
        + (owner.isDefined() ? kind(owner.get().path().toStringWithoutAddress()) : "?");
    LongAdder count = COUNTS.computeIfAbsent(key, k -> new LongAdder());
    return new UnboundedMailbox.MessageQueue() {
      @Override
      public void enqueue(ActorRef receiver, Envelope handle) {
        count.increment();
        super.enqueue(receiver, handle);
      }
    };
  }

  /** The kind of actor at {@code path} ({@code /system/sharding/Call/12/CA…} → "sharding entity"). */
  static String kind(String path) {
    String[] p = path.split("/");
    // p[0] is empty: "", "system" or "user", then the names.
    if (p.length > 3 && p[1].equals("system") && p[2].equals("sharding")) {
      return switch (p.length) {
        case 4 -> "sharding region " + p[3];
        case 5 -> "sharding shard " + p[3];
        default -> "sharding entity " + p[3] + (p.length > 6 ? " child" : "");
      };
    }
    if (path.contains("StreamSupervisor")) {
      return "stream";
    }
    if (p.length > 2) {
      return p[1] + " " + p[2].replaceAll("[0-9$-]+.*$", "");
    }
    return path;
  }

  /** The counts so far, by "system kind"; empty when the mailbox is not in use. */
  static Map<String, Long> snapshot() {
    Map<String, Long> now = new TreeMap<>();
    COUNTS.forEach((k, v) -> now.put(k, v.sum()));
    return now;
  }

  /**
   * "kind n.n; …" per call for the counts that grew from {@code before} to {@code after}, largest
   * first, with the total; empty when nothing was counted.
   */
  static String perCall(Map<String, Long> before, Map<String, Long> after, int calls) {
    if (calls <= 0) {
      return "";
    }
    Map<String, Long> grown = new TreeMap<>();
    after.forEach((k, v) -> {
      long d = v - before.getOrDefault(k, 0L);
      if (d > 0) {
        grown.put(k, d);
      }
    });
    if (grown.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder();
    long total = 0;
    for (Map.Entry<String, Long> e : grown.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).toList()) {
      total += e.getValue();
      if (e.getValue() * 10 >= calls) {
        s.append(String.format(java.util.Locale.ROOT, "%s %.1f; ", e.getKey(),
            (double) e.getValue() / calls));
      }
    }
    return s.append(String.format(java.util.Locale.ROOT, "all %.1f", (double) total / calls))
        .toString();
  }
}
