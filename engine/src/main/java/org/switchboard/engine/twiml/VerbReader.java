package org.switchboard.engine.twiml;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.switchboard.engine.twiml.TwimlException.Kind;
import org.switchboard.engine.twiml.XmlNode.Element;
import org.switchboard.engine.twiml.verb.Echo;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.Hangup;
import org.switchboard.engine.twiml.verb.Leave;
import org.switchboard.engine.twiml.verb.Record;
import org.switchboard.engine.twiml.verb.Redirect;
import org.switchboard.engine.twiml.verb.Reject;
import org.switchboard.engine.twiml.verb.Trim;
import org.switchboard.engine.twiml.verb.Verb;
import org.switchboard.engine.twiml.verb.WaitUrl;

/**
 * Maps the {@code <Response>} element to verbs: dispatches each child to its reader and reads the
 * simple verbs itself (Record, Enqueue, Leave, Hangup, Reject, Redirect).
 */
final class VerbReader {

  private final ReadContext context;
  private final PromptReader prompts;
  private final DialReader dials;
  private final StreamReader streams;

  VerbReader(ReadContext context) {
    this.context = context;
    this.prompts = new PromptReader(context);
    this.dials = new DialReader(context);
    this.streams = new StreamReader(context);
  }

  List<Verb> response(Element root) throws TwimlException {
    if (!root.name().equals("Response")) {
      throw new TwimlException(Kind.INVALID_ROOT, root.line(), root.column(),
          "the root element must be <Response>, was " + root.tag());
    }
    context.attrs(root).finish();
    Elements.noText(root, context);
    List<Verb> verbs = new ArrayList<>();
    for (Element child : root.elements()) {
      verbs.add(verb(child, root));
    }
    return verbs;
  }

  private Verb verb(Element element, Element root) throws TwimlException {
    return switch (element.name()) {
      case "Say" -> prompts.say(element);
      case "Play" -> prompts.play(element, false);
      case "Pause" -> prompts.pause(element);
      case "Gather" -> prompts.gather(element);
      case "Record" -> record(element);
      case "Dial" -> dials.dial(element);
      case "Enqueue" -> enqueue(element);
      case "Leave" -> leave(element);
      case "Hangup" -> hangup(element);
      case "Reject" -> reject(element);
      case "Redirect" -> redirect(element);
      case "Connect" -> streams.connect(element);
      case "Start" -> streams.start(element);
      case "Stop" -> streams.stop(element);
      case "Refer" -> streams.refer(element);
      case "Echo" -> echo(element);
      default -> throw Elements.unexpected(element, root);
    };
  }

  private Record record(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of());
    Elements.noText(element, context);
    Attrs attrs = context.attrs(element);
    var action = attrs.url("action").orElse(context.documentUrl());
    var method = attrs.method("method");
    int timeout = attrs.integer("timeout", Record.DEFAULT_TIMEOUT);
    String finishOnKey = attrs.raw("finishOnKey").map(String::trim)
        .orElse(Record.DEFAULT_FINISH_ON_KEY);
    boolean transcribe = attrs.bool("transcribe", false);
    int maxLength = attrs.integer("maxLength",
        transcribe ? Record.DEFAULT_MAX_LENGTH_TRANSCRIBED : Record.DEFAULT_MAX_LENGTH);
    boolean playBeep = attrs.bool("playBeep", true);
    var trim = attrs.enumeration("trim", Trim.class, Trim.TRIM_SILENCE);
    var recordingCallback = Callbacks.recording(element, attrs);
    var transcribeCallback = attrs.url("transcribeCallback");
    attrs.unsupported("recordingConfigurationId");
    attrs.finish();
    return ReadContext.build(element, () -> new Record(action, method, timeout, finishOnKey,
        maxLength, playBeep, trim, recordingCallback, transcribe, transcribeCallback));
  }

  private Enqueue enqueue(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of());
    Attrs attrs = context.attrs(element);
    var action = attrs.url("action");
    var method = attrs.method("method");
    WaitUrl waitUrl = DialReader.waitUrl(attrs, "waitUrl");
    var waitUrlMethod = attrs.method("waitUrlMethod", DialReader.defaultWaitMethod(waitUrl));
    var maxQueueSize = attrs.integer("maxQueueSize");
    attrs.unsupported("workflowSid");
    attrs.finish();
    String name = element.text();
    return ReadContext.build(element, () -> new Enqueue(
        name, action, method, waitUrl, waitUrlMethod, maxQueueSize));
  }

  private Echo echo(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of());
    Elements.noText(element, context);
    context.attrs(element).finish();
    return new Echo();
  }

  private Leave leave(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of());
    Elements.noText(element, context);
    context.attrs(element).finish();
    return new Leave();
  }

  private Hangup hangup(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of("Parameter"));
    Elements.noText(element, context);
    context.attrs(element).finish();
    ignoreParameters(element);
    return new Hangup();
  }

  private Reject reject(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of("Parameter"));
    Elements.noText(element, context);
    Attrs attrs = context.attrs(element);
    var reason = attrs.enumeration("reason", Reject.Reason.class, Reject.Reason.REJECTED);
    attrs.finish();
    ignoreParameters(element);
    return new Reject(reason);
  }

  private void ignoreParameters(Element element) throws TwimlException {
    if (!DialReader.parameters(element, context).isEmpty()) {
      context.warn(element, "<Parameter> children of " + element.tag() + " ignored");
    }
  }

  private Redirect redirect(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of());
    Attrs attrs = context.attrs(element);
    var method = attrs.method("method");
    attrs.finish();
    var url = context.resolve(element, element.text());
    return ReadContext.build(element, () -> new Redirect(url, method));
  }
}
