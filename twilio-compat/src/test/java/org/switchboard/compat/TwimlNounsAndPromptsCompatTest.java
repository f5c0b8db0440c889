package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Client;
import com.twilio.twiml.voice.Conference;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Enqueue;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Identity;
import com.twilio.twiml.voice.Leave;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Queue;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.SsmlBreak;
import com.twilio.twiml.voice.SsmlEmphasis;
import com.twilio.twiml.voice.SsmlLang;
import com.twilio.twiml.voice.SsmlP;
import com.twilio.twiml.voice.SsmlPhoneme;
import com.twilio.twiml.voice.SsmlProsody;
import com.twilio.twiml.voice.SsmlS;
import com.twilio.twiml.voice.SsmlSayAs;
import com.twilio.twiml.voice.SsmlSub;
import com.twilio.twiml.voice.SsmlW;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimLog;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/**
 * The SDK's SSML elements inside {@code <Say>}, {@code <Play digits>}, {@code <Gather
 * actionOnEmptyResult>}, {@code <Conference beep>}, {@code <Dial><Client>} with its whisper and
 * status callbacks, {@code <Enqueue>}, {@code <Dial><Queue>} and {@code <Leave>}, built with the
 * Twilio SDK's {@code VoiceResponse} and run on calls through the simulator. The node speaks
 * through its HTTP TTS engine, pointed at a fake service here that records what it is asked to
 * say (the SSML document with its {@code textType}) and answers a short WAV the simulator plays.
 */
class TwimlNounsAndPromptsCompatTest extends CompatTest {
  private static final String SSML = "+15550007001";
  private static final String DIGITS = "+15550007002";
  private static final String EMPTY_ACTION = "+15550007003";
  private static final String EMPTY_NEXT = "+15550007004";
  private static final String CLIENT = "+15550007005";
  private static final String ENQUEUE = "+15550007006";
  private static final String DEQUEUE = "+15550007007";
  private static final String ENQUEUE_LEAVE = "+15550007008";
  /** Conference participants, by their {@code beep}: the first waits, the second starts it. */
  private static final Map<String, Conference.Beep> BEEPS = Map.of(
      "+15550007011", Conference.Beep.ONEXIT, "+15550007012", Conference.Beep.FALSE,
      "+15550007013", Conference.Beep.ONENTER, "+15550007014", Conference.Beep.TRUE);
  private static final String WAITER = "+15550007011";

  /** The query of every request the fake TTS service got. */
  private final List<Map<String, String>> spoken = new CopyOnWriteArrayList<>();
  private HttpServer tts;

