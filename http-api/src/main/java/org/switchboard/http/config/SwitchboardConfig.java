package org.switchboard.http.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a node's configuration from, highest precedence first:
 *
 * <ol>
 *   <li>system properties ({@code -Dswitchboard.…}, e.g. through {@code SWITCHBOARD_JAVA_OPTS});
 *   <li>the configuration file ({@code -Dconfig.file=…}, else {@code application.conf});
 *   <li>{@code SWITCHBOARD_*} variables (the {@code ${?…}} of each {@code reference.conf});
 *   <li>the Llamenos bridge's variables ({@code ARI_URL}, {@code BRIDGE_SECRET}, … — {@link
 *       BridgeEnvironment});
 *   <li>the defaults of each module's {@code reference.conf}.
 * </ol>
 *
 * Variables (levels 3 and 4) come from the process environment and from a {@code .env} file
 * ({@link EnvFile}); a variable set in the environment wins over the file, as with Bun and
 * {@code dotenv}.
 */
public final class SwitchboardConfig {
  private static final Logger log = LoggerFactory.getLogger(SwitchboardConfig.class);

  /** The file read when {@code --env-file} is not given, if it exists. */
  public static final Path DEFAULT_ENV_FILE = Path.of(".env");

  private SwitchboardConfig() {}

  /**
   * The configuration with the process environment and {@code envFile} (or {@code ./.env} when it
   * exists and no file is named).
   *
   * @throws IOException when a named file cannot be read
   */
  public static Config load(Optional<Path> envFile) throws IOException {
    Optional<Path> file = envFile.isPresent()
        ? envFile
        : Optional.of(DEFAULT_ENV_FILE).filter(Files::isRegularFile);
    return load(file, System.getenv());
  }

  /** As {@link #load(Optional)}, with {@code environment} as the process environment. */
  public static Config load(Optional<Path> envFile, Map<String, String> environment)
      throws IOException {
    Map<String, String> fromFile = new LinkedHashMap<>();
    if (envFile.isPresent()) {
      Path path = envFile.get();
      if (!Files.isRegularFile(path)) {
        throw new IOException("env file " + path + " does not exist");
      }
      EnvFile parsed = EnvFile.read(path, environment::get);
      if (parsed.skippedLines() > 0) {
        log.warn("{}: {} line(s) are not KEY=value assignments and were skipped", path,
            parsed.skippedLines());
      }
      // The environment wins over the file.
      parsed.values().forEach((k, v) -> {
        if (!environment.containsKey(k)) {
          fromFile.put(k, v);
        }
      });
      log.info("read {} variable(s) from {}", parsed.values().size(), path);
    }
    Function<String, String> variables = name -> {
      String value = environment.get(name);
      return value != null ? value : fromFile.get(name);
    };
    Config bridge = BridgeEnvironment.overlay(variables);
    if (BridgeEnvironment.bridgeMode(variables)) {
      log.info("Llamenos bridge configuration: {}", BridgeEnvironment.describe(variables));
    }
    // Variables as root keys: reference.conf's ${?SWITCHBOARD_…} find them there before the
    // process environment. The file's (which never override the environment, see above), and the
    // given environment's SWITCHBOARD_* (the same values the process environment holds, unless a
    // caller passes another environment).
    Map<String, String> rootVariables = new LinkedHashMap<>(fromFile);
    environment.forEach((k, v) -> {
      if (k.startsWith("SWITCHBOARD_")) {
        rootVariables.put(k, v);
      }
    });
    Config variablesConfig = ConfigFactory.empty();
    for (Map.Entry<String, String> e : rootVariables.entrySet()) {
      if (isVariableName(e.getKey())) {
        variablesConfig = variablesConfig.withValue(
            "\"" + e.getKey() + "\"", ConfigValueFactory.fromAnyRef(e.getValue()));
      }
    }
    ConfigFactory.invalidateCaches();
    Config resolved = ConfigFactory.defaultOverrides()
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(bridge)
        .withFallback(variablesConfig)
        .withFallback(ConfigFactory.defaultReferenceUnresolved())
        .resolve();
    for (String key : rootVariables.keySet()) {
      if (isVariableName(key)) {
        resolved = resolved.withoutPath("\"" + key + "\"");
      }
    }
    return resolved;
  }

  private static boolean isVariableName(String key) {
    return key.matches("[A-Za-z_][A-Za-z0-9_]*");
  }
}
