package org.switchboard.http.audio;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * {@code scripts/prerender}: renders a phrases file into the TTS cache ahead of time, so the
 * first caller to hear a prompt does not wait for synthesis.
 *
 * <p>Usage: {@code Prerender <phrases-file> [--voice <voice>] [--languages en-US,es-ES]}. Each
 * non-blank line not starting with {@code #} is a phrase, rendered in every configured language
 * ({@code switchboard.audio.tts.prerender-languages}, or {@code --languages}); a line
 * {@code lang|text} is rendered in that language only.
 */
public final class Prerender {

  private static final Pattern LANGUAGE_PREFIX = Pattern.compile("^([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\\|(.*)$");

  /** One phrase to render. */
  record Job(String language, String text) {}

  private Prerender() {}

  /** Entry point; exits 0 when every phrase rendered, 1 on failures, 2 on bad usage. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: prerender <phrases-file> [--voice VOICE] [--languages en-US,es-ES]");
      System.exit(2);
    }
    Config config = ConfigFactory.load();
    AudioSettings settings = AudioSettings.fromConfig(config);
    Path file = Path.of(args[0]);
    String voice = null;
    List<String> languages = settings.prerenderLanguages();
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--voice" -> voice = args[i + 1];
        case "--languages" -> languages = List.of(args[i + 1].split(","));
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    List<Job> jobs = jobs(Files.readAllLines(file, StandardCharsets.UTF_8), languages);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "prerender", config);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    int failed = 0;
    try {
      CachingTtsEngine engine = TtsEngines.create(settings, new MediaStore(settings), system, executor);
      List<CompletableFuture<List<String>>> results = new ArrayList<>();
      for (Job job : jobs) {
        results.add(engine.render(job.text(), voice, job.language()).toCompletableFuture());
      }
      for (int i = 0; i < jobs.size(); i++) {
        Job job = jobs.get(i);
        try {
          List<String> uris = results.get(i).get(5, TimeUnit.MINUTES);
          System.out.println(job.language() + "\t" + uris.get(0) + "\t" + job.text());
        } catch (ExecutionException e) {
          failed++;
          System.err.println("FAILED " + job.language() + "\t" + job.text() + ": " + e.getCause().getMessage());
        }
      }
      if (engine instanceof AutoCloseable closeable) {
        closeable.close();
      }
    } finally {
      executor.shutdown();
      system.terminate();
    }
    System.out.println(jobs.size() - failed + " rendered, " + failed + " failed");
    System.exit(failed == 0 ? 0 : 1);
  }

  /** The phrases of a file, each in its own language or in every one of {@code languages}. */
  static List<Job> jobs(List<String> lines, List<String> languages) throws IOException {
    List<Job> jobs = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      var m = LANGUAGE_PREFIX.matcher(line);
      if (m.matches()) {
        jobs.add(new Job(m.group(1), m.group(2).strip()));
      } else {
        languages.forEach(lang -> jobs.add(new Job(lang, line)));
      }
    }
    return jobs;
  }
}
