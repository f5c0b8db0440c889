package org.switchboard.asterisk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asterisk refuses a requested channel id that is a prefix (case-insensitively) of a live
 * channel's id, with the same 409 as for an exact duplicate; the simulator must too, so that id
 * schemes where one id begins another fail in tests, not first in production.
 */
class UniqueIdPrefixTest {
  private static final String TAKEN = "Channel with given unique ID already exists";

  @TempDir Path recordings;

  @Test
  void anIdThatBeginsALiveChannelsIdIsRefused() {
    try (SimFixture f = new SimFixture(recordings)) {
      assertEquals(200, originate(f, "lt-1-phone", null).status());
      SimTestClient.Response prefix = originate(f, "LT-1", null);
      assertEquals(409, prefix.status());
      assertEquals(TAKEN, prefix.body().path("message").asText());
      assertEquals(409, originate(f, "lt-9", "lt-1").status(), "otherChannelId is checked too");
      assertEquals(200, originate(f, "lt-1-phone-2", null).status(), "a longer id is free");
    }
  }

  @Test
  void oneOriginateWhoseSecondIdBeginsTheFirstIsRefused() {
    try (SimFixture f = new SimFixture(recordings)) {
      SimTestClient.Response r = originate(f, "x-phone", "x");
      assertEquals(409, r.status());
      assertEquals(TAKEN, r.body().path("message").asText());
      assertEquals(200, originate(f, "x-caller", "x-in").status());
    }
  }

  @Test
  void externalMediaAndCreateFollowTheSameRule() {
    try (SimFixture f = new SimFixture(recordings)) {
      assertEquals(200, originate(f, "call-em-10", null).status());
      SimTestClient.Response em = f.client.rest("POST", "/ari/channels/externalMedia",
          Map.of("app", "sb", "external_host", "127.0.0.1:40000", "format", "ulaw",
              "channelId", "call-em-1"));
      assertEquals(409, em.status());
      SimTestClient.Response create = f.client.rest("POST", "/ari/channels/create",
          Map.of("endpoint", "Local/answer@phones", "app", "sb", "channelId", "call-em-1"));
      assertEquals(409, create.status());
    }
  }

  private static SimTestClient.Response originate(SimFixture f, String id, String otherId) {
    Map<String, String> q = new java.util.HashMap<>(Map.of(
        "endpoint", "Local/answer@phones", "app", "sb", "channelId", id));
    if (otherId != null) {
      q.put("otherChannelId", otherId);
    }
    return f.client.rest("POST", "/ari/channels", q);
  }
}
