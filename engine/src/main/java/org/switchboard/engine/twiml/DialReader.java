package org.switchboard.engine.twiml;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.switchboard.engine.twiml.XmlNode.Element;
import org.switchboard.engine.twiml.verb.Client;
import org.switchboard.engine.twiml.verb.Conference;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.Number;
import org.switchboard.engine.twiml.verb.Parameter;
import org.switchboard.engine.twiml.verb.Queue;
import org.switchboard.engine.twiml.verb.RecordingStatusCallback;
import org.switchboard.engine.twiml.verb.Sip;
import org.switchboard.engine.twiml.verb.Trim;
import org.switchboard.engine.twiml.verb.WaitUrl;

/** Reads {@code <Dial>} and its nouns Number, Sip, Client, Queue and Conference. */
final class DialReader {

  private static final Set<String> NOUNS = Set.of("Number", "Sip", "Client", "Queue", "Conference");

  private final ReadContext context;

  DialReader(ReadContext context) {
    this.context = context;
  }

  Dial dial(Element element) throws TwimlException {
    Elements.requireChildren(element, NOUNS);
    Attrs attrs = context.attrs(element);
    var action = attrs.url("action");
    var method = attrs.method("method");
    int timeout = attrs.integer("timeout", Dial.DEFAULT_TIMEOUT);
    if (timeout < Dial.MIN_TIMEOUT || timeout > Dial.MAX_TIMEOUT) {
      context.warn(element, "<Dial> timeout=\"" + timeout + "\" clamped to "
          + Dial.MIN_TIMEOUT + ".." + Dial.MAX_TIMEOUT);
    }
    boolean hangupOnStar = attrs.bool("hangupOnStar", false);
    int timeLimit = attrs.integer("timeLimit", Dial.DEFAULT_TIME_LIMIT);
    var callerId = attrs.string("callerId");
    var record = attrs.enumeration("record", Dial.Record::parse, Dial.Record.class,
        Dial.Record.DO_NOT_RECORD);
    var recordingTrack = attrs.enumeration("recordingTrack", Dial.RecordingTrack.class,
        Dial.RecordingTrack.BOTH);
    var trim = attrs.enumeration("trim", Trim.class, Trim.DO_NOT_TRIM);
    RecordingStatusCallback recordingCallback = Callbacks.recording(element, attrs);
    boolean answerOnBridge = attrs.bool("answerOnBridge", false);
    var ringTone = attrs.string("ringTone").isPresent()
        ? Optional.of(attrs.enumeration("ringTone", Dial.RingTone.class, Dial.RingTone.US))
        : Optional.<Dial.RingTone>empty();
    boolean sequential = attrs.bool("sequential", false);
    var referUrl = attrs.url("referUrl");
    var referMethod = attrs.method("referMethod");
    attrs.unsupported("callReason", "events", "recordingConfigurationId");
    attrs.finish();
    List<Dial.Noun> nouns = nouns(element);
    return ReadContext.build(element, () -> new Dial(action, method, timeout, hangupOnStar,
        timeLimit, callerId, record, recordingTrack, trim, recordingCallback, answerOnBridge,
        ringTone, sequential, referUrl, referMethod, nouns));
  }

  private List<Dial.Noun> nouns(Element dial) throws TwimlException {
    List<Dial.Noun> nouns = new ArrayList<>();
    for (Element child : dial.elements()) {
      nouns.add(switch (child.name()) {
        case "Number" -> number(child);
        case "Sip" -> sip(child);
        case "Client" -> client(child);
        case "Queue" -> queue(child);
        default -> conference(child);
      });
    }
    Optional<String> text = dial.nonBlankText();
    if (nouns.isEmpty() && text.isPresent()) {
      nouns.add(ReadContext.build(dial, () -> Number.of(text.get())));
    } else if (text.isPresent()) {
      context.warn(dial, "text beside the nouns of <Dial> ignored");
    } else if (nouns.isEmpty()) {
      throw new TwimlException(TwimlException.Kind.INVALID_NESTING, dial.line(), dial.column(),
          "<Dial> needs a number as its body or at least one noun");
    }
    return nouns;
  }

