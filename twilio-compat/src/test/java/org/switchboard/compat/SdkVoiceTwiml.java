package org.switchboard.compat;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.TwiML;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What the Twilio SDK's {@code com.twilio.twiml.voice} package can produce, read by reflection
 * from the SDK jar itself: every element class and, through its {@code Builder}, every attribute
 * a setter writes. A new SDK element or attribute therefore shows up here without a change.
 */
final class SdkVoiceTwiml {
  static final String PACKAGE = "com.twilio.twiml.voice";

  /** One attribute an SDK builder setter writes. */
  record Attribute(String element, String name, Method setter) {}

  /** A value a Switchboard TwiML application would give, per setter name; else by type. */
  private static final Map<String, Object> SAMPLES = Map.ofEntries(
      Map.entry("sendDigits", "1w2"), Map.entry("finishOnKey", "#"),
      Map.entry("language", "en-US"), Map.entry("hints", "sales, support"),
      Map.entry("speechTimeout", "auto"), Map.entry("callerId", "+15550001111"),
      Map.entry("coach", "CA00000000000000000000000000000001"),
      Map.entry("participantLabel", "host"), Map.entry("numDigits", 4),
      Map.entry("timeout", 10), Map.entry("maxLength", 10), Map.entry("length", 2),
      Map.entry("loop", 2), Map.entry("timeLimit", 60), Map.entry("maxQueueSize", 10),
      Map.entry("maxParticipants", 10), Map.entry("machineDetectionTimeout", 30),
      Map.entry("machineDetectionSpeechThreshold", 2400),
      Map.entry("machineDetectionSpeechEndThreshold", 1200),
      Map.entry("machineDetectionSilenceTimeout", 5000), Map.entry("maxSpeechTime", 60),
      Map.entry("digits", "1234"), Map.entry("username", "alice"),
      Map.entry("password", "secret"), Map.entry("machineDetection", "Enable"));

  /** The body an element gets when its builder takes one. */
  private static final Map<String, String> BODIES = Map.ofEntries(
      Map.entry("Say", "Hello."), Map.entry("Play", "https://app.test/hello.wav"),
      Map.entry("Dial", "+15550002222"), Map.entry("Number", "+15550002222"),
      Map.entry("Sip", "sip:alice@example.com"), Map.entry("Client", "alice"),
      Map.entry("Identity", "alice"), Map.entry("Conference", "room"),
      Map.entry("Queue", "support"), Map.entry("Enqueue", "support"),
      Map.entry("Redirect", "https://app.test/next"),
      Map.entry("ReferSip", "sip:bob@example.com"));

  private SdkVoiceTwiml() {}

