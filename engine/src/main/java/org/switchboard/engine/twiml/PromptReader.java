package org.switchboard.engine.twiml;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.switchboard.engine.twiml.XmlNode.Element;
import org.switchboard.engine.twiml.verb.Gather;
import org.switchboard.engine.twiml.verb.Gather.Input;
import org.switchboard.engine.twiml.verb.Gather.SpeechTimeout;
import org.switchboard.engine.twiml.verb.Pause;
import org.switchboard.engine.twiml.verb.Play;
import org.switchboard.engine.twiml.verb.Say;

/** Reads the media verbs: {@code <Say>}, {@code <Play>}, {@code <Pause>} and {@code <Gather>}. */
final class PromptReader {

  private static final Set<String> GATHER_CHILDREN = Set.of("Say", "Play", "Pause");

  private final ReadContext context;

  PromptReader(ReadContext context) {
    this.context = context;
  }

  Say say(Element element) throws TwimlException {
    requireSsml(element);
    Attrs attrs = context.attrs(element);
    Optional<String> voice = attrs.string("voice");
    String language = attrs.string("language").orElse(Say.DEFAULT_LANGUAGE);
    int loop = attrs.integer("loop", 1);
    attrs.finish();
    String text = Ssml.plainText(element);
    if (text.isEmpty()) {
      context.warn(element, "empty <Say> speaks nothing");
    }
    String markup = Ssml.markup(element);
    return ReadContext.build(element, () -> new Say(text, markup, voice, language, loop));
  }

  /**
   * A TwiML element inside {@code <Say>} is an error; a tag that is not SSML Switchboard speaks
   * (e.g. {@code <amazon:effect>}) is stripped, its text kept, with a warning.
   */
  private void requireSsml(Element element) throws TwimlException {
    for (Element child : element.elements()) {
      if (Elements.IMPLEMENTED.contains(child.name())
          || Elements.UNSUPPORTED.contains(child.name())) {
        throw Elements.unexpected(child, element);
      }
      if (!Elements.SSML.contains(child.name())) {
        context.warn(child, child.tag() + " is not SSML this engine speaks: the tag is stripped,"
            + " its text kept");
      }
      requireSsml(child);
    }
  }

  Play play(Element element, boolean inGather) throws TwimlException {
    Elements.requireChildren(element, Set.of());
    Attrs attrs = context.attrs(element);
    int loop = attrs.integer("loop", 1);
    Optional<String> digits = attrs.string("digits");
    attrs.finish();
    if (inGather && digits.isPresent()) {
      throw ReadContext.invalid(element, "digits is not allowed inside <Gather>");
    }
    Optional<String> body = element.nonBlankText();
    if (body.isEmpty() && digits.isEmpty()) {
      throw ReadContext.invalid(element, "needs a media URL as its body or a digits attribute");
    }
    Optional<URI> url = body.isEmpty()
        ? Optional.empty()
        : Optional.of(context.resolve(element, body.get()));
    return ReadContext.build(element, () -> new Play(url, loop, digits));
  }

  Pause pause(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of());
    Elements.noText(element, context);
    Attrs attrs = context.attrs(element);
    int length = attrs.integer("length", Pause.DEFAULT_LENGTH);
    attrs.finish();
    return ReadContext.build(element, () -> new Pause(length));
  }

  Gather gather(Element element) throws TwimlException {
    Elements.requireChildren(element, GATHER_CHILDREN);
    Elements.noText(element, context);
    Attrs attrs = context.attrs(element);
    Set<Input> input = attrs.enumSet("input", Input.class, EnumSet.of(Input.DTMF));
    URI action = attrs.url("action").orElse(context.documentUrl());
    var method = attrs.method("method");
    int timeout = attrs.integer("timeout", Gather.DEFAULT_TIMEOUT);
    SpeechTimeout speechTimeout = speechTimeout(attrs, timeout);
    String finishOnKey = attrs.raw("finishOnKey").map(String::trim)
        .orElse(Gather.DEFAULT_FINISH_ON_KEY);
    OptionalInt numDigits = attrs.integer("numDigits");
    boolean actionOnEmptyResult = attrs.bool("actionOnEmptyResult", false);
    Optional<URI> partialResultCallback = attrs.url("partialResultCallback");
    var partialResultCallbackMethod = attrs.method("partialResultCallbackMethod");
    String language = attrs.string("language").orElse(Say.DEFAULT_LANGUAGE);
    List<String> hints = attrs.string("hints")
        .map(h -> Arrays.stream(h.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
    boolean profanityFilter = attrs.bool("profanityFilter", true);
    String speechModel = attrs.string("speechModel").orElse(Gather.DEFAULT_SPEECH_MODEL);
    boolean bargeIn = attrs.bool("bargeIn", true);
    attrs.unsupported("enhanced", "maxSpeechTime", "debug");
    attrs.finish();
    List<Gather.Prompt> prompts = new ArrayList<>();
    for (Element child : element.elements()) {
      prompts.add(switch (child.name()) {
        case "Say" -> say(child);
        case "Play" -> play(child, true);
        default -> pause(child);
      });
    }
    return ReadContext.build(element, () -> new Gather(input, action, method, timeout,
        speechTimeout, finishOnKey, numDigits, actionOnEmptyResult, partialResultCallback,
        partialResultCallbackMethod, language, hints, profanityFilter, speechModel, bargeIn,
        prompts));
  }

  private static SpeechTimeout speechTimeout(Attrs attrs, int timeout) throws TwimlException {
    Optional<String> value = attrs.string("speechTimeout");
    if (value.isEmpty()) {
      return SpeechTimeout.seconds(Math.max(timeout, 0));
    }
    if (value.get().equals("auto")) {
      return SpeechTimeout.AUTO;
    }
    try {
      int seconds = Integer.parseInt(value.get());
      if (seconds >= 0) {
        return SpeechTimeout.seconds(seconds);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw attrs.invalid("speechTimeout", value.get(), "a number of seconds or auto");
  }
}
