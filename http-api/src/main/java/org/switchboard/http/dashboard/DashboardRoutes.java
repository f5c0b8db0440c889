package org.switchboard.http.dashboard;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.switchboard.asterisk.client.AriConnector;
import org.switchboard.engine.hotline.CallOperations;
import org.switchboard.http.api.ApiSettings;
import org.switchboard.http.api.Authenticator;
import org.switchboard.http.api.SwitchboardMetrics;
import org.switchboard.http.signature.BridgeSignatureVerifier;

/**
 * The live dashboard: {@code GET /dashboard} (the page), {@code /dashboard/app.js}, {@code
 * /dashboard/style.css} (classpath resources under {@code dashboard/}; nothing is fetched from
 * elsewhere, and the Content-Security-Policy says so) and {@code /dashboard/events}, a
 * Server-Sent Events stream carrying {@link DashboardFeed}'s picture every refresh interval. Every
 * one needs the REST API's Basic credentials, except from loopback when the settings allow it (the
 * demo); a refused request gets 401 with {@code WWW-Authenticate}, so a browser asks for them.
 */
public final class DashboardRoutes extends AllDirectives {
  private static final List<HttpHeader> PAGE_HEADERS = List.of(
      RawHeader.create("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"),
      RawHeader.create("X-Content-Type-Options", "nosniff"),
      RawHeader.create("Cache-Control", "no-store"));
  private static final ContentType JAVASCRIPT =
      ContentTypes.create(MediaTypes.APPLICATION_JAVASCRIPT, HttpCharsets.UTF_8);
  private static final ContentType CSS = ContentTypes.create(MediaTypes.TEXT_CSS, HttpCharsets.UTF_8);

  private final DashboardFeed feed;
  private final DashboardAccess access;
  private final DashboardSettings settings;
  private final SwitchboardMetrics metrics;

  /** Routes serving {@code feed} to requests {@code auth} or the loopback rule admits. */
  public DashboardRoutes(DashboardFeed feed, Authenticator auth, DashboardSettings settings,
      SwitchboardMetrics metrics) {
    this.feed = feed;
    this.access = auth == null ? null : new DashboardAccess(auth, settings.loopbackWithoutCredentials());
    this.settings = settings;
    this.metrics = metrics;
  }

  /** The dashboard's routes (none when it is disabled). */
  public Route route() {
    if (!settings.enabled()) {
      return reject();
    }
    return pathPrefix("dashboard", () -> get(() -> extractRequest(request -> {
      if (!access.allowed(request)) {
        metrics.authFailed("dashboard", "basic");
        return complete(HttpResponse.create()
            .withStatus(StatusCodes.UNAUTHORIZED)
            .addHeader(RawHeader.create("WWW-Authenticate",
                "Basic realm=\"Switchboard\", charset=\"UTF-8\""))
            .withEntity(ContentTypes.TEXT_PLAIN_UTF8,
                "The dashboard needs the REST API's credentials (AccountSid and AuthToken).\n"));
      }
      return respondWithHeaders(PAGE_HEADERS, () -> concat(
          pathEndOrSingleSlash(() ->
              getFromResource("dashboard/index.html", ContentTypes.TEXT_HTML_UTF8)),
          path("app.js", () -> getFromResource("dashboard/app.js", JAVASCRIPT)),
          path("style.css", () -> getFromResource("dashboard/style.css", CSS)),
          path("events", () -> completeOK(events(), EventStreamMarshalling.toEventStream()))));
    })));
  }

  /** One {@code snapshot} event at once, then one per refresh interval, until the client leaves. */
  private Source<ServerSentEvent, NotUsed> events() {
    return Source.tick(Duration.ZERO, settings.refresh(), "tick")
        .mapMaterializedValue(cancellable -> NotUsed.notUsed())
        .mapAsync(1, tick -> feed.latest())
        .map(json -> ServerSentEvent.create(json, "snapshot"));
  }

  /**
   * The dashboard of a starting node: collects recent errors from now on, and releases what it
   * attached when the node's actor system terminates.
   */
  public static Route start(ActorSystem<?> system, Config config, ApiSettings api,
      SwitchboardMetrics metrics, CallOperations ops, AriConnector ari, Clock clock) {
    DashboardSettings settings = DashboardSettings.fromConfig(config);
    if (!settings.enabled()) {
      return new DashboardRoutes(null, null, settings, metrics).route();
    }
    RecentErrors errors = RecentErrors.attach(settings.recentErrors());
    DashboardFeed feed = new DashboardFeed(system, ops, ari, metrics, errors, settings, clock);
    system.getWhenTerminated().thenRun(() -> {
      feed.close();
      errors.detach();
    });
    Authenticator auth = new Authenticator(api, new BridgeSignatureVerifier(api.bridgeSecret(),
        api.signatureTolerance(), api.replayCacheSize(), clock));
    return new DashboardRoutes(feed, auth, settings, metrics).route();
  }
}