  @Override
  CompatHarness harness() throws Exception {
    tts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] wav = TwimlAttributesCompatTest.wav(200, 0);
    tts.createContext("/tts", x -> {
      spoken.add(query(x.getRequestURI().getRawQuery()));
      x.getResponseHeaders().set("Content-Type", "audio/wav");
      x.sendResponseHeaders(200, wav.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(wav);
      }
    });
    tts.start();
    CompatHarness harness = new CompatHarness(
        List.of(new DialRule("*alice*", DialBehaviour.parse("answer-after-300"))),
        Map.of("switchboard.audio.tts.engine", "http",
            "switchboard.audio.tts.http.url-template", "http://127.0.0.1:"
                + tts.getAddress().getPort()
                + "/tts?text={text}&type={textType}&voice={voice}&lang={language}"));
    WebhookApp app = harness.app;
    app.on("/voice", byCallee(harness));
    for (String done : List.of("/gathered", "/fell-through", "/client-dialed", "/enqueued",
        "/dequeued")) {
      app.on(done, w -> TwimlVerbsCompatTest.verbs(new VoiceResponse.Builder()
          .hangup(new Hangup.Builder().build()).build()));
    }
    app.on("/client-whisper", w -> TwimlVerbsCompatTest.verbs(new VoiceResponse.Builder()
        .say(new Say.Builder("A call for you.").build()).build()));
    app.on("/hold", w -> TwimlVerbsCompatTest.verbs(new VoiceResponse.Builder()
        .say(new Say.Builder("Please hold.").build())
        .pause(new Pause.Builder().length(1).build()).build()));
    app.on("/leave-hold", w -> TwimlVerbsCompatTest.verbs(new VoiceResponse.Builder()
        .say(new Say.Builder("Nobody is free.").build())
        .leave(new Leave.Builder().build()).build()));
    app.on("/announce", w -> TwimlVerbsCompatTest.verbs(new VoiceResponse.Builder()
        .say(new Say.Builder("An agent takes your call.").build()).build()));
    return harness;
  }

  private Function<WebhookApp.Webhook, String> byCallee(CompatHarness harness) {
    WebhookApp app = harness.app;
    return w -> {
      String to = w.param("To");
      if (BEEPS.containsKey(to)) {
        return TwimlVerbsCompatTest.verbs(new VoiceResponse.Builder()
            .dial(new Dial.Builder().conference(new Conference.Builder("beeps")
                .beep(BEEPS.get(to)).startConferenceOnEnter(!to.equals(WAITER)).build())
                .build())
            .build());
      }
      return TwimlVerbsCompatTest.verbs(switch (to) {
        case SSML -> new VoiceResponse.Builder().say(ssmlSay()).hangup(new Hangup.Builder()
            .build()).build();
        case DIGITS -> new VoiceResponse.Builder()
            .play(new Play.Builder().digits("12w3").build())
            .hangup(new Hangup.Builder().build()).build();
        case EMPTY_ACTION, EMPTY_NEXT -> new VoiceResponse.Builder()
            .gather(new Gather.Builder().inputs(Gather.Input.DTMF).timeout(1).numDigits(1)
                .action(app.url("/gathered")).method(HttpMethod.POST)
                .actionOnEmptyResult(to.equals(EMPTY_ACTION)).build())
            .redirect(new Redirect.Builder(app.url("/fell-through")).build()).build();
        case CLIENT -> new VoiceResponse.Builder()
            .dial(new Dial.Builder().action(app.url("/client-dialed")).timeout(10)
                .client(new Client.Builder().identity(new Identity.Builder("alice").build())
                    .url(app.url("/client-whisper")).method(HttpMethod.GET)
                    .statusCallback(app.url("/client-status"))
                    .statusCallbackMethod(HttpMethod.POST)
                    .statusCallbackEvents(List.of(Client.Event.INITIATED, Client.Event.RINGING,
                        Client.Event.ANSWERED, Client.Event.COMPLETED)).build())
                .build())
            .build();
        case ENQUEUE -> new VoiceResponse.Builder()
            .enqueue(new Enqueue.Builder("support").action(app.url("/enqueued"))
                .method(HttpMethod.POST).waitUrl(app.url("/hold")).waitUrlMethod(HttpMethod.GET)
                .maxQueueSize(1).build())
            .build();
        case DEQUEUE -> new VoiceResponse.Builder()
            .dial(new Dial.Builder().action(app.url("/dequeued"))
                .queue(new Queue.Builder("support").url(app.url("/announce"))
                    .method(HttpMethod.GET).build()).build())
            .build();
        case ENQUEUE_LEAVE -> new VoiceResponse.Builder()
            .enqueue(new Enqueue.Builder("nobody-free").action(app.url("/enqueued"))
                .waitUrl(app.url("/leave-hold")).build())
            .build();
        default -> throw new IllegalArgumentException("no TwiML for " + to);
      });
    };
  }

  /** A {@code <Say>} holding every SSML element of the SDK, each with all its attributes. */
  private static Say ssmlSay() {
    return new Say.Builder("Hello.").language(Say.Language.EN_GB)
        .break_(new SsmlBreak.Builder().strength(SsmlBreak.Strength.STRONG).time("300ms").build())
        .emphasis(new SsmlEmphasis.Builder("really").level(SsmlEmphasis.Level.STRONG).build())
        .lang(new SsmlLang.Builder("bonjour").xmlLang(SsmlLang.XmlLang.FR_FR).build())
        .p(new SsmlP.Builder("A paragraph.").build())
        .phoneme(new SsmlPhoneme.Builder("tomato").alphabet(SsmlPhoneme.Alphabet.X_SAMPA)
            .ph("t@\"meIt@U").build())
        .prosody(new SsmlProsody.Builder("slowly").pitch("-10%").rate("80%").volume("loud")
            .build())
        .s(new SsmlS.Builder("A sentence.").build())
        .sayAs(new SsmlSayAs.Builder("12/25").interpretAs(SsmlSayAs.InterpretAs.DATE)
            .format(SsmlSayAs.Format.MDY).build())
        .sub(new SsmlSub.Builder("W3C").alias("World Wide Web Consortium").build())
        .w(new SsmlW.Builder("read").role("amazon:VBD").build())
        .build();
  }

  @Test
  void ssmlElementsAndTheirAttributesReachTheTtsEngineAndThePromptPlays() throws Exception {
    String channel = h.sim.inboundCall("+15557770701", SSML);
    String sid = CompatHarness.callSid(channel);
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    List<Map<String, String>> ssml = spoken.stream()
        .filter(q -> "ssml".equals(q.get("type"))).toList();
    assertEquals(1, ssml.size(), "one SSML render: " + spoken);
    assertEquals("en-GB", ssml.get(0).get("lang"));
    Element speak = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(ssml.get(0).get("text").getBytes(StandardCharsets.UTF_8)))
        .getDocumentElement();
    assertEquals("speak", speak.getTagName());
    assertEquals("en-GB", speak.getAttribute("xml:lang"));
    Map<String, Map<String, String>> elements = new TreeMap<>();
    NodeList all = speak.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      Map<String, String> attributes = new TreeMap<>();
      NamedNodeMap map = e.getAttributes();
      for (int j = 0; j < map.getLength(); j++) {
        attributes.put(map.item(j).getNodeName(), map.item(j).getNodeValue());
      }
      elements.put(e.getTagName() + ":" + e.getTextContent(), attributes);
    }
    Map<String, Map<String, String>> expected = new TreeMap<>(Map.of(
        "break:", Map.of("strength", "strong", "time", "300ms"),
        "emphasis:really", Map.of("level", "strong"),
        "lang:bonjour", Map.of("xml:lang", "fr-FR"),
        "p:A paragraph.", Map.of(),
        "phoneme:tomato", Map.of("alphabet", "x-sampa", "ph", "t@\"meIt@U"),
        "prosody:slowly", Map.of("pitch", "-10%", "rate", "80%", "volume", "loud"),
        "s:A sentence.", Map.of(),
        "say-as:12/25", Map.of("interpret-as", "date", "format", "mdy"),
        "sub:W3C", Map.of("alias", "World Wide Web Consortium"),
        "w:read", Map.of("role", "amazon:VBD")));
    assertEquals(expected, elements, "the SSML the TTS engine got: " + ssml.get(0).get("text"));
    assertTrue(speak.getTextContent().startsWith("Hello."), speak.getTextContent());

    List<SimLog.Request> plays = h.ari("POST", channel + "/play");
    assertEquals(1, plays.size(), plays.toString());
    assertTrue(decoded(plays.get(0)).contains("/media/"), "the rendered speech is played: "
        + decoded(plays.get(0)));
    assertTrue(plays.get(0).status() < 300, "Asterisk played it: " + plays.get(0));
    assertTrue(h.sim.log().events().stream().anyMatch(e -> e.type().equals("PlaybackFinished")
        && e.json().contains(channel)), "the playback finished before the hangup");
  }

  @Test
  void playDigitsSendsEachRunAndPausesHalfASecondForWAfterTheDigitsSound() {
    String channel = h.sim.inboundCall("+15557770702", DIGITS);
    String sid = CompatHarness.callSid(channel);
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    List<SimLog.Request> sent = h.ari("POST", channel + "/dtmf");
    assertEquals(2, sent.size(), sent.toString());
    assertTrue(decoded(sent.get(0)).contains("dtmf=12"), decoded(sent.get(0)));
    assertTrue(decoded(sent.get(1)).contains("dtmf=3"), decoded(sent.get(1)));
    // ARI answers before Asterisk sounds the digits: 100 ms of quiet, 200 ms per digit.
    long gap = Duration.between(sent.get(0).at(), sent.get(1).at()).toMillis();
    assertTrue(gap >= 500 + 500, "\"12\" sounds for 500 ms, then w waits 500 ms: " + gap + " ms");
    // The completed callback can come before the simulator has logged the hangup's request.
    h.awaitTrue(() -> !h.ari("DELETE", channel).isEmpty(), "the hangup of " + channel);
    SimLog.Request hangup = h.ari("DELETE", channel).get(0);
    long last = Duration.between(sent.get(1).at(), hangup.at()).toMillis();
    assertTrue(last >= 300, "<Hangup> waits for \"3\" to sound (300 ms): " + last + " ms");
  }

  @Test
  void gatherActionOnEmptyResultRequestsTheActionWithoutDigitsElseGoesOn() {
    String withAction = h.sim.inboundCall("+15557770703", EMPTY_ACTION);
    String goesOn = h.sim.inboundCall("+15557770704", EMPTY_NEXT);
    String actionSid = CompatHarness.callSid(withAction);
    String nextSid = CompatHarness.callSid(goesOn);
    WebhookApp.Webhook gathered = h.app.await("/gathered", actionSid, Map.of(),
        CompatHarness.WAIT);
    assertEquals("POST", gathered.method());
    assertEquals("", gathered.param("Digits"), gathered.params().toString());
    h.app.await("/fell-through", nextSid, Map.of(), CompatHarness.WAIT);
    for (String sid : List.of(actionSid, nextSid)) {
      h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    }
    assertFalse(h.app.webhooks().stream().anyMatch(w -> w.path().equals("/fell-through")
        && actionSid.equals(w.param("CallSid"))), "actionOnEmptyResult: the action, not the next verb");
    assertFalse(h.app.webhooks().stream().anyMatch(w -> w.path().equals("/gathered")
        && nextSid.equals(w.param("CallSid"))), "by default no action without digits");
  }

  /**
   * Four participants: {@code onExit} waits, {@code false} starts the conference (silently),
   * {@code onEnter} and {@code true} join with a beep; {@code onEnter} leaves silently, {@code
   * true} and {@code onExit} leave with a beep, the last ({@code false}) ends it. Each beep is a
   * {@code sound:beep} playback on the conference bridge after the join or leave it announces.
   */
  @Test
  void conferenceBeepsOnTheJoinsAndLeavesEachParticipantsBeepAsks() {
    Map<Conference.Beep, String> channel = new LinkedHashMap<>();
    Map<Conference.Beep, Instant> joined = new LinkedHashMap<>();
    for (Map.Entry<String, Conference.Beep> p : List.of(
        Map.entry(WAITER, Conference.Beep.ONEXIT), Map.entry("+15550007012", Conference.Beep.FALSE),
        Map.entry("+15550007013", Conference.Beep.ONENTER),
        Map.entry("+15550007014", Conference.Beep.TRUE))) {
      joined.put(p.getValue(), Instant.now());
      String id = h.sim.inboundCall("+15557770710", p.getKey());
      channel.put(p.getValue(), id);
      h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.id().startsWith("conf-")
          && b.channels().contains(id)), "beep=" + p.getValue() + " in the conference");
      int expected = switch (p.getValue()) {
        case ONEXIT, FALSE -> 0;
        case ONENTER -> 1;
        default -> 2;
      };
      awaitBeeps(expected, joined.get(p.getValue()), "after the join of beep=" + p.getValue());
    }
    hangUp(channel.get(Conference.Beep.ONENTER));
    Instant left = Instant.now();
    hangUp(channel.get(Conference.Beep.TRUE));
    awaitBeeps(3, left, "the leave of beep=true, none for beep=onEnter");
    left = Instant.now();
    hangUp(channel.get(Conference.Beep.ONEXIT));
    awaitBeeps(4, left, "the leave of beep=onExit");
    hangUp(channel.get(Conference.Beep.FALSE));
    h.awaitTrue(() -> h.sim.bridges().stream().noneMatch(b -> b.id().startsWith("conf-")),
        "the conference over");
    assertEquals(4, beeps().size(), "no beep as the last (beep=false) leaves: " + beeps());
    assertTrue(beeps().stream().allMatch(r -> decoded(r).contains("media=sound:beep")),
        beeps().toString());
  }

  /** Waits for exactly {@code count} beeps, the last one sent at or after {@code since}. */
  private void awaitBeeps(int count, Instant since, String what) {
    if (count == 0) {
      assertTrue(beeps().isEmpty(), "no beep " + what + ": " + beeps());
      return;
    }
    h.awaitTrue(() -> beeps().size() >= count, count + " beeps: " + what);
    List<SimLog.Request> beeps = beeps();
    assertEquals(count, beeps.size(), what + ": " + beeps);
    assertFalse(beeps.get(count - 1).at().isBefore(since), "the beep follows " + what);
  }

  private void hangUp(String channel) {
    h.sim.callerHangup(channel);
    h.awaitTrue(() -> h.sim.bridges().stream().noneMatch(b -> b.channels().contains(channel)),
        channel + " out of the conference");
  }

  private List<SimLog.Request> beeps() {
    return h.ari("POST", "/bridges/conf-").stream()
        .filter(r -> r.path().endsWith("/play") && decoded(r).contains("-beep-")).toList();
  }

  @Test
  void dialClientRunsItsWhisperOnTheClientAndReportsItsStatuses() {
    String caller = h.sim.inboundCall("+15557770705", CLIENT);
    String sid = CompatHarness.callSid(caller);
    WebhookApp.Webhook whisper = h.app.await(w -> w.path().equals("/client-whisper")
        && sid.equals(w.param("ParentCallSid")), "the Client's whisper URL", CompatHarness.WAIT);
    assertEquals("GET", whisper.method());
    assertEquals("client:alice", whisper.param("To"));
    assertEquals("in-progress", whisper.param("CallStatus"));
    String legSid = whisper.param("CallSid");
    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(caller)),
        "caller and client bridged after the whisper");
    SimLog.Request originate = h.ari("POST", "/channels").stream()
        .filter(r -> decoded(r).contains("endpoint=PJSIP/alice")).findFirst()
        .orElseThrow(() -> new AssertionError("no originate of PJSIP/alice: "
            + h.ari("POST", "/channels")));
    java.util.regex.Matcher id = java.util.regex.Pattern.compile("channelId=([^&]+)")
        .matcher(decoded(originate));
    assertTrue(id.find(), decoded(originate));
    String leg = id.group(1);
    assertTrue(h.ari("POST", "/channels/" + leg + "/play").stream()
        .anyMatch(r -> decoded(r).contains("/media/")),
        "the whisper's <Say> played on the client's leg " + leg);
    h.sim.callerHangup(caller);
    WebhookApp.Webhook dialed = h.app.await("/client-dialed", sid,
        Map.of("DialCallStatus", "completed"), CompatHarness.WAIT);
    assertEquals(legSid, dialed.param("DialCallSid"));
    for (String status : List.of("initiated", "ringing", "in-progress", "completed")) {
      WebhookApp.Webhook callback = h.app.await("/client-status", legSid,
          Map.of("CallStatus", status), CompatHarness.WAIT);
      assertEquals("POST", callback.method());
    }
  }

  @Test
  void enqueueWaitsWithItsWaitUrlIsFullPastMaxQueueSizeAndADialQueueAnnouncesAndBridges() {
    String waiting = h.sim.inboundCall("+15557770706", ENQUEUE);
    String waitingSid = CompatHarness.callSid(waiting);
    WebhookApp.Webhook hold = h.app.await("/hold", waitingSid, Map.of("QueuePosition", "1"),
        CompatHarness.WAIT);
    assertEquals("GET", hold.method());
    assertEquals(Map.of("CurrentQueueSize", "1", "MaxQueueSize", "1"),
        Map.of("CurrentQueueSize", hold.param("CurrentQueueSize"),
            "MaxQueueSize", hold.param("MaxQueueSize")));
    String queueSid = hold.param("QueueSid");
    assertNotNull(queueSid);

    String refused = h.sim.inboundCall("+15557770716", ENQUEUE);
    WebhookApp.Webhook full = h.app.await("/enqueued", CompatHarness.callSid(refused),
        Map.of("QueueResult", "queue-full"), CompatHarness.WAIT);
    assertEquals("POST", full.method());

    String agent = h.sim.inboundCall("+15557770707", DEQUEUE);
    String agentSid = CompatHarness.callSid(agent);
    WebhookApp.Webhook announce = h.app.await("/announce", waitingSid,
        Map.of("DequeingCallSid", agentSid), CompatHarness.WAIT);
    assertEquals("GET", announce.method());
    assertEquals(queueSid, announce.param("QueueSid"));
    h.awaitTrue(() -> h.ari("POST", waiting + "/play").stream()
        .anyMatch(r -> decoded(r).contains(waitingSid + "-announce-")),
        "the <Queue url> announcement on the dequeued caller");
    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(waiting)
        && b.channels().contains(agent)), "the dequeued caller bridged to the agent");
    h.sim.callerHangup(agent);
    WebhookApp.Webhook bridged = h.app.await("/enqueued", waitingSid,
        Map.of("QueueResult", "bridged"), CompatHarness.WAIT);
    assertEquals(queueSid, bridged.param("QueueSid"));
    h.app.await("/status", waitingSid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
  }

  @Test
  void leaveTakesTheCallerOutOfTheQueueToTheEnqueueAction() {
    String channel = h.sim.inboundCall("+15557770708", ENQUEUE_LEAVE);
    String sid = CompatHarness.callSid(channel);
    WebhookApp.Webhook left = h.app.await("/enqueued", sid, Map.of("QueueResult", "leave"),
        CompatHarness.WAIT);
    assertEquals("POST", left.method(), "Enqueue's method defaults to POST");
    assertNotNull(left.param("QueueSid"));
    assertTrue(h.app.webhooks().stream().anyMatch(w -> w.path().equals("/leave-hold")
        && sid.equals(w.param("CallSid")) && w.method().equals("POST")),
        "the waitUrl requested with POST, its default");
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
  }

  private static String decoded(SimLog.Request r) {
    return URLDecoder.decode(r.path() + "?" + r.query() + r.body(), StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : (raw == null ? "" : raw).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(pair.substring(0, eq),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  @AfterAll
  void stop() {
    super.stop();
    if (tts != null) {
      tts.stop(0);
    }
  }
}
