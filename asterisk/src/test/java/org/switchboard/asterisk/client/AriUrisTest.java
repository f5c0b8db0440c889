package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.apache.pekko.http.javadsl.model.Uri;
import org.junit.jupiter.api.Test;

class AriUrisTest {
  @Test
  void pathIsAppendedToTheBasePathAndQueryKeepsOrderWithoutNulls() {
    AriUris uris = new AriUris("http://127.0.0.1:8088/ari", null);
    Uri uri = uris.uri("/channels/" + AriHttp.seg("sim call/1") + "/play",
        Params.of("media", "sound:a,sound:b", "lang", null, "playbackId", "pb 1+2"));
    assertEquals("http://127.0.0.1:8088/ari/channels/sim%20call%2F1/play"
        + "?media=sound:a,sound:b&playbackId=pb+1%2B2", uri.toString());
    assertEquals("sound:a,sound:b", uri.query().get("media").orElseThrow());
    assertEquals("pb 1+2", uri.query().get("playbackId").orElseThrow());
    assertEquals(Uri.create("http://127.0.0.1:8088/ari/channels/sim%20call%2F1/play").path(),
        uri.path());
  }

  @Test
  void noQueryMeansNoQuestionMark() {
    Uri uri = new AriUris("https://pbx.example.org:8089/asterisk/ari", null)
        .uri("/bridges/b1", Params.of("x", null));
    assertEquals("https://pbx.example.org:8089/asterisk/ari/bridges/b1", uri.toString());
    assertFalse(uri.rawQueryString().isPresent());
  }

  @Test
  void apiKeyComesLast() {
    Uri uri = new AriUris("http://h:1/ari", "user:pw").uri("/channels", Map.of("app", "sb"));
    assertEquals("http://h:1/ari/channels?app=sb&api_key=user:pw", uri.toString());
    assertEquals("user:pw", uri.query().get("api_key").orElseThrow());
  }
}
