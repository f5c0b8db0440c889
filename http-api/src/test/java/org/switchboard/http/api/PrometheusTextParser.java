package org.switchboard.http.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser of the Prometheus text format 0.0.4 for tests: every sample must follow its
 * family's HELP and TYPE lines, carry a name allowed by the type, well-escaped labels and a
 * parsable value; histogram buckets must be cumulative and end with {@code +Inf} equal to
 * {@code _count}.
 */
final class PrometheusTextParser {
  record Sample(String name, Map<String, String> labels, double value) {}

  record Family(String name, String help, String type, List<Sample> samples) {
    double value(String sampleName, Map<String, String> labels) {
      return samples.stream()
          .filter(s -> s.name().equals(sampleName) && s.labels().equals(labels))
          .findFirst().orElseThrow(() -> new AssertionError("no sample " + sampleName + labels))
          .value();
    }
  }

  private PrometheusTextParser() {}

  static Map<String, Family> parse(String text) {
    Map<String, Family> families = new LinkedHashMap<>();
    Family current = null;
    String pendingHelp = null;
    String pendingHelpName = null;
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("# HELP ")) {
        String rest = line.substring(7);
        pendingHelpName = rest.substring(0, rest.indexOf(' '));
        pendingHelp = rest.substring(rest.indexOf(' ') + 1);
      } else if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ");
        if (parts.length != 2 || !parts[0].equals(pendingHelpName)) {
          throw new AssertionError("TYPE without matching HELP: " + line);
        }
        if (families.containsKey(parts[0])) {
          throw new AssertionError("family declared twice: " + parts[0]);
        }
        current = new Family(parts[0], pendingHelp, parts[1], new ArrayList<>());
        families.put(parts[0], current);
      } else if (line.startsWith("#")) {
        continue;
      } else {
        if (current == null) {
          throw new AssertionError("sample before any TYPE: " + line);
        }
        Sample sample = sample(line);
        List<String> allowed = current.type().equals("histogram")
            ? List.of(current.name() + "_bucket", current.name() + "_sum",
                current.name() + "_count")
            : List.of(current.name());
        if (!allowed.contains(sample.name())) {
          throw new AssertionError(sample.name() + " does not belong to " + current.name());
        }
        current.samples().add(sample);
      }
    }
    families.values().stream().filter(f -> f.type().equals("histogram"))
        .forEach(PrometheusTextParser::checkHistogram);
    return families;
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.lastIndexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int i = brace + 1;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = line.substring(i, eq);
        if (line.charAt(eq + 1) != '"') {
          throw new AssertionError("unquoted label value: " + line);
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        while (line.charAt(j) != '"') {
          char c = line.charAt(j);
          if (c == '\\') {
            char next = line.charAt(++j);
            value.append(switch (next) {
              case 'n' -> '\n';
              case '\\' -> '\\';
              case '"' -> '"';
              default -> throw new AssertionError("bad escape in " + line);
            });
          } else {
            value.append(c);
          }
          j++;
        }
        labels.put(label, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
    } else {
      name = line.substring(0, space);
    }
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new AssertionError("bad metric name: " + line);
    }
    String raw = line.substring(space + 1);
    double value = switch (raw) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(raw);
    };
    return new Sample(name, labels, value);
  }

  private static void checkHistogram(Family family) {
    Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
    for (Sample s : family.samples()) {
      if (s.name().endsWith("_bucket")) {
        Map<String, String> series = new LinkedHashMap<>(s.labels());
        if (series.remove("le") == null) {
          throw new AssertionError("bucket without le: " + s);
        }
        buckets.computeIfAbsent(series, k -> new ArrayList<>()).add(s);
      }
    }
    buckets.forEach((series, list) -> {
      double previous = 0;
      for (Sample bucket : list) {
        if (bucket.value() < previous) {
          throw new AssertionError("buckets not cumulative in " + family.name());
        }
        previous = bucket.value();
      }
      Sample last = list.get(list.size() - 1);
      if (!last.labels().get("le").equals("+Inf")) {
        throw new AssertionError("last bucket is not +Inf in " + family.name());
      }
      if (last.value() != family.value(family.name() + "_count", series)) {
        throw new AssertionError("+Inf bucket differs from _count in " + family.name());
      }
      family.value(family.name() + "_sum", series);
    });
  }
}
