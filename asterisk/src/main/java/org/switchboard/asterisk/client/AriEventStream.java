package org.switchboard.asterisk.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.asterisk.ari.AriDecodeException;
import org.switchboard.asterisk.ari.AriEvent;
import org.switchboard.asterisk.ari.AriJson;
import org.switchboard.asterisk.router.EngineViews;
import org.switchboard.asterisk.router.RouterInput;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.CallDoor;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.ServerEvent;

/**
 * The ARI event socket of one server ({@code /ari/events?app=…&subscribeAll=…}) as an endless
 * {@link Source} of {@link RouterInput}s. After every (re)connect it emits {@code Connected} and a
 * {@code Resynced} snapshot ({@code GET /channels}, {@code GET /bridges}) before the live events;
 * when a connected socket closes or fails it emits {@code Disconnected} and reconnects with
 * exponential backoff and jitter ({@link ReconnectBackoff}: back to the minimum after every
 * connection that was resynced). Keep-alive pings check idle sockets ({@link EventSocket}).
 * Frames that are not ARI JSON are logged, counted and skipped. Backpressure from downstream
 * reaches the socket read: nothing is buffered beyond a few messages.
 */
public final class AriEventStream {
  private static final Logger log = LoggerFactory.getLogger(AriEventStream.class);

  private final ActorSystem system;
  private final AriServerConfig config;
  private final AriRestClient rest;
  private final AriJson decoder = new AriJson();
  private volatile OwnLatency ownLatency = new OwnLatency();
  private final Clock clock;
  private final LinkState state;
  /** The current socket's count of frames read and not yet taken ({@link EventSocket}). */
  private volatile java.util.function.IntSupplier unread = () -> 0;
  private final DoorCheck doorCheck;
  private final AtomicBoolean firstAttempt = new AtomicBoolean(true);
  private final ReconnectBackoff backoff;
  /**
   * The JDK client of this server's event socket (its selector thread reads the socket; the
   * listener runs on daemon threads named {@code switchboard-ari-socket-<id>}).
   */
  private final HttpClient client;

  public AriEventStream(ActorSystem system, AriServerConfig config, AriRestClient rest) {
    this(system, config, rest, Clock.systemUTC());
  }

  AriEventStream(ActorSystem system, AriServerConfig config, AriRestClient rest, Clock clock) {
    this.system = system;
    this.config = config;
    this.rest = rest;
    this.clock = clock;
    this.state = new LinkState(config.id(), clock);
    this.doorCheck = new DoorCheck(config.id(), decoder, clock);
    this.backoff =
        new ReconnectBackoff(config.minBackoff(), config.maxBackoff(), config.backoffJitter());
    this.client = HttpClient.newBuilder().connectTimeout(config.requestTimeout())
        .executor(Executors.newCachedThreadPool(r -> {
          Thread t = new Thread(r, "switchboard-ari-socket-" + config.id());
          t.setDaemon(true);
          return t;
        }))
        .build();
  }

  /** The current link state, for /health. */
  public LinkStatus status() {
    return state.snapshot();
  }

  /** This node let the socket go ({@link AriConnector#release}): not connected from now on. */
  void released(String reason) {
    state.disconnected(reason);
  }

  /** The events URL without credentials, e.g. {@code ws://h:8088/ari/events?app=x&…}. */
  public Uri eventsUri() {
    String base = config.baseUrl().replaceFirst("^http", "ws");
    return Uri.create(base + "/events")
        .query(
            Query.create(
                Pair.create("app", config.app()),
                Pair.create("subscribeAll", String.valueOf(config.subscribeAll()))));
  }

  /**
   * The reconnecting stream; materialize it once. Cancel it to close the socket for good. One
   * connection after the other, each after the wait {@link ReconnectBackoff} gives (none before
   * the first): a connection that got its resync snapshot makes the next wait the minimum again.
   */
  public Source<RouterInput, NotUsed> source() {
    return Source.repeat(NotUsed.getInstance())
        .flatMapConcat(n -> connectOnce());
  }

