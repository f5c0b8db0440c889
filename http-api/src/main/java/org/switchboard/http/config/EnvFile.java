package org.switchboard.http.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@code .env} file read the way the Llamenos bridge's tooling reads it (Bun's loader, which
 * follows {@code dotenv}), so the same file serves both:
 *
 * <ul>
 *   <li>{@code KEY=value} per line, an optional {@code export } before the key, {@code KEY: value}
 *       too; blank lines and lines starting with {@code #} are skipped;
 *   <li>an unquoted value ends at the first {@code #} and is trimmed; {@code KEY=} is the empty
 *       string;
 *   <li>{@code 'single'} quotes keep their content literally; {@code "double"} and {@code
 *       `backtick`} quotes may span lines, and in double quotes {@code \n}, {@code \r}, {@code \t},
 *       {@code \"} and {@code \\} are escapes; text after the closing quote is ignored;
 *   <li>{@code $NAME} and {@code ${NAME}} in unquoted and double-quoted values expand to an
 *       earlier key of the file or else the environment (empty when neither has it), as Bun does;
 *       {@code \$} is a literal dollar;
 *   <li>a later line for the same key wins.
 * </ul>
 *
 * Lines that are not assignments are skipped and counted in {@link #skippedLines()}.
 */
public final class EnvFile {
  private final Map<String, String> values;
  private final int skippedLines;

  private EnvFile(Map<String, String> values, int skippedLines) {
    this.values = Collections.unmodifiableMap(values);
    this.skippedLines = skippedLines;
  }

  /**
   * Reads {@code file}.
   *
   * @param environment looks up variables a value refers to that the file does not define
   */
  public static EnvFile read(Path file, Function<String, String> environment) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), environment);
  }

  /** Parses the text of a {@code .env} file. */
  public static EnvFile parse(String text, Function<String, String> environment) {
    return new Parser(text.replace("\r\n", "\n").replace('\r', '\n'), environment).parse();
  }

  /** The assignments, in file order. */
  public Map<String, String> values() {
    return values;
  }

  /** Non-empty, non-comment lines that were not {@code KEY=value} assignments. */
  public int skippedLines() {
    return skippedLines;
  }

  private static final class Parser {
    private final String text;
    private final Function<String, String> environment;
    private final Map<String, String> values = new LinkedHashMap<>();
    private int pos;
    private int skipped;

    Parser(String text, Function<String, String> environment) {
      this.text = text;
      this.environment = environment;
    }

    EnvFile parse() {
      while (pos < text.length()) {
        line();
      }
      return new EnvFile(values, skipped);
    }

    private void line() {
      skipBlanks();
      if (pos >= text.length()) {
        return;
      }
      if (text.charAt(pos) == '\n') {
        pos++;
        return;
      }
      if (text.charAt(pos) == '#') {
        skipToEol();
        return;
      }
      if (text.startsWith("export", pos) && pos + 6 < text.length()
          && (text.charAt(pos + 6) == ' ' || text.charAt(pos + 6) == '\t')) {
        pos += 6;
        skipBlanks();
      }
      int keyStart = pos;
      while (pos < text.length() && isKeyChar(text.charAt(pos))) {
        pos++;
      }
      String key = text.substring(keyStart, pos);
      skipBlanks();
      if (key.isEmpty() || pos >= text.length()
          || (text.charAt(pos) != '=' && text.charAt(pos) != ':')) {
        skipped++;
        skipToEol();
        return;
      }
      pos++;
      skipBlanks();
      values.put(key, value());
    }

    private String value() {
      if (pos >= text.length() || text.charAt(pos) == '\n') {
        return "";
      }
      char quote = text.charAt(pos);
      if (quote == '\'' || quote == '"' || quote == '`') {
        int close = closingQuote(quote);
        if (close >= 0) {
          String raw = text.substring(pos + 1, close);
          pos = close + 1;
          skipToEol();
          return switch (quote) {
            case '\'' -> raw;
            case '"' -> expand(unescape(raw));
            default -> raw;
          };
        }
      }
      int start = pos;
      while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '#') {
        pos++;
      }
      String raw = text.substring(start, pos).strip();
      skipToEol();
      return expand(raw);
    }

    /** The index of the quote closing the one at {@code pos} (a backslash escapes it), or -1. */
    private int closingQuote(char quote) {
      for (int i = pos + 1; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\\' && quote != '\'' && i + 1 < text.length()) {
          i++;
        } else if (c == quote) {
          return i;
        }
      }
      return -1;
    }

    private static String unescape(String raw) {
      StringBuilder out = new StringBuilder(raw.length());
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c != '\\' || i + 1 >= raw.length()) {
          out.append(c);
          continue;
        }
        char next = raw.charAt(++i);
        switch (next) {
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case '"', '\\' -> out.append(next);
          // \$ stays escaped for expand()
          default -> out.append('\\').append(next);
        }
      }
      return out.toString();
    }

    /** Replaces {@code $NAME} and {@code ${NAME}}; {@code \$} is a literal dollar. */
    private String expand(String raw) {
      if (raw.indexOf('$') < 0) {
        return raw;
      }
      StringBuilder out = new StringBuilder(raw.length());
      int i = 0;
      while (i < raw.length()) {
        char c = raw.charAt(i);
        if (c == '\\' && i + 1 < raw.length() && raw.charAt(i + 1) == '$') {
          out.append('$');
          i += 2;
        } else if (c == '$' && i + 1 < raw.length() && raw.charAt(i + 1) == '{'
            && raw.indexOf('}', i + 2) > i + 2) {
          int end = raw.indexOf('}', i + 2);
          out.append(lookup(raw.substring(i + 2, end)));
          i = end + 1;
        } else if (c == '$' && i + 1 < raw.length() && isNameStart(raw.charAt(i + 1))) {
          int end = i + 1;
          while (end < raw.length() && isKeyChar(raw.charAt(end)) && raw.charAt(end) != '.'
              && raw.charAt(end) != '-') {
            end++;
          }
          out.append(lookup(raw.substring(i + 1, end)));
          i = end;
        } else {
          out.append(c);
          i++;
        }
      }
      return out.toString();
    }

    private String lookup(String name) {
      String value = values.get(name);
      if (value == null) {
        value = environment.apply(name);
      }
      return value == null ? "" : value;
    }

    private void skipBlanks() {
      while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
        pos++;
      }
    }

    private void skipToEol() {
      while (pos < text.length() && text.charAt(pos) != '\n') {
        pos++;
      }
      if (pos < text.length()) {
        pos++;
      }
    }

    private static boolean isKeyChar(char c) {
      return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
    }

    private static boolean isNameStart(char c) {
      return Character.isLetter(c) || c == '_';
    }
  }
}
