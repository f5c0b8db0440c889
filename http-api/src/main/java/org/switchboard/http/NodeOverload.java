package org.switchboard.http;

import org.apache.pekko.actor.typed.ActorSystem;
import org.switchboard.asterisk.client.AriConnector;
import org.switchboard.engine.call.ActiveCalls;
import org.switchboard.engine.call.DoorKeeper;
import org.switchboard.http.api.MetricsRegistry;
import org.switchboard.http.webhook.HttpWebhookClient;

/**
 * A node's admission control, wired: the door at every event socket ({@link DoorKeeper}, its
 * refusals on the connector's refusal lane) and the {@link OverloadGuard} that reads the node's
 * load (ARI round trips and pending commands, TwiML requests in flight, ARI events read and not
 * yet taken by their calls) and sheds new calls past {@code switchboard.overload}'s limits. Both
 * report in {@code /metrics}.
 */
final class NodeOverload {
  private NodeOverload() {}

  /** Opens the door of {@code ari}'s sockets and starts the guard over {@code calls}. */
  static OverloadGuard start(OverloadSettings settings, ActiveCalls calls, AriConnector ari,
      HttpWebhookClient webhooks, MetricsRegistry registry, ActorSystem<?> system) {
    DoorKeeper door = DoorKeeper.start(calls, ari.refusalPort(), system,
        settings.refusalsInFlight());
    ari.door(door);
    registry.gauge("switchboard_refusals_open",
        "New calls turned away at the door whose hangup Asterisk has not confirmed yet.",
        door::refusalsOpen);
    registry.gauge("switchboard_refusals_waiting",
        "Hangups of calls turned away at the door waiting for a slot of the refusal lane.",
        door::refusalsWaiting);
    OverloadGuard guard = new OverloadGuard(settings, calls, ari.ariPort().load(),
        webhooks::fetchesInFlight, () -> eventBacklog(ari));
    guard.register(registry);
    guard.start(system);
    return guard;
  }

  /** ARI events read off the sockets or routed, and not yet taken by their calls. */
  private static int eventBacklog(AriConnector ari) {
    var routed = ari.routerStats();
    return (int) Math.max(0, routed.routed() - routed.delivered() - routed.deliveryFailures())
        + ari.unreadEvents();
  }
}