  private Number number(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of());
    Attrs attrs = context.attrs(element);
    var sendDigits = attrs.string("sendDigits");
    var url = attrs.url("url");
    var method = attrs.method("method");
    var statusCallback = Callbacks.status(element, attrs);
    var machineDetection = Callbacks.machineDetection(element, attrs);
    attrs.unsupported("byoc");
    attrs.finish();
    String number = element.text();
    return ReadContext.build(element, () -> new Number(
        number, sendDigits, url, method, statusCallback, machineDetection));
  }

  private Sip sip(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of());
    Attrs attrs = context.attrs(element);
    var username = attrs.string("username");
    var password = attrs.string("password");
    var url = attrs.url("url");
    var method = attrs.method("method");
    var statusCallback = Callbacks.status(element, attrs);
    var machineDetection = Callbacks.machineDetection(element, attrs);
    attrs.finish();
    String uri = element.text();
    return ReadContext.build(element, () -> new Sip(
        uri, username, password, url, method, statusCallback, machineDetection));
  }

  private Client client(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of("Identity", "Parameter"));
    Attrs attrs = context.attrs(element);
    var url = attrs.url("url");
    var method = attrs.method("method");
    var statusCallback = Callbacks.status(element, attrs);
    attrs.finish();
    List<Element> identities = Elements.named(element, "Identity");
    if (identities.size() > 1) {
      throw ReadContext.nesting(identities.get(1), element);
    }
    String identity = identities.isEmpty() ? element.text() : identities.get(0).text();
    if (!identities.isEmpty() && !element.text().isEmpty()) {
      context.warn(element, "text beside <Identity> in <Client> ignored");
    }
    List<Parameter> parameters = parameters(element, context);
    return ReadContext.build(element, () -> new Client(
        identity, parameters, url, method, statusCallback));
  }

  private Queue queue(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of());
    Attrs attrs = context.attrs(element);
    var url = attrs.url("url");
    var method = attrs.method("method");
    attrs.unsupported("reservationSid", "postWorkActivitySid");
    attrs.finish();
    String name = element.text();
    return ReadContext.build(element, () -> new Queue(name, url, method));
  }

  private Conference conference(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of());
    Attrs attrs = context.attrs(element);
    boolean muted = attrs.bool("muted", false);
    var beep = attrs.enumeration("beep", Conference.Beep.class, Conference.Beep.TRUE);
    boolean start = attrs.bool("startConferenceOnEnter", true);
    boolean end = attrs.bool("endConferenceOnExit", false);
    var label = attrs.string("participantLabel");
    WaitUrl waitUrl = waitUrl(attrs, "waitUrl");
    var waitMethod = attrs.method("waitMethod", defaultWaitMethod(waitUrl));
    int maxParticipants = attrs.integer("maxParticipants", Conference.MAX_PARTICIPANTS);
    var record = attrs.enumeration("record", Conference.Record::parse, Conference.Record.class,
        Conference.Record.DO_NOT_RECORD);
    var trim = attrs.enumeration("trim", Trim.class, Trim.TRIM_SILENCE);
    var statusUrl = attrs.url("statusCallback");
    var statusMethod = attrs.method("statusCallbackMethod");
    var statusEvents = attrs.enumSet("statusCallbackEvent", Conference.Event.class,
        EnumSet.noneOf(Conference.Event.class));
    var recordingCallback = Callbacks.recording(element, attrs);
    var coach = attrs.string("coach");
    attrs.unsupported("jitterBufferSize", "region", "eventCallbackUrl");
    attrs.finish();
    String name = element.text();
    return ReadContext.build(element, () -> new Conference(name, muted, beep, start, end, label,
        waitUrl, waitMethod, maxParticipants, record, trim,
        new Conference.EventCallback(statusUrl, statusMethod, statusEvents), recordingCallback,
        coach));
  }

  /** A waitUrl attribute: absent → default music, blank → silence, else the resolved URL. */
  static WaitUrl waitUrl(Attrs attrs, String name) throws TwimlException {
    Optional<String> raw = attrs.raw(name);
    if (raw.isEmpty()) {
      return new WaitUrl.DefaultMusic();
    }
    if (raw.get().isBlank()) {
      return new WaitUrl.Silence();
    }
    return new WaitUrl.Fetch(attrs.url(name).orElseThrow());
  }

  /** POST for a given wait URL, GET for the default music (spec §4.9, §4.10). */
  static Method defaultWaitMethod(WaitUrl waitUrl) {
    return waitUrl instanceof WaitUrl.DefaultMusic ? Method.GET : Method.POST;
  }

  /** The {@code <Parameter name value/>} children of {@code parent}. */
  static List<Parameter> parameters(Element parent, ReadContext context) throws TwimlException {
    List<Parameter> parameters = new ArrayList<>();
    for (Element child : Elements.named(parent, "Parameter")) {
      Elements.requireChildren(child, Set.of());
      Attrs attrs = context.attrs(child);
      String name = attrs.string("name").orElse("");
      String value = attrs.raw("value").orElse("");
      attrs.finish();
      parameters.add(ReadContext.build(child, () -> new Parameter(name, value)));
    }
    return parameters;
  }
}
