package org.switchboard.http.webhook;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cookies kept per call, as a browser would (Twilio does, spec §5.2): one JDK {@link
 * CookieManager} per CallSid, accepting cookies from the server that set them and applying
 * domain, path, secure and expiry rules. A call's jar is dropped after {@code idleTtl} without a
 * request, and the number of calls is bounded (the least recently used jar goes first).
 */
final class CallCookies {
  private static final Logger LOG = LoggerFactory.getLogger(CallCookies.class);

  private final Duration idleTtl;
  private final int maxCalls;
  private final Clock clock;
  private final Map<String, Jar> jars = new ConcurrentHashMap<>();
  private volatile long nextSweepMillis;

  private record Jar(CookieManager manager, long[] lastUsed) {}

  CallCookies(Duration idleTtl, int maxCalls, Clock clock) {
    this.idleTtl = idleTtl;
    this.maxCalls = maxCalls;
    this.clock = clock;
  }

  /** The {@code Cookie} header value for a request of this call to {@code uri}, if any. */
  Optional<String> cookieHeader(String callSid, URI uri) {
    if (callSid == null) {
      return Optional.empty();
    }
    Jar jar = jars.get(callSid);
    if (jar == null) {
      return Optional.empty();
    }
    touch(jar);
    try {
      List<String> cookies = jar.manager().get(uri, Map.of()).getOrDefault("Cookie", List.of());
      return cookies.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", cookies));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("CallSid {}: cannot read cookies for {}: {}", callSid, uri, e.toString());
      return Optional.empty();
    }
  }

  /** Stores the {@code Set-Cookie} header values of a response of this call from {@code uri}. */
  void store(String callSid, URI uri, List<String> setCookies) {
    if (callSid == null || setCookies.isEmpty()) {
      return;
    }
    sweep();
    Jar jar =
        jars.computeIfAbsent(
            callSid,
            k -> new Jar(new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER), new long[1]));
    touch(jar);
    try {
      jar.manager().put(uri, Map.of("Set-Cookie", setCookies));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("CallSid {}: ignoring cookies from {}: {}", callSid, uri, e.toString());
    }
  }

  /** Forgets a call's cookies (when the call has ended). */
  void forget(String callSid) {
    jars.remove(callSid);
  }

  /** Number of calls with a cookie jar. */
  int calls() {
    return jars.size();
  }

  private void touch(Jar jar) {
    synchronized (jar) {
      jar.lastUsed()[0] = clock.millis();
    }
  }

  private long lastUsed(Jar jar) {
    synchronized (jar) {
      return jar.lastUsed()[0];
    }
  }

  private void sweep() {
    long now = clock.millis();
    if (now < nextSweepMillis && jars.size() < maxCalls) {
      return;
    }
    nextSweepMillis = now + Math.min(60_000, idleTtl.toMillis());
    jars.entrySet().removeIf(e -> now - lastUsed(e.getValue()) > idleTtl.toMillis());
    while (jars.size() >= maxCalls) {
      jars.entrySet().stream()
          .min((a, b) -> Long.compare(lastUsed(a.getValue()), lastUsed(b.getValue())))
          .ifPresent(oldest -> jars.remove(oldest.getKey()));
    }
  }
}
