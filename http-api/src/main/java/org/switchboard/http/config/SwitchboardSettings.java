package org.switchboard.http.config;

import com.typesafe.config.Config;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.switchboard.asterisk.client.AriServerConfig;
import org.switchboard.asterisk.client.RestTransport;
import org.switchboard.engine.call.ApplicationDirectory;
import org.switchboard.engine.call.PhoneNumbers;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.twiml.verb.Method;

/**
 * The top-level settings of a Switchboard node ({@code switchboard.http}, {@code .ari}, {@code
 * .applications}, {@code .demo}). Each module's own settings ({@code switchboard.webhooks}, {@code
 * .audio}, {@code .call}, {@code .api}, …) are read by that module.
 *
 * @param ariServers empty means "no Asterisk": the demo runs on the built-in simulator
 */
public record SwitchboardSettings(
    String httpHost,
    int httpPort,
    Optional<URI> publicUrl,
    List<AriServerConfig> ariServers,
    Optional<VoiceApplication> defaultApplication,
    Map<String, VoiceApplication> numbers,
    Demo demo) {

  /** The demo's settings. */
  public record Demo(int calls, int leaveAfterSeconds, int simulatorPort, List<Volunteer> volunteers) {}

  /** A simulated volunteer phone and how the simulator answers it. */
  public record Volunteer(String phone, String behaviour) {}

  public SwitchboardSettings {
    ariServers = List.copyOf(ariServers);
    numbers = Map.copyOf(numbers);
  }

  /** Reads {@code switchboard.*} from the root config. */
  public static SwitchboardSettings fromConfig(Config root) {
    Config sb = root.getConfig("switchboard");
    Config http = sb.getConfig("http");
    String publicUrl = http.getString("public-url").trim();
    return new SwitchboardSettings(
        http.getString("host"),
        http.getInt("port"),
        publicUrl.isEmpty() ? Optional.empty() : Optional.of(URI.create(publicUrl)),
        ariServers(sb.getConfig("ari")),
        application(sb.getConfig("applications.default")),
        numbers(sb.getConfig("applications.numbers")),
        demo(sb.getConfig("demo")));
  }

  /** The applications, by dialled number, with the default for every other number. */
  public ApplicationDirectory applicationDirectory(VoiceApplication fallback) {
    return ApplicationDirectory.of(numbers, defaultApplication.orElse(fallback));
  }

  /**
   * As {@link #applicationDirectory(VoiceApplication)}, with numbers compared in E.164 by {@code
   * numbers} and {@code hotlineNumber} as the {@code To} of extensions that are not numbers.
   */
  public ApplicationDirectory applicationDirectory(
      VoiceApplication fallback, PhoneNumbers numbers, Optional<String> hotlineNumber) {
    return ApplicationDirectory.of(
        this.numbers, defaultApplication.orElse(fallback), numbers, hotlineNumber);
  }

  /** A copy with other Asterisk servers and default application (the demo sets both). */
  public SwitchboardSettings withAsterisk(
      List<AriServerConfig> servers, VoiceApplication application) {
    return new SwitchboardSettings(
        httpHost, httpPort, publicUrl, servers, Optional.of(application), numbers, demo);
  }

  /** A copy listening on another port. */
  public SwitchboardSettings withHttpPort(int port) {
    return new SwitchboardSettings(
        httpHost, port, publicUrl, ariServers, defaultApplication, numbers, demo);
  }

  private static List<AriServerConfig> ariServers(Config ari) {
    List<AriServerConfig> servers = new ArrayList<>();
    String url = ari.getString("url").trim();
    if (!url.isEmpty()) {
      servers.add(
          AriServerConfig.basic(
              "asterisk-1",
              url,
              ari.getString("app"),
              ari.getString("user"),
              ari.getString("password"))
              .withRestTransport(RestTransport.parse(ari.getString("rest-transport")))
              .withBackoff(ari.getDuration("min-backoff"), ari.getDuration("max-backoff"),
                  ari.getDouble("backoff-jitter")));
    }
    for (Config server : ari.getConfigList("servers")) {
      servers.add(AriServerConfig.fromConfig(server));
    }
    return servers;
  }

  private static Map<String, VoiceApplication> numbers(Config numbers) {
    Map<String, VoiceApplication> byNumber = new LinkedHashMap<>();
    for (String key : numbers.root().keySet()) {
      application(numbers.getConfig("\"" + key + "\"")).ifPresent(app -> byNumber.put(key, app));
    }
    return byNumber;
  }

  /** Reads one application block; empty when it has no voice URL. */
  static Optional<VoiceApplication> application(Config c) {
    String voiceUrl = string(c, "voice-url");
    if (voiceUrl.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new VoiceApplication(
            URI.create(voiceUrl),
            Method.parse(string(c, "voice-method")),
            optionalUri(string(c, "fallback-url")),
            Method.parse(string(c, "fallback-method")),
            optionalUri(string(c, "status-callback")),
            Method.parse(string(c, "status-callback-method")),
            c.hasPath("status-callback-events")
                ? Set.copyOf(c.getStringList("status-callback-events"))
                : Set.of()));
  }

  private static Demo demo(Config d) {
    List<Volunteer> volunteers = new ArrayList<>();
    for (Config v : d.getConfigList("volunteers")) {
      volunteers.add(new Volunteer(v.getString("phone"), v.getString("behaviour")));
    }
    return new Demo(
        d.getInt("calls"), d.getInt("leave-after"), d.getInt("simulator-port"), volunteers);
  }

  private static String string(Config c, String path) {
    return c.hasPath(path) ? c.getString(path).trim() : "";
  }

  private static Optional<URI> optionalUri(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(URI.create(value));
  }
}