  private Source<RouterInput, NotUsed> connectOnce() {
    Source<RouterInput, NotUsed> attempt =
        Source.<RouterInput, NotUsed>fromMaterializer((materializer, attributes) -> session(materializer))
            .mapMaterializedValue(m -> NotUsed.getInstance())
            .recoverWithRetries(1, Throwable.class, Source::empty);
    if (firstAttempt.getAndSet(false)) {
      return attempt;
    }
    Duration wait = backoff.next();
    return Source.single(NotUsed.getInstance())
        .initialDelay(wait)
        .flatMapConcat(n -> {
          state.reconnecting();
          return attempt;
        });
  }

  private Source<RouterInput, NotUsed> session(Materializer materializer) {
    SocketRest commands = rest.socket();
    AtomicBoolean over = new AtomicBoolean(); // this session's frames ended
    // The moment the socket closes, commands waiting on it go over HTTP and /health says so,
    // without waiting for the engine to read the events still buffered.
    Pair<CompletionStage<WebSocket>, Source<String, NotUsed>> opened =
        EventSocket.open(system, client, URI.create(requestUri().toString()), headers(),
            config.requestTimeout(), config.keepAlive(),
            text -> commands.intercept(text) || doorCheck.takes(text),
            (ws, reason) -> {
              commands.closed(ws);
              if (!over.get()) {
                state.socketClosed(reason);
              }
            },
            unread -> this.unread = unread,
            materializer);
    // Commands may use the socket from the moment it is open until its frames stop.
    Source<String, NotUsed> frames = opened.second().watchTermination((mat, done) -> {
      done.whenComplete((d, e) -> {
        over.set(true);
        opened.first().thenAccept(commands::closed);
      });
      return mat;
    });
    CompletionStage<Source<RouterInput, NotUsed>> ready =
        opened
            .first()
            .thenCompose(ws -> {
              commands.opened(ws);
              return resync();
            })
            .thenApply(resynced -> live(resynced, frames));
    ready.whenComplete(
        (ok, error) -> {
          if (error != null) {
            String reason = describe(error);
            state.attemptFailed(reason);
            log.warn("ARI {}: connect to {} failed: {}", config.id(), eventsUri(), reason);
            frames.runWith(Sink.cancelled(), materializer);
          }
        });
    return Source.completionStageSource(ready).mapMaterializedValue(m -> NotUsed.getInstance());
  }

  /** Where the event → webhook intervals start ({@link OwnLatency}). */
  void ownLatency(OwnLatency own) {
    this.ownLatency = own;
  }

  /**
   * Events read off the current socket that the stream has not taken yet (the engine is behind
   * by that many).
   */
  int unread() {
    return unread.getAsInt();
  }

  /** The door new calls pass, asked as each frame is read ({@link DoorCheck}). */
  void door(CallDoor door) {
    doorCheck.door(door);
  }

  private Source<RouterInput, NotUsed> live(
      ServerEvent.Resynced resynced, Source<String, NotUsed> frames) {
    backoff.resynced();
    ServerEvent.Connected connected = new ServerEvent.Connected(config.id(), state.connected());
    log.info(
        "ARI {}: connected to {} ({} channels, {} bridges live)",
        config.id(), eventsUri(), resynced.channels().size(), resynced.bridges().size());
    // Another socket for the same app takes the events from this one (ApplicationReplaced):
    // the socket ends there, so the link no longer claims to be connected, and reconnects.
    AtomicBoolean replaced = new AtomicBoolean();
    return Source.<RouterInput>from(
            List.of(new RouterInput.Link(connected), new RouterInput.Link(resynced)))
        .concat(
            frames.mapConcat(this::decode)
                .takeWhile(input -> !replaced(input, replaced), true))
        .concatLazy(Source.lazySingle(() -> disconnected(replaced.get()
            ? "replaced by another connection for app " + config.app() : "closed by server")))
        .recover(Throwable.class, () -> disconnected("socket failed"));
  }

  private static boolean replaced(RouterInput input, AtomicBoolean replaced) {
    if (input instanceof RouterInput.Ari ari
        && ari.event() instanceof org.switchboard.asterisk.ari.AriEvent.ApplicationReplaced) {
      replaced.set(true);
    }
    return replaced.get();
  }

