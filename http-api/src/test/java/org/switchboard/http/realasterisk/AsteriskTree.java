package org.switchboard.http.realasterisk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@code asterisk-up} makes in a new instance folder and never changes afterwards: the
 * unpacked install tree (with the stamp that says it is unpacked, and the tree's empty folders
 * Asterisk writes recordings and logs into) and the generated tone sounds.
 * The first instance of a build leaves a copy of them in {@code target/asterisk-tree-<key>}; each
 * later one (in any test JVM of the module) starts from a copy of that, so {@code asterisk-up}
 * neither unpacks the tarball again, nor checks the libraries of its 316 modules, nor runs sox.
 * The key is the size and time of {@code asterisk-up} and of the tarballs next to it: another
 * build of either makes a copy of its own. Everything else {@code asterisk-up} does (the
 * configuration, the ports, the start) runs as for a new folder.
 */
final class AsteriskTree {
  /** The parts of an instance folder that are the same for every instance of one build. */
  private static final List<String> STATIC = List.of(".asterisk-up-unpacked", "sbin", "lib",
      "share", "var/lib/asterisk");
  /** Folders of the tarball Asterisk writes into (recordings, logs, ...): kept empty. */
  private static final List<String> WRITTEN = List.of("var/spool", "var/log", "var/run",
      "var/cache");

  private AsteriskTree() {}

  /**
   * Fills the new instance folder {@code instance} from the kept copy, if there is one; when that
   * fails the folder is removed again and {@code asterisk-up} makes it from scratch.
   */
  static void seed(Path up, Path instance) {
    try {
      Path kept = kept(up);
      if (Files.isDirectory(kept)) {
        Files.createDirectories(instance);
        run("cp", "-a", kept + "/.", instance.toString());
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("RealAsterisk: a new instance folder instead of the kept copy: " + e);
      run("rm", "-rf", instance.toString());
    }
  }

  /**
   * Keeps the static parts of {@code instance}, which {@code asterisk-up} has just started, unless
   * a copy is kept already (the database Asterisk opened in it is left out). A copy that cannot be
   * kept is only reported: the next instance is made from scratch again.
   */
  static void keep(Path up, Path instance) {
    try {
      keepOnce(up, instance);
    } catch (IOException | RuntimeException e) {
      System.err.println("RealAsterisk: the instance folder's static parts not kept: " + e);
    }
  }

  private static void keepOnce(Path up, Path instance) throws IOException {
    Path kept = kept(up);
    if (Files.isDirectory(kept)) {
      return;
    }
    Path parent = Files.createDirectories(kept.getParent());
    Path partial = Files.createTempDirectory(parent, kept.getFileName() + ".partial");
    try {
      for (String part : STATIC) {
        Path from = instance.resolve(part);
        if (!Files.exists(from)) {
          return;
        }
        Files.createDirectories(partial.resolve(part).getParent());
        run("cp", "-a", from.toString(), partial.resolve(part).toString());
      }
      for (String part : WRITTEN) {
        Path from = instance.resolve(part);
        try (Stream<Path> dirs = Files.walk(from)) {
          for (Path d : dirs.filter(Files::isDirectory).toList()) {
            Files.createDirectories(partial.resolve(instance.relativize(d)));
          }
        }
      }
      try (Stream<Path> db = Files.list(partial.resolve("var/lib/asterisk"))) {
        for (Path f : db.filter(f -> f.getFileName().toString().startsWith("astdb")).toList()) {
          Files.delete(f);
        }
      }
      // Whole or not at all: another JVM may be keeping the same copy at the same time.
      Files.move(partial, kept, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (!Files.isDirectory(kept)) {
        throw e;
      }
    } finally {
      if (Files.exists(partial)) {
        run("rm", "-rf", partial.toString());
      }
    }
  }

  /** {@code target/asterisk-tree-<key>} of the module the tests run in. */
  private static Path kept(Path up) throws IOException {
    List<Path> inputs = new ArrayList<>(List.of(up));
    try (Stream<Path> next = Files.list(up.getParent())) {
      next.filter(p -> p.getFileName().toString().endsWith(".tar.xz")).sorted()
          .forEach(inputs::add);
    }
    long key = 17;
    for (Path p : inputs) {
      key = 31 * key + p.getFileName().toString().hashCode();
      key = 31 * key + Files.size(p);
      key = 31 * key + Files.getLastModifiedTime(p).toMillis();
    }
    return Path.of("target").toAbsolutePath().resolve("asterisk-tree-" + Long.toHexString(key));
  }

  private static void run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
