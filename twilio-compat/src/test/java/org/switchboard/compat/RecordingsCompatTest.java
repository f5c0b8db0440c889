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
  /** The number whose calls just wait, to be recorded through the API. */
  static final String LIVE = "+15550003009";

  /** The number whose calls last about 5 s, recorded with {@code Trim=trim-silence}. */
  static final String TRIMMED_LIVE = "+15550003010";

  @Override
  CompatHarness harness() throws Exception {
    CompatHarness harness = new CompatHarness(List.of());
    harness.app.on("/voice", w -> switch (w.param("To")) {
      case LIVE -> "<Say>This call is recorded.</Say><Pause length=\"60\"/>";
      case TRIMMED_LIVE -> "<Gather timeout=\"5\"/>";
      default -> "<Record maxLength=\"2\" playBeep=\"false\" action=\"/recorded\"/>";
    });
    harness.app.on("/recorded", "<Hangup/>");
    return harness;
  }

  /** A call whose caller speaks into {@code <Record>}; answers the RecordingSid. */
  WebhookApp.Webhook recordedCall(String from) {
    String channel = h.sim.inboundCall(from, "+15550003001");
    String callSid = CompatHarness.callSid(channel);
    // The ARI log, not the live recordings: a 2 s recording can be over before a loaded
    // machine polls it.
    h.awaitTrue(() -> !h.ari("POST", "/channels/" + channel + "/record").isEmpty(),
        "the recording started");
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

  @Test
  void aLiveCallRecordingWithTrimSilenceIsServedWithoutItsSilence() throws Exception {
    String channel = h.sim.inboundCall("+15557770402", TRIMMED_LIVE);
    String callSid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> !h.ari("POST", "/channels/" + channel + "/answer").isEmpty(), "answered");
    String sid = com.twilio.rest.api.v2010.account.call.Recording.creator(callSid)
        .setTrim("trim-silence").setRecordingStatusCallback(h.app.url("/rec-status"))
        .setRecordingStatusCallbackEvent(List.of("completed")).create(h.twilio).getSid();
    // 1.5 s of silence, 2 s of speech, then silence until the Gather times out and the call ends.
    h.sim.speak(channel, TwimlAttributesCompatTest.wav(1500, 2000));
    WebhookApp.Webhook done = h.app.await("/rec-status", callSid, Map.of("RecordingSid", sid,
        "RecordingStatus", "completed"), CompatHarness.WAIT);
    double stored = TwimlAttributesCompatTest.seconds(java.nio.file.Files.readAllBytes(
        h.dir.resolve("recordings").resolve(sid + ".wav")));
    int duration = Integer.parseInt(done.param("RecordingDuration"));
    assertTrue(duration >= 1 && duration <= stored - 1.5, "the speech kept, not the silence"
        + " around it: " + duration + " s of a " + stored + " s file");
    double served = TwimlAttributesCompatTest.seconds(
        get(URI.create(done.param("RecordingUrl") + ".wav")));
    assertTrue(served >= duration && served < duration + 1 && stored - served >= 1.2,
        "served cut to its sound: " + served + " s of a " + stored + " s file");
    assertEquals(Integer.toString(duration), Recording.fetcher(sid).fetch(h.twilio)
        .getDuration());
  }

  /** The {@code spy} of every snoop asked for on {@code channel}, sorted. */
  private List<String> spies(String channel) {
    return h.ari("POST", "/channels/" + channel + "/snoop").stream().map(r -> {
      String params = r.query() + "&" + r.body();
      int at = params.indexOf("spy=");
      return at < 0 ? "" : params.substring(at + 4).split("&")[0];
    }).sorted().toList();
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

  @Test
  void aLiveCallIsRecordedPausedResumedAndStoppedThroughTheApi() throws Exception {
    String channel = h.sim.inboundCall("+15557770401", LIVE);
    String callSid = CompatHarness.callSid(channel);
    h.awaitTrue(() -> !h.ari("POST", "/channels/" + channel + "/answer").isEmpty(), "answered");
    com.twilio.rest.api.v2010.account.call.Recording started =
        com.twilio.rest.api.v2010.account.call.Recording.creator(callSid)
            .setRecordingStatusCallback(h.app.url("/rec-status"))
            .setRecordingStatusCallbackEvent(List.of("in-progress", "completed"))
            .create(h.twilio);
    String sid = started.getSid();
    assertEquals(com.twilio.rest.api.v2010.account.call.Recording.Status.IN_PROGRESS,
        started.getStatus());
    assertEquals(com.twilio.rest.api.v2010.account.call.Recording.Source.START_CALL_RECORDING_API,
        started.getSource());
    assertTrue(h.ari("POST", "/channels/" + channel + "/snoop").stream()
        .anyMatch(r -> (r.query() + r.body()).contains("spy=both")), "a snoop hearing both ways");
    assertTrue(h.ari("POST", "/record").stream()
        .anyMatch(r -> (r.query() + r.body()).contains("name=" + sid)), "ARI record of " + sid);
    h.app.await("/rec-status", callSid, Map.of("RecordingSid", sid,
        "RecordingStatus", "in-progress", "RecordingSource", "StartCallRecordingAPI"),
        CompatHarness.WAIT);
    assertEquals(List.of(sid), all(com.twilio.rest.api.v2010.account.call.Recording
        .reader(callSid).read(h.twilio)).stream().map(r -> r.getSid()).toList());

    var paused = com.twilio.rest.api.v2010.account.call.Recording.updater(callSid,
        "Twilio.CURRENT", com.twilio.rest.api.v2010.account.call.Recording.Status.PAUSED)
        .update(h.twilio);
    assertEquals(sid, paused.getSid());
    assertEquals(com.twilio.rest.api.v2010.account.call.Recording.Status.PAUSED,
        paused.getStatus());
    assertEquals(1, h.ari("POST", "/recordings/live/" + sid + "/pause").size());
    var resumed = com.twilio.rest.api.v2010.account.call.Recording.updater(callSid, sid,
        com.twilio.rest.api.v2010.account.call.Recording.Status.IN_PROGRESS).update(h.twilio);
    assertEquals(com.twilio.rest.api.v2010.account.call.Recording.Status.IN_PROGRESS,
        resumed.getStatus());
    assertEquals(1, h.ari("DELETE", "/recordings/live/" + sid + "/pause").size());
    h.sim.speak(channel, Duration.ofSeconds(1));
    var stopped = com.twilio.rest.api.v2010.account.call.Recording.updater(callSid, sid,
        com.twilio.rest.api.v2010.account.call.Recording.Status.STOPPED).update(h.twilio);
    assertEquals(com.twilio.rest.api.v2010.account.call.Recording.Status.STOPPED,
        stopped.getStatus());
    assertEquals(1, h.ari("POST", "/recordings/live/" + sid + "/stop").size());
    h.app.await("/rec-status", callSid, Map.of("RecordingSid", sid,
        "RecordingStatus", "completed"), CompatHarness.WAIT);
    Recording kept = Recording.fetcher(sid).fetch(h.twilio);
    assertEquals(Recording.Status.COMPLETED, kept.getStatus());
    assertEquals(Recording.Source.START_CALL_RECORDING_API, kept.getSource());

    ApiException none = assertThrows(ApiException.class, () ->
        com.twilio.rest.api.v2010.account.call.Recording.updater(callSid, sid,
            com.twilio.rest.api.v2010.account.call.Recording.Status.PAUSED).update(h.twilio));
    assertEquals(20404, none.getCode());
    var dual = com.twilio.rest.api.v2010.account.call.Recording.creator(callSid)
        .setRecordingChannels("dual").create(h.twilio);
    assertEquals(Integer.valueOf(2), dual.getChannels());
    assertEquals(List.of("both", "in", "out"), spies(channel));
    var inbound = com.twilio.rest.api.v2010.account.call.Recording.creator(callSid)
        .setRecordingChannels("dual").setRecordingTrack("inbound").create(h.twilio);
    assertEquals(Integer.valueOf(1), inbound.getChannels(), "one track is always mono");
    assertEquals(List.of("both", "in", "in", "out"), spies(channel));
    ApiException badTrack = assertThrows(ApiException.class, () ->
        com.twilio.rest.api.v2010.account.call.Recording.creator(callSid)
            .setRecordingTrack("left").create(h.twilio));
    assertEquals(21200, badTrack.getCode(), badTrack.getMessage());

    String second = com.twilio.rest.api.v2010.account.call.Recording.creator(callSid)
        .setRecordingStatusCallback(h.app.url("/rec-status")).create(h.twilio).getSid();
    h.sim.callerHangup(channel);
    h.app.await("/rec-status", callSid, Map.of("RecordingSid", second,
        "RecordingStatus", "completed"), CompatHarness.WAIT);
    h.app.await("/status", callSid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    h.awaitTrue(() -> all(Recording.reader().setCallSid(callSid).read(h.twilio)).size() == 4,
        "the four recordings of the call completed");
    Recording stereo = Recording.fetcher(dual.getSid()).fetch(h.twilio);
    assertEquals(Integer.valueOf(2), stereo.getChannels());
    assertEquals(Recording.Source.START_CALL_RECORDING_API, stereo.getSource());
    byte[] wav = get(stereo.getMediaUrl());
    assertEquals(2, wav[22], "a stereo WAV");
    assertTrue(isMp3(get(URI.create(stereo.getMediaUrl() + ".mp3"))), "its MP3");
    assertEquals(Integer.valueOf(1),
        Recording.fetcher(inbound.getSid()).fetch(h.twilio).getChannels());
    ApiException ended = assertThrows(ApiException.class, () ->
        com.twilio.rest.api.v2010.account.call.Recording.creator(callSid).create(h.twilio));
    assertEquals(21220, ended.getCode(), ended.getMessage());
    assertEquals(400, ended.getStatusCode());
  }
}
