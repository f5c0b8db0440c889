package org.switchboard.loadtest;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The built-in TwiML test application, under {@code /lt/}. Its prompts are few and always the
 * same text, so Switchboard renders each once and the simulator fetches each WAV once. Every
 * request is reported to a listener with its arrival and response times.
 *
 * <ul>
 *   <li>simple: incoming → {@code <Say>} → {@code <Hangup>}
 *   <li>ivr: incoming → {@code <Gather numDigits=1><Say>} → menu → {@code <Record
 *       finishOnKey=#>} → recorded → {@code <Say>} → {@code <Hangup>}
 *   <li>menu: incoming → {@code <Gather numDigits=1><Say>} → menu → {@code <Say>} → {@code
 *       <Hangup>}
 *   <li>queue: incoming → {@code <Enqueue waitUrl=wait>}; wait → a one-hour {@code <Pause>}
 *   <li>hotline: incoming → Gather menu → {@code <Enqueue waitUrl=hold>} (as the Llamenos
 *       Worker's language menu, a Gather that ends without a digit goes on to a {@code <Redirect>}
 *       to the menu with {@code auto=1}, which enqueues the caller too); hold → {@code
 *       <Say>} + {@code <Pause>} (the wait loop); the volunteer who answers gets {@code
 *       <Dial><Queue>}; the queue action hangs up. Each caller waits in a queue of its own
 *       ({@link #callerQueue}) and its volunteers dial that queue: with one shared queue a
 *       volunteer rung for one caller could take another from the front, and when that other
 *       caller then hung up, its own ring was cancelled and a caller behind it waited forever.
 *       As the Llamenos Worker does, the wait page answers {@code <Leave/>} once {@code QueueTime}
 *       reaches {@link #QUEUE_TIMEOUT_SECONDS}, and a caller who left the queue unbridged ({@code
 *       QueueResult} leave, queue-full, error, system-error) gets voicemail: a prompt, {@code
 *       <Record>} (action voicemail-complete → goodbye; recording status callback
 *       voicemail-recording)
 * </ul>
 */
public final class TestApp extends AllDirectives {

  /** Prompts; identical for every call. */
  static final String WELCOME = "Thank you for calling.";
  static final String MENU = "Press one.";
  static final String GOODBYE = "Goodbye.";
  static final String HOLD = "Please hold.";
  static final String VOICEMAIL = "Please leave a message.";

  /**
   * A hotline caller still waiting after this long in the queue leaves it for voicemail (the
   * Llamenos Worker's {@code queueTimeoutSeconds}, default 90: its wait page answers {@code
   * <Leave/>} once {@code QueueTime} reaches it).
   */
  static final int QUEUE_TIMEOUT_SECONDS = 90;

  /**
   * The verbs {@code simple}'s incoming page answers: {@code <Say>} then {@code <Hangup/>}, or
   * those of {@code LOADTEST_APP_TWIML} ({@code -Dloadtest.app-twiml}; scripts/compare-bridge
   * runs the bridge's flow, {@code <Say language="en-US">Hello</Say><Hangup/>}).
   */
  static final String SIMPLE_DOCUMENT = System.getProperty("loadtest.app-twiml",
      System.getenv().getOrDefault("LOADTEST_APP_TWIML", "<Say>" + WELCOME + "</Say><Hangup/>"));

  /** Queue names used by the profiles. */
  static final String QUEUE = "loadtest";

  /** Queues the {@code queue} profile spreads its callers over. */
  static final int WAIT_QUEUES = 64;

  /** {@code maxQueueSize} of every queue (Twilio's upper limit). */
  static final int QUEUE_CAPACITY = 5000;

  /**
   * One request the application answered.
   *
   * @param page the page name ({@code incoming}, {@code menu}, …)
   * @param params query and form parameters
   * @param arrivedMicros wall-clock arrival, µs since the epoch
   * @param respondedMicros wall-clock time the TwiML was handed back
   * @param expectsCommand whether the TwiML makes Switchboard send an ARI request for the caller's
   *     channel right away
   */
  public record Webhook(
      String page,
      Map<String, String> params,
      long arrivedMicros,
      long respondedMicros,
      boolean expectsCommand) {

    /** The CallSid parameter, or empty. */
    public String callSid() {
      return params.getOrDefault("CallSid", "");
    }
  }

  private final Profile profile;
  private final String base;
  private final Consumer<Webhook> listener;
  private final boolean recordBridge;

  /**
   * An application serving one profile's script.
   *
   * @param profile which script to serve
   * @param base the URL this application is reached at (no trailing slash)
   * @param listener told about every request, on the HTTP thread that served it
   */
  public TestApp(Profile profile, String base, Consumer<Webhook> listener) {
    this(profile, base, listener, false);
  }

  /**
   * As above; with {@code recordBridge} the hotline volunteer's {@code <Dial>} records the bridge
   * ({@code record-from-answer}) and its recording status callback goes to {@code /lt/recording}.
   */
  public TestApp(Profile profile, String base, Consumer<Webhook> listener, boolean recordBridge) {
    this.profile = profile;
    this.base = base;
    this.listener = listener;
    this.recordBridge = recordBridge;
  }

  /** The voice URL of the application. */
  public String voiceUrl() {
    return base + "/lt/incoming";
  }

  /** The status callback URL of the application. */
  public String statusUrl() {
    return base + "/lt/status";
  }

  /**
   * The routes, all under {@code /lt}; also under {@code /api/telephony/} where the Llamenos
   * bridge (and Switchboard in bridge mode) posts to its Worker: {@code incoming} is the voice
   * page, {@code call-status} the status page.
   */
  public Route route() {
    return concat(
        pathPrefix("lt", () -> path(this::page)),
        pathPrefix("api", () -> pathPrefix("telephony", () -> path(
            page -> page(page.equals("call-status") ? "status" : page)))));
  }

  private Route page(String page) {
    return parameterMap(query -> formFieldMap(form -> {
      long arrived = nowMicros();
      Map<String, String> params = new HashMap<>(query);
      params.putAll(form);
      String body = document(twiml(page, params));
      long responded = nowMicros();
      listener.accept(new Webhook(page, params, arrived, responded, expectsCommand(page)));
      return complete(HttpResponse.create()
          .withEntity(MediaTypes.TEXT_XML.toContentType(HttpCharsets.UTF_8), body));
    }));
  }

  /** The TwiML for {@code page} in this profile. */
  String twiml(String page, Map<String, String> params) {
    return switch (profile) {
      case SIMPLE -> page.equals("incoming") ? SIMPLE_DOCUMENT : "";
      case IVR ->
          switch (page) {
            case "incoming" -> menu();
            case "menu" ->
                "1".equals(params.get("Digits"))
                    ? "<Record action=\"" + base + "/lt/recorded\" finishOnKey=\"#\""
                        + " maxLength=\"30\" timeout=\"10\"/>"
                    : "<Hangup/>";
            case "recorded" -> say(GOODBYE) + "<Hangup/>";
            default -> "";
          };
      case MENU ->
          switch (page) {
            case "incoming" -> menu();
            case "menu" -> "1".equals(params.get("Digits")) ? say(GOODBYE) + "<Hangup/>" : "<Hangup/>";
            default -> "";
          };
      case QUEUE ->
          switch (page) {
            case "incoming" -> enqueue(waitingQueue(params.getOrDefault("From", "")), "wait");
            case "wait" -> "<Pause length=\"3600\"/>";
            default -> "";
          };
      case HOTLINE ->
          switch (page) {
            case "incoming" ->
                menu("<Redirect method=\"POST\">" + base + "/lt/menu?auto=1</Redirect>");
            case "menu" ->
                "1".equals(params.get("Digits")) || "1".equals(params.get("auto"))
                    ? enqueue(callerQueue(params.getOrDefault("CallSid", "")), "hold")
                    : "<Hangup/>";
            case "hold" ->
                queueTime(params) >= QUEUE_TIMEOUT_SECONDS
                    ? "<Leave/>"
                    : say(HOLD) + "<Pause length=\"20\"/>";
            case "volunteer" ->
                (recordBridge
                    ? "<Dial record=\"record-from-answer\" recordingStatusCallback=\"" + base
                        + "/lt/recording\">"
                    : "<Dial>")
                    + "<Queue>" + callerQueue(params.getOrDefault("ParentCallSid", ""))
                    + "</Queue></Dial>";
            case "after" ->
                switch (params.getOrDefault("QueueResult", "")) {
                  case "leave", "queue-full", "error", "system-error" -> voicemail();
                  default -> "<Hangup/>";
                };
            case "voicemail-complete" -> say(GOODBYE) + "<Hangup/>";
            default -> "";
          };
    };
  }

  /** Whether the TwiML of {@code page} makes Switchboard act on the caller's channel at once. */
  boolean expectsCommand(String page) {
    return switch (page) {
      case "incoming", "recorded", "hold" -> true;
      case "menu" -> profile == Profile.IVR || profile == Profile.MENU;
      default -> false;
    };
  }

  /**
   * The Llamenos Worker's voicemail after a caller left the queue unbridged: a prompt, then
   * {@code <Record>} with its action and a recording status callback ({@code completed}).
   */
  private String voicemail() {
    return say(VOICEMAIL) + "<Record maxLength=\"120\" action=\"" + base
        + "/lt/voicemail-complete\" recordingStatusCallback=\"" + base
        + "/lt/voicemail-recording\" recordingStatusCallbackEvent=\"completed\"/><Hangup/>";
  }

  private static int queueTime(Map<String, String> params) {
    try {
      return Integer.parseInt(params.getOrDefault("QueueTime", "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private String menu() {
    return menu("<Hangup/>");
  }

  /** The menu Gather, then {@code noInput} when it ends without a digit. */
  private String menu(String noInput) {
    return "<Gather numDigits=\"1\" timeout=\"10\" action=\"" + base + "/lt/menu\">"
        + say(MENU) + "</Gather>" + noInput;
  }

  private String enqueue(String queue, String waitPage) {
    return "<Enqueue waitUrl=\"" + base + "/lt/" + waitPage + "\" action=\"" + base
        + "/lt/after\" maxQueueSize=\"" + QUEUE_CAPACITY + "\">" + queue + "</Enqueue>";
  }

  /** The queue of a hotline caller, named after its CallSid (as its volunteers learn it: ParentCallSid). */
  static String callerQueue(String callSid) {
    return QUEUE + "-" + callSid;
  }

  /**
   * The queue of a {@code queue}-profile caller: callers are spread over {@link #WAIT_QUEUES}
   * queues by their number, so no queue reaches Twilio's 5000-member limit below 320,000 calls.
   */
  static String waitingQueue(String from) {
    int h = 0;
    for (int i = Math.max(0, from.length() - 4); i < from.length(); i++) {
      h = h * 10 + Character.digit(from.charAt(i), 10);
    }
    return QUEUE + "-" + Math.floorMod(h, WAIT_QUEUES);
  }

  private static String say(String text) {
    return "<Say>" + text + "</Say>";
  }

  static long nowMicros() {
    return SimEntry.micros(Instant.now());
  }

  /** Wraps verbs in a {@code <Response>} document. */
  static String document(String verbs) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>" + verbs + "</Response>";
  }
}
