package org.switchboard.http.stream;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.Delegation;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.http.stream.StreamParams.Track;

/**
 * One {@code <Stream>} of a call, as the call's {@link Delegation}: starts the
 * {@link MediaStreamSession}, then per track a mixing bridge joining the audio source (the caller
 * for {@code <Connect>}, a snoop channel on the caller for {@code <Start>}) with an ExternalMedia
 * channel that sends RTP to the session; tears it all down when the call stops it, the
 * application closes the socket or something fails.
 *
 * <p>Every id is {@code <CallSid>-<kind>-<n>}, so Asterisk's events for these resources reach
 * the call that owns them. A {@code <Connect>} that ends by itself (application closed the socket,
 * or the stream failed) tells the call {@link CallCommand.StreamClosed}; one stopped by the call
 * (hangup, redirect) does not, the call has moved on. Thread-safe: the call actor calls
 * {@link #stop} and {@link #onEvent}, futures complete on other threads.
 */
final class StreamRelay implements Delegation {

  private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);

  /**
   * The ARI resources of one track.
   *
   * @param track the stream track the ExternalMedia channel feeds
   * @param snoop the snoop channel on the caller ({@code <Start>}), if any
   * @param spy the snoop direction: {@code in} or {@code out}
   * @param bridgeId the mixing bridge
   * @param externalMediaId the ExternalMedia channel
   */
  record Leg(Track track, Optional<String> snoop, String spy, String bridgeId,
      String externalMediaId) {}

  private final AriPort ari;
  private final RelayedSession session;
  private final ChannelRef caller;
  private final List<Leg> legs;
  private final Optional<ActorRef<CallCommand>> connectOf;
  private final String bridgeType;
  private final Optional<java.net.URI> mediaSockets;
  private final Object lock = new Object();
  private final List<String> channelsToRelease = new ArrayList<>();
  private final List<String> bridgesToRelease = new ArrayList<>();
  private final CompletableFuture<Done> released = new CompletableFuture<>();
  private CompletionStage<Void> setup = CompletableFuture.completedFuture(null);
  private boolean stopped;
  private boolean finishing;

  /**
   * A relay; {@code connectOf} is the call to tell {@link CallCommand.StreamClosed} for a
   * {@code <Connect>}, empty for a {@code <Start>} fork.
   */
  StreamRelay(AriPort ari, RelayedSession session, ChannelRef caller,
      List<Leg> legs, Optional<ActorRef<CallCommand>> connectOf) {
    this(ari, session, caller, legs, connectOf, Optional.empty());
  }

  /**
   * A relay whose ExternalMedia channels use chan_websocket when {@code mediaSockets} is given:
   * the server's {@code ws://host:port/media/} prefix the connection ids are appended to.
   */
  StreamRelay(AriPort ari, RelayedSession session, ChannelRef caller,
      List<Leg> legs, Optional<ActorRef<CallCommand>> connectOf,
      Optional<java.net.URI> mediaSockets) {
    this.mediaSockets = mediaSockets;
    this.ari = ari;
    this.session = session;
    this.caller = caller;
    this.legs = List.copyOf(legs);
    this.connectOf = connectOf;
    this.bridgeType = connectOf.isPresent() ? "mixing,dtmf_events" : "mixing";
  }

  /** Starts the session and builds the ARI side; returns at once. */
  StreamRelay start() {
    String sid = session.params().streamSid();
    CompletionStage<Void> built = session.start().thenCompose(addresses -> {
      CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
      for (Leg leg : legs) {
        chain = chain.thenCompose(v -> build(leg, addresses.get(leg.track())));
      }
      return chain;
    });
    synchronized (lock) {
      setup = built;
    }
    built.whenComplete((v, error) -> {
      if (error == null) {
        log.info("stream {} of {}: relaying {}", sid, caller, legs);
      } else if (!(Failures.cause(error) instanceof CancellationException)) {
        session.fail("cannot set up the media path: " + Failures.cause(error).getMessage());
      }
    });
    session.completion().thenAccept(this::onSessionEnded);
    return this;
  }

  /** The stream's session, for a Media Streams relay. */
  MediaStreamSession session() {
    return (MediaStreamSession) session;
  }

  /** The stream's session, whatever it speaks. */
  RelayedSession relayed() {
    return session;
  }

  /** Completes once every bridge and channel of the stream has been released. */
  CompletionStage<Done> released() {
    return released;
  }

  @Override
  public void stop(String reason) {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    log.info("stream {} of {}: stopping ({})", session.params().streamSid(), caller, reason);
    session.stop();
    finish();
  }

  /** Its bridges, ExternalMedia and snoop channels. */
  @Override
  public boolean holds(String resourceId) {
    return legs.stream().anyMatch(l -> l.bridgeId().equals(resourceId)
        || l.externalMediaId().equals(resourceId)
        || l.snoop().filter(resourceId::equals).isPresent());
  }

  @Override
  public void onEvent(ChannelEvent event) {
    if (event instanceof ChannelEvent.DtmfReceived d && d.id().equals(caller.channelId())
        && !d.digit().isEmpty()) {
      session.dtmf(d.digit().charAt(0));
      return;
    }
    String gone = event instanceof ChannelEvent.HangupRequested h ? h.id()
        : event instanceof ChannelEvent.ChannelDestroyed d ? d.id()
        : event instanceof ChannelEvent.StasisLeft l ? l.id() : null;
    if (gone != null && !isStopped() && ownsChannel(gone)) {
      session.fail("Asterisk hung up " + gone);
    }
  }

  private CompletionStage<Void> build(Leg leg, InetSocketAddress local) {
    String server = caller.serverId();
    String source = leg.snoop().orElse(caller.channelId());
    CompletionStage<Done> tap = leg.snoop().isEmpty() ? CompletableFuture.completedFuture(Done.getInstance())
        : issue(() -> ari.snoop(caller, leg.snoop().get(), leg.spy()),
            leg.snoop().get(), false);
    return tap
        .thenCompose(d -> issue(() -> ari.createBridge(server, leg.bridgeId(), bridgeType,
            leg.bridgeId()), leg.bridgeId(), true))
        .thenCompose(d -> issue(() -> ari.externalMedia(externalMedia(server, leg, local)),
            leg.externalMediaId(), false))
        .thenCompose(vars -> {
          CompletionStage<Void> media;
          if (mediaSockets.isPresent()) {
            String id = vars == null ? null : vars.get("MEDIA_WEBSOCKET_CONNECTION_ID");
            if (id == null || id.isBlank()) {
              return CompletableFuture.failedFuture(new IllegalStateException(
                  "ExternalMedia over WebSocket returned no MEDIA_WEBSOCKET_CONNECTION_ID"));
            }
            media = session.connectAsterisk(leg.track(), mediaSockets.get().resolve(id));
          } else {
            asteriskAddress(vars).ifPresent(a -> session.asteriskAddress(leg.track(), a));
            media = CompletableFuture.completedFuture(null);
          }
          return media.thenCompose(v -> issue(() -> ari.addToBridge(server, leg.bridgeId(),
              List.of(source, leg.externalMediaId())), null, false));
        })
        .thenApply(d -> null);
  }

  /**
   * The ExternalMedia request: RTP to {@code local}, or chan_websocket accepting Switchboard's
   * connection ({@code external_host=INCOMING}, {@code connection_type=server}).
   */
  private AriPort.ExternalMediaRequest externalMedia(String server, Leg leg,
      InetSocketAddress local) {
    String format = session.params().encoding().asteriskFormat();
    return mediaSockets.isPresent()
        ? new AriPort.ExternalMediaRequest(server, leg.externalMediaId(), "INCOMING", format,
            "none", "websocket", "both", null)
        : new AriPort.ExternalMediaRequest(server, leg.externalMediaId(), hostPort(local), format,
            "rtp", "udp", "both", null);
  }

  /** Issues one ARI command unless stopped, remembering what it creates for the teardown. */
  private <T> CompletionStage<T> issue(Supplier<CompletionStage<T>> command,
      String creates, boolean bridge) {
    synchronized (lock) {
      if (stopped) {
        return CompletableFuture.failedFuture(new CancellationException("stream stopped"));
      }
      if (creates != null) {
        (bridge ? bridgesToRelease : channelsToRelease).add(creates);
      }
    }
    return command.get();
  }

  private void onSessionEnded(StreamEnd end) {
    boolean byCall;
    synchronized (lock) {
      byCall = stopped;
      stopped = true;
    }
    if (!byCall) {
      log.info("stream {} of {} ended: {}{}", session.params().streamSid(), caller, end.reason(),
          end.error().map(e -> " (" + e + ")").orElse(""));
      connectOf.ifPresent(call -> call.tell(new CallCommand.StreamClosed(actionParams(end))));
    }
    finish();
  }

  private Map<String, String> actionParams(StreamEnd end) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("StreamSid", session.params().streamSid());
    end.error().ifPresent(error -> params.put("StreamError", error));
    return params;
  }

  /** Releases the resources once the setup has settled (so nothing is created after). */
  private void finish() {
    CompletionStage<Void> settled;
    synchronized (lock) {
      if (finishing) {
        return;
      }
      finishing = true;
      settled = setup;
    }
    settled.handle((v, e) -> null).thenCompose(v -> release())
        .whenComplete((d, e) -> released.complete(Done.getInstance()));
  }

  private CompletionStage<Void> release() {
    List<String> channels;
    List<String> bridges;
    synchronized (lock) {
      channels = List.copyOf(channelsToRelease);
      bridges = List.copyOf(bridgesToRelease);
    }
    List<CompletableFuture<Done>> all = new ArrayList<>();
    for (String id : channels) {
      all.add(quietly(ari.hangup(new ChannelRef(caller.serverId(), id), HangupReason.NORMAL),
          "hang up " + id));
    }
    for (String id : bridges) {
      all.add(quietly(ari.destroyBridge(caller.serverId(), id), "destroy bridge " + id));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<Done> quietly(CompletionStage<Done> stage, String what) {
    return stage.handle((d, error) -> {
      if (error != null) {
        Throwable cause = Failures.cause(error);
        if (cause instanceof AriCommandException ace && ace.isNotFound()) {
          log.debug("stream {}: {}: already gone", session.params().streamSid(), what);
        } else {
          log.warn("stream {}: cannot {}: {}", session.params().streamSid(), what, cause.getMessage());
        }
      }
      return Done.getInstance();
    }).toCompletableFuture();
  }

  private boolean isStopped() {
    synchronized (lock) {
      return stopped;
    }
  }

  private boolean ownsChannel(String id) {
    return legs.stream().anyMatch(l -> l.externalMediaId().equals(id)
        || l.snoop().map(id::equals).orElse(false));
  }

  /** {@code host:port} for ExternalMedia's {@code external_host} ({@code [v6]:port} for IPv6). */
  static String hostPort(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host)
        + ":" + address.getPort();
  }

  /** Asterisk's RTP address from ExternalMedia's channel variables, unless missing or wildcard. */
  static Optional<InetSocketAddress> asteriskAddress(Map<String, String> vars) {
    String host = vars == null ? null : vars.get("UNICASTRTP_LOCAL_ADDRESS");
    String port = vars == null ? null : vars.get("UNICASTRTP_LOCAL_PORT");
    if (host == null || port == null) {
      return Optional.empty();
    }
    try {
      InetAddress address = InetAddress.getByName(host);
      int p = Integer.parseInt(port.trim());
      if (address.isAnyLocalAddress() || p <= 0 || p > 65535) {
        return Optional.empty();
      }
      return Optional.of(new InetSocketAddress(address, p));
    } catch (UnknownHostException | NumberFormatException e) {
      log.warn("ignoring ExternalMedia RTP address {}:{}: {}", host, port, e.toString());
      return Optional.empty();
    }
  }

}
