package org.switchboard.engine.twiml;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.switchboard.engine.twiml.TwimlException.Kind;
import org.switchboard.engine.twiml.XmlNode.Element;
import org.switchboard.engine.twiml.XmlNode.Text;

/** Element names TwiML knows, and the checks on which child may appear where. */
final class Elements {

  /** Verbs and nouns Switchboard implements. */
  static final Set<String> IMPLEMENTED = Set.of(
      "Response", "Say", "Play", "Pause", "Gather", "Record", "Dial", "Enqueue", "Leave",
      "Hangup", "Reject", "Redirect", "Connect", "Start", "Stop", "Refer", "Echo", "Number", "Sip",
      "Client", "Queue", "Conference", "Stream", "Parameter", "Identity");

  /** Real TwiML elements outside Switchboard's scope. */
  static final Set<String> UNSUPPORTED = Set.of(
      "Pay", "Prompt", "Sms", "Application", "Sim", "WhatsApp", "Task", "Room",
      "VirtualAgent", "ConversationRelay", "Conversation", "AiSession", "Assistant", "Autopilot",
      "ConversationRelaySession", "Siprec", "Transcription", "Recording", "Headers", "Header",
      "Uri", "ApplicationSid", "Config", "Language");

  /** SSML tags allowed inside {@code <Say>}. */
  static final Set<String> SSML = Set.of(
      "break", "emphasis", "lang", "p", "phoneme", "prosody", "s", "say-as", "sub", "w");

  private Elements() {}

  /** Fails unless every child element of {@code parent} is named in {@code allowed}. */
  static void requireChildren(Element parent, Set<String> allowed) throws TwimlException {
    for (Element child : parent.elements()) {
      if (!allowed.contains(child.name())) {
        throw unexpected(child, parent);
      }
    }
  }

  /** The error for {@code child} where it does not belong. */
  static TwimlException unexpected(Element child, Element parent) {
    String name = child.name();
    if (UNSUPPORTED.contains(name)) {
      return new TwimlException(Kind.UNSUPPORTED_ELEMENT, child.line(), child.column(),
          child.tag() + " is not supported by Switchboard");
    }
    if (IMPLEMENTED.contains(name)) {
      return ReadContext.nesting(child, parent);
    }
    String hint = "";
    for (String known : IMPLEMENTED) {
      if (known.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        hint = " (element names are case-sensitive: did you mean <" + known + ">?)";
      }
    }
    return new TwimlException(Kind.UNKNOWN_ELEMENT, child.line(), child.column(),
        child.tag() + " is not a TwiML element" + hint + " inside " + parent.tag());
  }

  /** Warns when {@code element} holds text although it takes none. */
  static void noText(Element element, ReadContext context) {
    for (var child : element.children()) {
      if (child instanceof Text t && !t.text().isBlank()) {
        context.warn(element, "text inside " + element.tag() + " ignored");
        return;
      }
    }
  }

  /** Child elements named {@code name}. */
  static List<Element> named(Element parent, String name) {
    return parent.elements().stream().filter(e -> e.name().equals(name)).toList();
  }
}
