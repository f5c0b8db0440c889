package org.switchboard.engine.twiml;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.switchboard.engine.twiml.TwimlException.Kind;
import org.switchboard.engine.twiml.XmlNode.Element;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Refer;
import org.switchboard.engine.twiml.verb.Start;
import org.switchboard.engine.twiml.verb.Stop;
import org.switchboard.engine.twiml.verb.Stream;

/** Reads {@code <Connect>}, {@code <Start>}, {@code <Stop>} with their Stream, and Refer. */
final class StreamReader {

  private final ReadContext context;

  StreamReader(ReadContext context) {
    this.context = context;
  }

  Connect connect(Element element) throws TwimlException {
    Attrs attrs = context.attrs(element);
    var action = attrs.url("action");
    var method = attrs.method("method");
    attrs.finish();
    Stream stream = stream(single(element, "Stream"));
    return ReadContext.build(element, () -> new Connect(action, method, stream));
  }

  Start start(Element element) throws TwimlException {
    Attrs attrs = context.attrs(element);
    var action = attrs.url("action");
    var method = attrs.method("method");
    attrs.finish();
    Element streamElement = single(element, "Stream");
    Stream stream = stream(streamElement);
    if (stream.protocol() != Stream.Protocol.MEDIA_STREAMS) {
      throw ReadContext.invalid(streamElement,
          "protocol=\"" + stream.protocol().wire() + "\" is for <Connect><Stream> only");
    }
    return ReadContext.build(element, () -> new Start(action, method, stream));
  }

  Stop stop(Element element) throws TwimlException {
    context.attrs(element).finish();
    Element streamElement = single(element, "Stream");
    Elements.requireChildren(streamElement, Set.of());
    Attrs attrs = context.attrs(streamElement);
    String name = attrs.string("name").orElseThrow(() ->
        ReadContext.invalid(streamElement, "<Stop> needs the name of the stream to stop"));
    attrs.finish();
    return ReadContext.build(streamElement, () -> new Stop(name));
  }

  Refer refer(Element element) throws TwimlException {
    Attrs attrs = context.attrs(element);
    var action = attrs.url("action");
    var method = attrs.method("method");
    attrs.finish();
    Element sip = single(element, "Sip");
    Elements.requireChildren(sip, Set.of());
    context.attrs(sip).finish();
    String target = sip.text();
    return ReadContext.build(sip, () -> new Refer(action, method, target));
  }

  private Stream stream(Element element) throws TwimlException {
    Elements.requireChildren(element, Set.of("Parameter"));
    Elements.noText(element, context);
    Attrs attrs = context.attrs(element);
    String rawUrl = attrs.string("url").orElseThrow(() ->
        ReadContext.invalid(element, "the url attribute is required"));
    URI url = webSocket(context.resolve(element, rawUrl));
    var name = attrs.string("name");
    var track = attrs.enumeration("track", Stream.Track.class, Stream.Track.INBOUND_TRACK);
    var statusCallback = attrs.url("statusCallback");
    var statusCallbackMethod = attrs.method("statusCallbackMethod");
    var protocol = attrs.enumeration("protocol", Stream.Protocol.class,
        Stream.Protocol.MEDIA_STREAMS);
    attrs.unsupported("connectorName");
    attrs.finish();
    if (url.getRawQuery() != null && protocol == Stream.Protocol.MEDIA_STREAMS) {
      context.warn(element, "<Stream> url has a query string; Twilio drops it, use <Parameter>");
    }
    var parameters = DialReader.parameters(element, context);
    return ReadContext.build(element, () -> new Stream(
        url, name, track, statusCallback, statusCallbackMethod, parameters, protocol));
  }

  /** A relative stream URL resolved against an http(s) document becomes ws(s). */
  private static URI webSocket(URI url) {
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return url;
    }
    return URI.create((scheme.equals("https") ? "wss" : "ws")
        + url.toString().substring(url.getScheme().length()));
  }

  /** The one child of {@code parent}, which must be named {@code name}. */
  private static Element single(Element parent, String name) throws TwimlException {
    Elements.requireChildren(parent, Set.of(name));
    List<Element> children = parent.elements();
    if (children.size() != 1) {
      Element at = children.isEmpty() ? parent : children.get(1);
      throw new TwimlException(Kind.INVALID_NESTING, at.line(), at.column(),
          parent.tag() + " needs exactly one <" + name + ">, found " + children.size());
    }
    return children.get(0);
  }
}
