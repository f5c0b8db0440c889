package org.switchboard.http.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.switchboard.http.e2e.LlamenosWorker.Request;
import org.switchboard.http.e2e.LlamenosWorker.Scheme;
import org.switchboard.http.testing.WorkerValidators;

/**
 * The Llamenos Worker's telephony routes as its Twilio adapter answers them, written from {@code
 * ../shared/spec/llamenos-protocol.md} §1.5 and §1.6 and served by a {@link LlamenosWorker}: the
 * language menu ({@code <Gather numDigits=1>} then the {@code ?auto=1} redirect), the CAPTCHA
 * ({@code <Gather numDigits=4 action=…captcha?expected=…&amp;callSid=…&amp;lang=…>}), the caller's
 * own queue ({@code <Enqueue waitUrl action>}) while volunteers are rung in parallel through the
 * bridge's {@code POST /ring} (its payload, signed as the Worker's bridge client signs), the wait
 * music that answers {@code <Leave/>} once {@code QueueTime} reaches the queue timeout, voicemail
 * ({@code <Record>} with {@code action} and {@code recordingStatusCallback}), the volunteer's
 * {@code <Dial record><Queue>} and the empty answers of the status and recording callbacks.
 */
final class LlamenosHotline implements AutoCloseable {
  /** The Worker's default {@code queueTimeoutSeconds}. */
  static final int QUEUE_TIMEOUT_SECONDS = 90;
  /** The digits of the language menu: es 1, en 2. */
  private static final Map<String, String> LANGUAGES = Map.of("1", "es", "2", "en");
  private static final Map<String, String> VOICES = Map.of("es", "es-MX", "en", "en-US");

  /** A volunteer on shift, as the Worker sends it to {@code /ring}. */
  record Volunteer(String pubkey, String phone, String browserIdentity) {}

  /** One {@code POST /ring} the Worker made, with the bridge's answer. */
  record Ring(String parentCallSid, String body, int status, String answer) {}

  private final LlamenosWorker worker;
  private final Scheme scheme;
  private final String secret;
  private final URI bridge;
  private final String hubId;
  private final int voicemailMaxSeconds;
  private final Map<String, List<Volunteer>> onShift = new ConcurrentHashMap<>();
  private final List<Ring> rings = new CopyOnWriteArrayList<>();
  private final ExecutorService background = Executors.newSingleThreadExecutor();
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * @param bridge the bridge's URL as configured in the Worker ({@code http://127.0.0.1:3000})
   * @param voicemailMaxSeconds the Worker's {@code voicemailMaxSeconds} setting
   */
  LlamenosHotline(LlamenosWorker worker, Scheme scheme, String secret, URI bridge, String hubId,
      int voicemailMaxSeconds) {
    this.worker = worker;
    this.scheme = scheme;
    this.secret = secret;
    this.bridge = bridge;
    this.hubId = hubId;
    this.voicemailMaxSeconds = voicemailMaxSeconds;
    worker.on("/api/telephony/incoming", r -> languageMenu());
    worker.on("/api/telephony/language-selected", this::languageSelected);
    worker.on("/api/telephony/captcha", this::captcha);
    worker.on("/api/telephony/wait-music", this::waitMusic);
    worker.on("/api/telephony/queue-exit", this::queueExit);
    worker.on("/api/telephony/voicemail-complete", r -> response(
        say(r.query().get("lang"), "Thank you for your message.") + "<Hangup/>"));
    worker.on("/api/telephony/volunteer-answer", this::volunteerAnswer);
    for (String lang : VOICES.keySet()) {
      worker.audio("/api/ivr-audio/hold/" + lang, holdMusic());
    }
  }

