package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import com.twilio.rest.api.v2010.account.Recording;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Twilio's Recordings resource through the Twilio Java SDK: a {@code <Record>} made on a call is
 * listed (all and per call), fetched with its signed {@code media_url}, downloaded as WAV and as
 * MP3 (encoded once by lame, then cached; never unsigned), and deleted (on Asterisk too).
 */
class RecordingsCompatTest extends CompatTest {
  @Override
  CompatHarness harness() throws Exception {
    CompatHarness harness = new CompatHarness(List.of());
    harness.app.on("/voice", "<Record maxLength=\"2\" playBeep=\"false\" action=\"/recorded\"/>");
    harness.app.on("/recorded", "<Hangup/>");
    return harness;
  }

  /** A call whose caller speaks into {@code <Record>}; answers the RecordingSid. */
  WebhookApp.Webhook recordedCall(String from) {
    String channel = h.sim.inboundCall(from, "+15550003001");
    String callSid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> !h.sim.liveRecordings().isEmpty(), "the recording running");
    h.sim.speak(channel, Duration.ofSeconds(1));
    WebhookApp.Webhook recorded = h.app.await("/recorded", callSid, Map.of(), CompatHarness.WAIT);
    h.app.await("/status", callSid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    return recorded;
  }

  @Test
  void listFetchDownloadAndDelete() throws Exception {
    WebhookApp.Webhook recorded = recordedCall("+15557770001");
    String callSid = recorded.param("CallSid");
    String recordingSid = recorded.param("RecordingSid");
    assertTrue(h.ari("POST", "/record").size() >= 1, "ARI record command");

    List<Recording> listed = all(Recording.reader().read(h.twilio));
    assertTrue(listed.stream().anyMatch(r -> r.getSid().equals(recordingSid)), "listed: " + listed);
    List<Recording> ofCall = all(Recording.reader().setCallSid(callSid).read(h.twilio));
    assertEquals(List.of(recordingSid), ofCall.stream().map(Recording::getSid).toList());
    ZonedDateTime created = ofCall.get(0).getDateCreated();
    assertEquals(List.of(recordingSid), all(Recording.reader().setCallSid(callSid)
        .setDateCreatedAfter(created.minusMinutes(1)).setDateCreatedBefore(created.plusMinutes(1))
        .read(h.twilio)).stream().map(Recording::getSid).toList());
    assertEquals(List.of(), all(Recording.reader().setCallSid(callSid)
        .setDateCreatedAfter(created.plusMinutes(1)).read(h.twilio)));
    assertEquals(List.of(), all(Recording.reader().setDateCreatedBefore(created.minusMinutes(1))
        .read(h.twilio)));
    List<com.twilio.rest.api.v2010.account.call.Recording> underCall = all(
        com.twilio.rest.api.v2010.account.call.Recording.reader(callSid).read(h.twilio));
    assertEquals(1, underCall.size());
    assertEquals(callSid, underCall.get(0).getCallSid());

    Recording fetched = Recording.fetcher(recordingSid).fetch(h.twilio);
    assertEquals(callSid, fetched.getCallSid());
    assertEquals(Recording.Status.COMPLETED, fetched.getStatus());
    assertEquals(Integer.valueOf(1), fetched.getChannels());
    byte[] wav = get(fetched.getMediaUrl());
    assertEquals("RIFF", new String(wav, 0, 4, StandardCharsets.US_ASCII));
    byte[] fromCallback = get(URI.create(recorded.param("RecordingUrl") + ".wav"));
    assertEquals("RIFF", new String(fromCallback, 0, 4, StandardCharsets.US_ASCII));

    int fileFetches = h.ari("GET", "/file").size();
    byte[] mp3 = get(URI.create(recorded.param("RecordingUrl") + ".mp3"));
    assertTrue(isMp3(mp3), "an MP3 frame or ID3 tag first");
    assertEquals(fileFetches + 1, h.ari("GET", "/file").size(), "the WAV fetched to encode");
    byte[] again = get(URI.create(fetched.getMediaUrl() + ".mp3"));
    assertArrayEquals(mp3, again);
    assertEquals(fileFetches + 1, h.ari("GET", "/file").size(), "the second MP3 from the cache");
    HttpResponse<byte[]> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            h.node.publicUrl().resolve("/recordings/" + recordingSid + ".mp3")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(401, unsigned.statusCode(), "an MP3 without signature or credentials");

    int deletes = h.ari("DELETE", "/recordings/stored/").size();
    assertTrue(Recording.deleter(recordingSid).delete(h.twilio));
    assertEquals(deletes + 1, h.ari("DELETE", "/recordings/stored/").size());
    ApiException gone = assertThrows(ApiException.class,
        () -> Recording.fetcher(recordingSid).fetch(h.twilio));
    assertEquals(20404, gone.getCode());
  }

  static boolean isMp3(byte[] bytes) {
    return bytes.length > 3 && (new String(bytes, 0, 3, StandardCharsets.US_ASCII).equals("ID3")
        || (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xe0) == 0xe0);
  }

  static byte[] get(URI url) throws Exception {
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), url.toString());
    return response.body();
  }
}
