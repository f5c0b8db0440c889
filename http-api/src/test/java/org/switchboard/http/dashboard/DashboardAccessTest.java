package org.switchboard.http.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;
import org.switchboard.http.api.ApiSettings;
import org.switchboard.http.api.Authenticator;
import org.switchboard.http.signature.BridgeSignatureVerifier;

/** Who may open the dashboard: Basic credentials, or a loopback peer when the demo allows it. */
class DashboardAccessTest {
  private static final String ACCOUNT = "AC" + "a".repeat(32);
  private static final String TOKEN = "dashboard-token";

  private final Authenticator auth = new Authenticator(
      new ApiSettings(ACCOUNT, TOKEN, Optional.empty(), Optional.empty(), "secret",
          Duration.ofMinutes(5), 100, "key", Duration.ofHours(1), URI.create("http://127.0.0.1"),
          1 << 20, Duration.ofSeconds(2)),
      new BridgeSignatureVerifier("secret", Duration.ofMinutes(5), 100, Clock.systemUTC()));

  @Test
  void credentialsAdmitFromAnywhere() throws Exception {
    DashboardAccess closed = new DashboardAccess(auth, false);
    assertTrue(closed.allowed(from("203.0.113.7").addHeader(basic(ACCOUNT, TOKEN))));
    assertFalse(closed.allowed(from("203.0.113.7").addHeader(basic(ACCOUNT, TOKEN + "x"))));
    assertFalse(closed.allowed(from("203.0.113.7")));
  }

  @Test
  void loopbackNeedsNoCredentialsOnlyWhenAllowed() throws Exception {
    assertFalse(new DashboardAccess(auth, false).allowed(from("127.0.0.1")));
    DashboardAccess demo = new DashboardAccess(auth, true);
    assertTrue(demo.allowed(from("127.0.0.1")));
    assertTrue(demo.allowed(from("::1")));
    assertFalse(demo.allowed(from("203.0.113.7")));
    assertFalse(demo.allowed(HttpRequest.create("/dashboard")), "no peer address: refused");
  }

  @Test
  void forwardingHeadersDoNotMakeALoopbackPeer() throws Exception {
    DashboardAccess demo = new DashboardAccess(auth, true);
    HttpRequest spoofed = from("203.0.113.7")
        .addHeader(RawHeader.create("X-Forwarded-For", "127.0.0.1"))
        .addHeader(RawHeader.create("X-Real-IP", "127.0.0.1"));
    assertFalse(demo.allowed(spoofed));
  }

  @Test
  void recentErrorsReadTwilioCodes() {
    assertEquals(Optional.of(12100), RecentErrors.twilioCode(
        "application error 12100 (http://app/voice): document parse failure"));
    assertEquals(Optional.of(11215), RecentErrors.twilioCode("too many redirects (Twilio error 11215)"));
    assertEquals(Optional.of(11205), RecentErrors.twilioCode("fallback with ErrorCode=11205"));
    assertEquals(Optional.empty(), RecentErrors.twilioCode("server sim disconnected after 12345 ms"));
  }

  private static HttpRequest from(String ip) throws Exception {
    return HttpRequest.create("/dashboard")
        .addAttribute(AttributeKeys.remoteAddress, RemoteAddress.create(InetAddress.getByName(ip)));
  }

  private static RawHeader basic(String user, String password) {
    return RawHeader.create("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }
}
