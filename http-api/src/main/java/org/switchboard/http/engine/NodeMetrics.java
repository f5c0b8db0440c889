package org.switchboard.http.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.switchboard.asterisk.client.AriConnector;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.engine.hotline.CallOperations;
import org.switchboard.http.api.QueueControl;
import org.switchboard.http.api.SwitchboardMetrics;
import org.switchboard.http.webhook.HttpWebhookClient;
import org.switchboard.http.webhook.WebhookMetrics;

/**
 * Feeds {@code /metrics} from the running node: gauges read live state (active calls, outbox
 * depth, queues refreshed every second), ended calls are counted as they end, a one-second sweep
 * turns ARI reconnects into counters, and the webhook client reports every request's latency,
 * every attempt, failed attempt and retry, and every outbox delivery, retry and dead letter.
 */
public final class NodeMetrics {
  private static final Duration SWEEP = Duration.ofSeconds(1);
  private static final int REMEMBERED_ENDED = 50_000;

  private NodeMetrics() {}

  /** Wraps the engine's event sink so every event's lag (Asterisk's timestamp → delivery) is measured. */
  public static org.switchboard.engine.port.EventSink measuringLag(
      org.switchboard.engine.port.EventSink sink, SwitchboardMetrics metrics, java.time.Clock clock) {
    return new org.switchboard.engine.port.EventSink() {
      @Override
      public java.util.concurrent.CompletionStage<org.apache.pekko.Done> deliver(
          org.switchboard.engine.port.ChannelEvent event) {
        Duration lag = Duration.between(event.timestamp(), clock.instant());
        metrics.ariEventLag(event.serverId(), lag.isNegative() ? Duration.ZERO : lag);
        return sink.deliver(event);
      }

      @Override
      public void serverEvent(org.switchboard.engine.port.ServerEvent event) {
        sink.serverEvent(event);
      }
    };
  }

  /** Counts the webhook client's events in {@code metrics}. */
  public static WebhookMetrics.Observer webhookObserver(SwitchboardMetrics metrics) {
    return new WebhookMetrics.Observer() {
      @Override
      public void attempt(String purpose, boolean retry) {
        metrics.webhookAttempt(purpose, retry);
      }

      @Override
      public void attemptFailed(String purpose, String kind) {
        metrics.webhookFailed(purpose, kind);
      }

      @Override
      public void outboxDelivered() {
        metrics.outboxResult("delivered");
      }

      @Override
      public void outboxRetried() {
        metrics.outboxResult("retried");
      }

      @Override
      public void outboxDeadLettered() {
        metrics.outboxResult("dead_lettered");
      }
    };
  }

  /** Wires every source of {@code metrics} and starts the sweep on the node's scheduler. */
  public static void register(
      ActorSystem<?> system,
      SwitchboardMetrics metrics,
      CallOperations ops,
      QueueControl queues,
      HttpWebhookClient webhooks,
      AriConnector ari) {
    metrics.activeCallsSource(() -> ops.calls().active().count());
    metrics.ringingLegsSource(() -> ops.calls().active().ringingLegs());
    metrics.outboxDepthSource(webhooks::outboxDepth);
    AtomicReference<List<QueueControl.QueueInfo>> queueInfo = new AtomicReference<>(List.of());
    metrics.queuesSource(queueInfo::get);
    webhooks.metrics().onRequest((purpose, ms) -> metrics.webhookLatency(purpose, Duration.ofMillis(ms)));
    webhooks.metrics().observe(webhookObserver(metrics));
    ari.links().keySet().forEach(id -> ari.client(id).onLatency(metrics::ariCommandLatency));
    // Counted as each call ends (a call recorded again later is not counted twice); listing the
    // whole history every sweep cost ~2 % of the CPU at hundreds of calls a second.
    Set<String> counted = new LinkedHashSet<>();
    ops.history().addListener(ended -> {
      synchronized (counted) {
        if (!counted.add(ended.callSid())) {
          return;
        }
        if (counted.size() > REMEMBERED_ENDED) {
          counted.remove(counted.iterator().next());
        }
      }
      metrics.callEnded(EngineCallControl.status(ended.status()));
    });
    Map<String, Long> connects = new HashMap<>();
    system
        .scheduler()
        .scheduleWithFixedDelay(
            SWEEP,
            SWEEP,
            () -> {
              queues.listQueues(0, 1000).thenAccept(p -> queueInfo.set(p.items()));
              for (LinkStatus link : ari.links().values()) {
                long before = connects.getOrDefault(link.serverId(), 1L);
                for (long i = Math.max(1, before); i < link.connects(); i++) {
                  metrics.ariReconnected(link.serverId());
                }
                connects.put(link.serverId(), Math.max(before, link.connects()));
              }
            },
            system.executionContext());
  }
}
