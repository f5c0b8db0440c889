package org.switchboard.asterisk.router;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.EventSink;
import org.switchboard.engine.port.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes decoded ARI events of one or many servers to the engine's {@link EventSink}: maps them
 * with {@link AriEventMapper}, drops subscribeAll duplicates, passes link news to {@link
 * EventSink#serverEvent} at once, and delivers channel events through an {@link
 * OrderedDeliveryStage} keyed by {@code serverId/routingId}: in order per channel or bridge,
 * parallel across them, bounded, backpressuring upstream when a bound is hit.
 *
 * <p>Each {@link #sink()} materialization has its own bounds. Running one per server (as {@code
 * AriConnector} does) keeps a stalled call on one server from backpressuring the others.
 * Counters and dedup memory are shared by all materializations.
 */
public final class EventRouter {
  private static final Logger log = LoggerFactory.getLogger(EventRouter.class);

  private final EventSink sink;
  private final RouterSettings settings;
  private final AriEventMapper mapper;
  private final DuplicateFilter duplicates;
  private final RouterStats stats = new RouterStats();

  public EventRouter(EventSink sink, RouterSettings settings) {
    this.sink = sink;
    this.settings = settings;
    this.mapper =
        new AriEventMapper(settings.routedVariables(), settings.routedVariablePrefixes());
    this.duplicates = new DuplicateFilter(settings.dedupMemory());
  }

  /**
   * A sink for a stream of router inputs. Completes when upstream completed and every event was
   * acknowledged; fails when upstream failed.
   */
  public Sink<RouterInput, CompletionStage<Done>> sink() {
    OrderedDeliveryStage<ChannelEvent> delivery =
        new OrderedDeliveryStage<>(
            EventRouter::key,
            sink::deliver,
            new OrderedDeliveryStage.Listener<>() {
              @Override
              public void delivered(ChannelEvent event) {
                stats.delivered();
              }

              @Override
              public void failed(ChannelEvent event, Throwable error) {
                stats.deliveryFailed();
                Throwable cause = Failures.cause(error);
                if (cause instanceof TimeoutException) {
                  // The event was handed over; only its acknowledgement is late. Order per
                  // channel holds (one sender), so the next event of the channel goes on.
                  log.warn("engine did not acknowledge {} in time (it is still queued for its"
                      + " call and may run late): {}", event, cause.toString());
                } else {
                  log.warn("engine refused {}: {}", event, cause.toString());
                }
              }
            },
            settings.perRoutingIdBuffer(),
            settings.maxInFlight());
    return Flow.<RouterInput>create()
        .mapConcat(this::route)
        .toMat(Sink.fromGraph(delivery), Keep.right());
  }

  /** The router's counters. */
  public RouterStats.Snapshot stats() {
    return stats.snapshot();
  }

  private List<ChannelEvent> route(RouterInput input) {
    if (input instanceof RouterInput.Link link) {
      serverEvent(link.event());
      return List.of();
    }
    RouterInput.Ari ari = (RouterInput.Ari) input;
    stats.received();
    if (duplicates.isDuplicate(ari.serverId(), ari.event())) {
      stats.duplicate();
      return List.of();
    }
    Routing routing;
    try {
      routing = mapper.map(ari.serverId(), ari.event());
    } catch (RuntimeException e) {
      stats.unmappable();
      log.warn("cannot route {} from {}: {}", ari.event().type(), ari.serverId(), e.toString());
      return List.of();
    }
    if (routing instanceof Routing.ToChannel toChannel) {
      stats.routed();
      return List.of(toChannel.event());
    }
    if (routing instanceof Routing.ToServer toServer) {
      serverEvent(toServer.event());
    } else {
      stats.ignored(((Routing.Ignored) routing).reason());
    }
    return List.of();
  }

  private void serverEvent(org.switchboard.engine.port.ServerEvent event) {
    stats.serverEvent();
    try {
      sink.serverEvent(event);
    } catch (RuntimeException e) {
      log.error("engine failed on server event {}", event, e);
    }
  }

  private static String key(ChannelEvent event) {
    return event.serverId() + "/" + event.routingId();
  }
}
