package org.switchboard.http.demo;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The built-in sample hotline application: the documents a crisis-hotline app (the Llamenos
 * Worker) returns, served as TwiML under {@code /demo}. Language menu → captcha → queue with wait
 * messages (volunteers are rung through Switchboard's {@code /ring}) → the first volunteer to
 * answer is bridged with the caller and recorded → voicemail when nobody answers in time.
 *
 * <p>Every request it receives is reported to {@code onRequest}, which is how the demo prints each
 * call's timeline and how end-to-end tests assert what the application saw.
 */
public final class DemoHotlineApp extends AllDirectives {

  /** One webhook as the application received it, at {@code at} (wall clock). */
  public record Received(Instant at, String path, String method, Map<String, String> params) {}

  /** Settings of the sample application. */
  public record Settings(
      String queueName, int leaveAfterSeconds, int captchaDigitsLength, String expectedCaptcha) {
    public static Settings defaults() {
      return new Settings("hotline", 90, 4, "1234");
    }
  }

  private final Settings settings;
  private final Consumer<Received> onRequest;
  private final Consumer<String> onCallerQueued;

  /**
   * @param onCallerQueued called with the caller's CallSid once the captcha passed; the demo rings
   *     the volunteers from there (as the Llamenos Worker calls the bridge's {@code /ring})
   */
  public DemoHotlineApp(
      Settings settings, Consumer<Received> onRequest, Consumer<String> onCallerQueued) {
    this.settings = settings;
    this.onRequest = onRequest;
    this.onCallerQueued = onCallerQueued;
  }

  /** The routes, all under {@code /demo}. */
  public Route route() {
    return pathPrefix(
        "demo",
        () ->
            concat(
                page("incoming", this::languageMenu),
                page("language", this::captcha),
                page("captcha", this::checkCaptcha),
                page("wait", this::waitMessage),
                page("queue-exit", this::queueExit),
                page("volunteer-answer", p -> volunteerAnswer()),
                page("dial-done", p -> response("<Hangup/>")),
                page("voicemail-done", p -> response("<Say>Thank you. Goodbye.</Say><Hangup/>")),
                page("recording-status", p -> ""),
                page("call-status", p -> "")));
  }

  private Route page(String name, Function<Map<String, String>, String> body) {
    return path(
        name,
        () ->
            extractMethod(
                method ->
                    parameterMap(
                        query ->
                            formFieldMap(
                                form -> {
                                  Map<String, String> params = new HashMap<>(query);
                                  params.putAll(form);
                                  onRequest.accept(
                                      new Received(Instant.now(), "/demo/" + name, method.value(), params));
                                  String xml = body.apply(params);
                                  return xml.isEmpty()
                                      ? complete(HttpResponse.create().withStatus(204))
                                      : complete(
                                          HttpResponse.create()
                                              .withEntity(
                                                  MediaTypes.TEXT_XML.toContentType(
                                                      HttpCharsets.UTF_8),
                                                  xml));
                                }))));
  }

  private String languageMenu(Map<String, String> p) {
    return response(
        "<Gather numDigits=\"1\" action=\"/demo/language\" method=\"POST\" timeout=\"5\">"
            + "<Say language=\"en-US\">Thank you for calling the hotline. For English, press 1.</Say>"
            + "<Say language=\"es-MX\">Para español, marque 2.</Say>"
            + "<Say language=\"fr-FR\">Pour le français, appuyez sur 3.</Say>"
            + "</Gather>"
            + "<Redirect method=\"POST\">/demo/incoming</Redirect>");
  }

  private String captcha(Map<String, String> p) {
    String lang = languageFor(p.getOrDefault("Digits", "1"));
    return response(
        "<Gather numDigits=\""
            + settings.captchaDigitsLength()
            + "\" action=\"/demo/captcha?lang="
            + lang
            + "&amp;expected="
            + settings.expectedCaptcha()
            + "\" method=\"POST\" timeout=\"8\">"
            + "<Say language=\""
            + lang
            + "\">To continue, enter "
            + String.join(" ", settings.expectedCaptcha().split(""))
            + ".</Say></Gather>"
            + "<Say language=\""
            + lang
            + "\">We did not receive your answer. Goodbye.</Say><Hangup/>");
  }

  private String checkCaptcha(Map<String, String> p) {
    String lang = p.getOrDefault("lang", "en-US");
    if (!p.getOrDefault("Digits", "").equals(p.get("expected"))) {
      return response("<Say language=\"" + lang + "\">That was not correct. Goodbye.</Say><Hangup/>");
    }
    String callSid = p.get("CallSid");
    if (callSid != null) {
      onCallerQueued.accept(callSid);
    }
    return response(
        "<Say language=\""
            + lang
            + "\">Please hold while we connect you with a volunteer.</Say>"
            + "<Enqueue waitUrl=\"/demo/wait?lang="
            + lang
            + "\" action=\"/demo/queue-exit?lang="
            + lang
            + "\" method=\"POST\">"
            + settings.queueName()
            + "</Enqueue>");
  }

  private String waitMessage(Map<String, String> p) {
    int queueTime = parseInt(p.get("QueueTime"));
    if (queueTime >= settings.leaveAfterSeconds()) {
      return response("<Leave/>");
    }
    return response(
        "<Say language=\""
            + p.getOrDefault("lang", "en-US")
            + "\">You are number "
            + p.getOrDefault("QueuePosition", "1")
            + " in line. A volunteer will be with you shortly.</Say><Pause length=\"10\"/>");
  }

  private String queueExit(Map<String, String> p) {
    String lang = p.getOrDefault("lang", "en-US");
    if ("leave".equals(p.get("QueueResult"))) {
      return response(
          "<Say language=\""
              + lang
              + "\">No volunteer is available right now. Please leave a message after the beep.</Say>"
              + "<Record maxLength=\"120\" playBeep=\"true\" finishOnKey=\"#\""
              + " action=\"/demo/voicemail-done\""
              + " recordingStatusCallback=\"/demo/recording-status\"/>"
              + "<Hangup/>");
    }
    return response("<Hangup/>");
  }

  private String volunteerAnswer() {
    return response(
        "<Dial record=\"record-from-answer\" action=\"/demo/dial-done\""
            + " recordingStatusCallback=\"/demo/recording-status\">"
            + "<Queue>"
            + settings.queueName()
            + "</Queue></Dial>");
  }

  private static String languageFor(String digit) {
    return switch (digit) {
      case "2" -> "es-MX";
      case "3" -> "fr-FR";
      default -> "en-US";
    };
  }

  private static int parseInt(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String response(String verbs) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>" + verbs + "</Response>";
  }

}