  private RouterInput disconnected(String reason) {
    log.warn("ARI {}: event socket {}; reconnecting with backoff", config.id(), reason);
    return new RouterInput.Link(
        new ServerEvent.Disconnected(config.id(), state.disconnected(reason), reason));
  }

  private List<RouterInput> decode(String text) {
    long taken = System.nanoTime();
    try {
      AriEvent event = decoder.decode(text);
      if (event instanceof AriEvent.StasisStart start && start.channel() != null) {
        ownLatency.eventReceived(config.id(), start.channel().id(), taken);
      } else if (event instanceof AriEvent.ChannelDtmfReceived dtmf && dtmf.channel() != null) {
        ownLatency.eventReceived(config.id(), dtmf.channel().id(), taken);
      }
      return List.of(new RouterInput.Ari(config.id(), event));
    } catch (AriDecodeException e) {
      state.decodeError(e.getMessage());
      log.warn("ARI {}: skipping a frame that is not an ARI event: {}", config.id(), e.getMessage());
      return List.of();
    }
  }

  /**
   * What the server holds now ({@code GET /channels}, {@code GET /bridges}) as a {@code Resynced},
   * without reconnecting: for a reconcile when nothing was lost on the socket but calls were lost
   * elsewhere (a cluster node died with them).
   */
  CompletionStage<ServerEvent.Resynced> snapshot() {
    return resync();
  }

  private CompletionStage<ServerEvent.Resynced> resync() {
    var channels = rest.channels().list().toCompletableFuture();
    var bridges = rest.bridges().list().toCompletableFuture();
    return channels.thenCombine(
        bridges,
        (c, b) ->
            new ServerEvent.Resynced(
                config.id(),
                clock.instant(),
                c.stream().filter(ch -> ours(ch, config.app())).map(EngineViews::channelInfo).toList(),
                b.stream().filter(br -> createdBySwitchboard(br.id()))
                    .map(EngineViews::bridgeInfo).toList()));
  }

  /** Ids Switchboard gives what it creates: {@code sb-…} legs and {@code <CallSid>-<kind>-<n>}. */
  static boolean createdBySwitchboard(String id) {
    return id.startsWith("sb-") || CallSid.ownerOf(id).isPresent();
  }

  /**
   * Whether the engine may reconcile this channel: it runs {@code Stasis(<app>,…)} or Switchboard
   * created it. Everything else on the server (callers' Local halves, the far halves of the Local
   * legs Switchboard originated, other applications' channels) is left alone, whatever state it
   * is in.
   */
  static boolean ours(org.switchboard.asterisk.ari.Channel channel, String app) {
    if (createdBySwitchboard(channel.id()) && !farHalf(channel.id())) {
      return true;
    }
    var dialplan = channel.dialplan();
    if (dialplan == null || !"Stasis".equalsIgnoreCase(dialplan.appName())) {
      return false;
    }
    String data = dialplan.appData() == null ? "" : dialplan.appData();
    int comma = data.indexOf(',');
    return (comma < 0 ? data : data.substring(0, comma)).trim().equals(app);
  }

  /**
   * The {@code ;2} half of a Local channel Switchboard originated under an id of its own: Asterisk
   * names it {@code <id>;2} (Switchboard's ids never hold a {@code ;}). It runs the far end's
   * dialplan and goes with its {@code ;1} half, the leg Switchboard owns; reconciled on its own it
   * would count as an orphan and its hangup would hang up the leg's far end. When it runs this
   * application's {@code Stasis()} itself, it is ours by that rule.
   */
  private static boolean farHalf(String id) {
    return id.endsWith(";2");
  }

  /** The events URL with the API key, when the server is configured with one. */
  private Uri requestUri() {
    Uri uri = eventsUri();
    if (config.credentials() instanceof AriServerConfig.ApiKey key) {
      uri = uri.query(uri.query().withParam("api_key", key.key()));
    }
    return uri;
  }

  private Map<String, String> headers() {
    if (config.credentials() instanceof AriServerConfig.Basic basic) {
      return Map.of("Authorization", Authorization.basic(basic.user(), basic.password()).value());
    }
    return Map.of();
  }

  private static String describe(Throwable error) {
    Throwable t = Failures.cause(error);
    return t instanceof AriCommandException ? t.getMessage() : t.toString();
  }
}