  /** Every element class of the package (top-level classes extending {@link TwiML}), by name. */
  static Map<String, Class<? extends TwiML>> elements() {
    Map<String, Class<? extends TwiML>> out = new TreeMap<>();
    String jar = TwiML.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    String prefix = PACKAGE.replace('.', '/') + "/";
    try (JarFile file = new JarFile(jar)) {
      for (JarEntry entry : java.util.Collections.list(file.entries())) {
        String name = entry.getName();
        if (name.startsWith(prefix) && name.endsWith(".class") && !name.contains("$")
            && name.indexOf('/', prefix.length()) < 0) {
          Class<?> c = Class.forName(name.substring(0, name.length() - 6).replace('/', '.'));
          if (TwiML.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
            out.put(c.getSimpleName(), c.asSubclass(TwiML.class));
          }
        }
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot read the SDK jar " + jar, e);
    }
    return out;
  }

  /** The XML element name of {@code type} (e.g. {@code Sip} for {@code ReferSip}). */
  static String tag(Class<? extends TwiML> type) {
    return build(type, Map.of()).getTagName();
  }

  /**
   * Every attribute {@code type}'s builder can write, by XML name: each one-argument setter is
   * called alone on a fresh builder and the attribute it adds to the element is noted. Setters of
   * the element's body and of children add none and are left out.
   */
  static Map<String, Attribute> attributes(Class<? extends TwiML> type) {
    Map<String, Attribute> out = new TreeMap<>();
    Map<String, String> base = attributeMap(build(type, Map.of()));
    for (Method setter : setters(builderClass(type))) {
      Map<String, String> with = attributeMap(build(type, Map.of(setter, sample(setter))));
      for (String name : with.keySet()) {
        if (!base.containsKey(name)) {
          out.putIfAbsent(name, new Attribute(type.getSimpleName(), name, setter));
        }
      }
    }
    return out;
  }

  /** The element built with {@code values} set through its builder's setters. */
  static TwiML build(Class<? extends TwiML> type, Map<Method, Object> values) {
    try {
      Object builder = newBuilder(builderClass(type));
      for (Map.Entry<Method, Object> e : values.entrySet()) {
        e.getKey().invoke(builder, e.getValue());
      }
      return (TwiML) builder.getClass().getMethod("build").invoke(builder);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
    }
  }

  /** The element with one attribute set to its sample value. */
  static TwiML with(Attribute attribute) {
    Class<? extends TwiML> type = elements().get(attribute.element());
    return build(type, Map.of(attribute.setter(), sample(attribute.setter())));
  }

  /** The element's own XML, without the declaration. */
  static String xml(TwiML element) {
    try {
      return element.toXml().replaceFirst("^<\\?xml[^>]*\\?>", "");
    } catch (com.twilio.twiml.TwiMLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The sample value the catalog gives {@code setter}. */
  static Object sample(Method setter) {
    Class<?> type = setter.getParameterTypes()[0];
    Object fixed = SAMPLES.get(setter.getName());
    if (fixed != null && type.isInstance(fixed)) {
      return fixed;
    }
    if (type == URI.class) {
      return URI.create("https://app.test/" + setter.getName());
    }
    if (type == String.class) {
      return "x";
    }
    if (type == Integer.class) {
      return 10;
    }
    if (type == Boolean.class) {
      return Boolean.TRUE;
    }
    if (type == HttpMethod.class) {
      return HttpMethod.GET;
    }
    if (type.isEnum()) {
      return type.getEnumConstants()[0];
    }
    throw new IllegalStateException("no sample for " + setter);
  }

  private static Map<String, String> attributeMap(TwiML element) {
    try {
      Method m = TwiML.class.getDeclaredMethod("getElementAttributes");
      m.setAccessible(true);
      @SuppressWarnings("unchecked")
      Map<String, String> attributes = (Map<String, String>) m.invoke(element);
      return new LinkedHashMap<>(attributes);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Class<?> builderClass(Class<? extends TwiML> type) {
    for (Class<?> nested : type.getDeclaredClasses()) {
      if (nested.getSimpleName().equals("Builder")) {
        return nested;
      }
    }
    throw new IllegalStateException(type + " has no Builder");
  }

  /** A builder with the element's sample body when it takes one, else with none. */
  private static Object newBuilder(Class<?> builder) throws ReflectiveOperationException {
    String body = BODIES.getOrDefault(builder.getDeclaringClass().getSimpleName(), "body");
    Optional<Constructor<?>> withBody = java.util.Arrays.stream(builder.getConstructors())
        .filter(c -> c.getParameterCount() == 1 && c.getParameterTypes()[0] == String.class)
        .findFirst();
    if (withBody.isPresent()) {
      return withBody.get().newInstance(body);
    }
    return builder.getConstructor().newInstance();
  }

  /**
   * The builder's one-argument setters that take a value (not a child element, not a list: the
   * single-value overload of a list setter writes the same attribute), one per name, URI
   * overloads preferred to String ones.
   */
  private static List<Method> setters(Class<?> builder) {
    Map<String, Method> byName = new TreeMap<>();
    for (Method m : builder.getMethods()) {
      if (m.getParameterCount() != 1 || Modifier.isStatic(m.getModifiers())
          || !m.getReturnType().equals(builder)) {
        continue;
      }
      Class<?> p = m.getParameterTypes()[0];
      if (TwiML.class.isAssignableFrom(p) || List.class.isAssignableFrom(p)
          || m.getName().startsWith("add") || m.getName().equals("option")) {
        continue;
      }
      Method known = byName.get(m.getName());
      if (known == null || p == URI.class) {
        byName.put(m.getName(), m);
      }
    }
    return new ArrayList<>(byName.values());
  }
}