  /** One second of a 440 Hz tone, 8 kHz 16-bit mono WAV (an admin-uploaded prompt). */
  static byte[] holdMusic() {
    int samples = 8000;
    java.nio.ByteBuffer wav = java.nio.ByteBuffer.allocate(44 + 2 * samples)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * samples)
        .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
        .putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples);
    for (int i = 0; i < samples; i++) {
      wav.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0)));
    }
    return wav.array();
  }

  /** The volunteers rung for calls from {@code callerNumber}. */
  void shift(String callerNumber, List<Volunteer> volunteers) {
    onShift.put(callerNumber, volunteers);
  }

  /** The CAPTCHA digits of a call (server-side state in later Worker versions). */
  static String captchaDigits(String callSid) {
    return String.format("%04d", Math.floorMod(callSid.hashCode(), 10_000));
  }

  /** The {@code /ring} requests made so far. */
  List<Ring> rings() {
    return List.copyOf(rings);
  }

  private String languageMenu() {
    return response("<Gather numDigits=\"1\" action=\"/api/telephony/language-selected\""
        + " method=\"POST\" timeout=\"8\">"
        + "<Say language=\"es-MX\">Para español, marque uno.</Say>"
        + "<Say language=\"en-US\">For English, press two.</Say></Gather>"
        + "<Redirect method=\"POST\">/api/telephony/language-selected?auto=1</Redirect>");
  }

  private String languageSelected(Request r) {
    String lang = r.query().containsKey("forceLang") ? r.query().get("forceLang")
        : LANGUAGES.getOrDefault(r.param("Digits"), "en");
    String callSid = r.param("CallSid");
    String expected = captchaDigits(callSid);
    StringBuilder spoken = new StringBuilder();
    for (char c : expected.toCharArray()) {
      spoken.append(spoken.isEmpty() ? "" : ", ").append(c);
    }
    return response("<Gather numDigits=\"4\" action=\"/api/telephony/captcha?expected=" + expected
        + "&amp;callSid=" + callSid + "&amp;lang=" + lang + "\" method=\"POST\" timeout=\"10\">"
        + say(lang, "Thank you for calling the hotline.")
        + say(lang, "Please enter the following digits.") + say(lang, spoken.toString())
        + "</Gather>" + say(lang, "We did not receive your input. Goodbye.") + "<Hangup/>");
  }

  private String captcha(Request r) {
    String lang = r.query().get("lang");
    String callSid = r.query().get("callSid");
    if (!r.query().get("expected").equals(r.param("Digits"))) {
      return response(say(lang, "That was not correct. Goodbye.") + "<Hangup/>");
    }
    // startParallelRinging runs in waitUntil: after the answer, beside the caller's queue.
    String callerNumber = r.param("From");
    background.execute(() -> ring(callSid, callerNumber));
    return response(say(lang, "Please hold while we connect you.")
        + "<Enqueue waitUrl=\"/api/telephony/wait-music?lang=" + lang + "\""
        + " action=\"/api/telephony/queue-exit?callSid=" + callSid + "&amp;lang=" + lang + "\""
        + " method=\"POST\">" + callSid + "</Enqueue>");
  }

  private String waitMusic(Request r) {
    String lang = r.query().get("lang");
    if (Integer.parseInt(r.param("QueueTime")) >= QUEUE_TIMEOUT_SECONDS) {
      return "<Response><Leave/></Response>";
    }
    return response(say(lang, "Your call is important to us. Please stay on the line.")
        + "<Play>" + worker.url() + "/api/ivr-audio/hold/" + lang + "</Play>");
  }

  private String queueExit(Request r) {
    String lang = r.query().get("lang");
    String callSid = r.query().get("callSid");
    return switch (r.param("QueueResult")) {
      case "leave", "queue-full", "error" -> response(
          say(lang, "No one is available. Please leave a message after the tone.")
              + "<Record maxLength=\"" + voicemailMaxSeconds + "\""
              + " action=\"/api/telephony/voicemail-complete?callSid=" + callSid + "&amp;lang="
              + lang + "\" recordingStatusCallback=\"" + worker.url()
              + "/api/telephony/voicemail-recording?callSid=" + callSid + "\""
              + " recordingStatusCallbackEvent=\"completed\" />" + "<Hangup/>");
      default -> "<Response/>";
    };
  }

  private String volunteerAnswer(Request r) {
    String parent = r.query().get("parentCallSid");
    String pubkey = r.query().get("pubkey");
    return response("<Dial record=\"record-from-answer\" recordingStatusCallback=\""
        + worker.url() + "/api/telephony/call-recording?parentCallSid=" + parent
        + "&amp;pubkey=" + pubkey + "\" recordingStatusCallbackEvent=\"completed\">"
        + "<Queue>" + parent + "</Queue></Dial>");
  }

  /** {@code adapter.ringVolunteers}: the bridge's {@code /ring} payload, signed. */
  private void ring(String callSid, String callerNumber) {
    StringBuilder volunteers = new StringBuilder();
    for (Volunteer v : onShift.getOrDefault(callerNumber, List.of())) {
      volunteers.append(volunteers.isEmpty() ? "" : ",").append("{\"pubkey\":\"")
          .append(v.pubkey()).append('"');
      if (v.phone() != null) {
        volunteers.append(",\"phone\":\"").append(v.phone()).append('"');
      }
      if (v.browserIdentity() != null) {
        volunteers.append(",\"browserIdentity\":\"").append(v.browserIdentity()).append('"');
      }
      volunteers.append('}');
    }
    String body = "{\"parentCallSid\":\"" + callSid + "\",\"callerNumber\":\"" + callerNumber
        + "\",\"volunteers\":[" + volunteers + "],\"callbackUrl\":\"" + worker.url()
        + "\",\"hubId\":\"" + hubId + "\"}";
    URI url = bridge.resolve("/ring");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json");
    long now = System.currentTimeMillis();
    if (scheme == Scheme.PLATFORM) {
      request.header("X-Bridge-Timestamp", Long.toString(now)).header("X-Bridge-Signature",
          WorkerValidators.platformSignature(secret, now, url.toString(), bytes));
    } else {
      request.header("X-Bridge-Timestamp", Long.toString(now / 1000)).header(
          "X-Bridge-Signature", WorkerValidators.hotlineSignature(secret, now / 1000, bytes));
    }
    try {
      HttpResponse<String> answer = http.send(
          request.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
          HttpResponse.BodyHandlers.ofString());
      rings.add(new Ring(callSid, body, answer.statusCode(), answer.body()));
    } catch (Exception e) {
      rings.add(new Ring(callSid, body, -1, e.toString()));
    }
  }

  private static String say(String lang, String text) {
    return "<Say language=\"" + VOICES.getOrDefault(lang, "en-US") + "\">" + text + "</Say>";
  }

  private static String response(String verbs) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>" + verbs + "</Response>";
  }

  @Override
  public void close() {
    background.shutdownNow();
  }
}
