package org.switchboard.http.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A small Prometheus registry: counters, gauges read from callbacks at scrape time, and
 * histograms with fixed buckets, written in the text exposition format 0.0.4 ({@code # HELP} and
 * {@code # TYPE} lines, escaped label values, cumulative {@code _bucket{le=…}} series ending in
 * {@code +Inf}, {@code _sum} and {@code _count}). Components register their own families; names
 * must be unique. Thread-safe; recording is lock-free.
 */
public final class MetricsRegistry {
  /** The Content-Type of {@link #scrape()}. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final Map<String, Family> families = new LinkedHashMap<>();

  private sealed interface Family permits Counter, Gauge, Histogram {
    void write(StringBuilder out);
  }

  /** A monotonically increasing counter, optionally labelled. */
  public static final class Counter implements Family {
    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final Map<List<String>, DoubleAdder> children = new ConcurrentHashMap<>();

    private Counter(String name, String help, List<String> labelNames) {
      this.name = name;
      this.help = help;
      this.labelNames = labelNames;
    }

    /** Adds one to the unlabelled series. */
    public void inc() {
      inc(1.0);
    }

    /** Adds {@code amount} (non-negative) to the unlabelled series. */
    public void inc(double amount) {
      add(List.of(), amount);
    }

    /** Adds one to the series with these label values (in the order the names were given). */
    public void incLabels(String... labelValues) {
      add(List.of(labelValues), 1.0);
    }

    /** Current value of a series (0 when never incremented). */
    public double value(String... labelValues) {
      DoubleAdder adder = children.get(List.of(labelValues));
      return adder == null ? 0 : adder.sum();
    }

    private void add(List<String> labelValues, double amount) {
      checkArity(name, labelNames, labelValues);
      if (amount < 0 || Double.isNaN(amount)) {
        throw new IllegalArgumentException("counter " + name + " cannot add " + amount);
      }
      children.computeIfAbsent(labelValues, k -> new DoubleAdder()).add(amount);
    }

    @Override
    public void write(StringBuilder out) {
      header(out, name, help, "counter");
      children.forEach((labels, value) ->
          sample(out, name, labelNames, labels, null, null, value.sum()));
    }
  }

  /** A gauge whose series are read from a callback at scrape time. */
  public static final class Gauge implements Family {
    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final Supplier<Map<List<String>, Double>> source;

    private Gauge(
        String name, String help, List<String> labelNames,
        Supplier<Map<List<String>, Double>> source) {
      this.name = name;
      this.help = help;
      this.labelNames = labelNames;
      this.source = source;
    }

    @Override
    public void write(StringBuilder out) {
      header(out, name, help, "gauge");
      Map<List<String>, Double> samples;
      try {
        samples = source.get();
      } catch (RuntimeException e) {
        return;
      }
      samples.forEach((labels, value) -> {
        if (labels.size() == labelNames.size() && value != null) {
          sample(out, name, labelNames, labels, null, null, value);
        }
      });
    }
  }

  /** How many observations a histogram holds and their sum. */
  public record Totals(long count, double sum) {}

  /** A histogram with fixed upper bounds, optionally labelled. */
  public static final class Histogram implements Family {
    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final double[] bounds;
    private final Map<List<String>, Series> children = new ConcurrentHashMap<>();

    private record Series(LongAdder[] buckets, DoubleAdder sum, LongAdder count) {}

    private Histogram(String name, String help, List<String> labelNames, double[] bounds) {
      this.name = name;
      this.help = help;
      this.labelNames = labelNames;
      this.bounds = bounds;
    }

    /** Records one observation in the unlabelled series. */
    public void observe(double value) {
      observeLabels(value);
    }

    /** Records one observation in the series with these label values. */
    public void observeLabels(double value, String... labelValues) {
      List<String> labels = List.of(labelValues);
      checkArity(name, labelNames, labels);
      addTo(children.computeIfAbsent(labels, k -> newSeries()), value);
    }

    /**
     * The series with these label values, looked up once: each observation a metric records per
     * media frame then skips the label list and the map lookup of {@link #observeLabels}.
     */
    public java.util.function.DoubleConsumer series(String... labelValues) {
      List<String> labels = List.of(labelValues);
      checkArity(name, labelNames, labels);
      Series series = children.computeIfAbsent(labels, k -> newSeries());
      return value -> addTo(series, value);
    }

    private void addTo(Series series, double value) {
      int bucket = 0;
      while (bucket < bounds.length && value > bounds[bucket]) {
        bucket++;
      }
      series.buckets()[bucket].increment();
      series.sum().add(value);
      series.count().increment();
    }

    /** Observations so far in a series. */
    public long count(String... labelValues) {
      Series series = children.get(List.of(labelValues));
      return series == null ? 0 : series.count().sum();
    }

    /**
     * Count and sum of the observations so far in the series whose labels start with {@code
     * labelPrefix} (all series when empty).
     */
    public Totals totals(String... labelPrefix) {
      long count = 0;
      double sum = 0;
      List<String> prefix = List.of(labelPrefix);
      for (Map.Entry<List<String>, Series> child : children.entrySet()) {
        if (child.getKey().subList(0, Math.min(prefix.size(), child.getKey().size())).equals(prefix)) {
          count += child.getValue().count().sum();
          sum += child.getValue().sum().sum();
        }
      }
      return new Totals(count, sum);
    }

    private Series newSeries() {
      LongAdder[] buckets = new LongAdder[bounds.length + 1];
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
      return new Series(buckets, new DoubleAdder(), new LongAdder());
    }

    @Override
    public void write(StringBuilder out) {
      header(out, name, help, "histogram");
      children.forEach((labels, series) -> {
        long cumulative = 0;
        for (int i = 0; i <= bounds.length; i++) {
          cumulative += series.buckets()[i].sum();
          String le = i < bounds.length ? format(bounds[i]) : "+Inf";
          sample(out, name + "_bucket", labelNames, labels, "le", le, cumulative);
        }
        sample(out, name + "_sum", labelNames, labels, null, null, series.sum().sum());
        sample(out, name + "_count", labelNames, labels, null, null, series.count().sum());
      });
    }
  }

  /** Registers a counter; by convention its name ends in {@code _total}. */
  public Counter counter(String name, String help, String... labelNames) {
    return register(new Counter(name, help, checkLabels(labelNames)), name);
  }

  /** Registers an unlabelled gauge read from {@code value} at each scrape. */
  public void gauge(String name, String help, DoubleSupplier value) {
    register(new Gauge(name, help, List.of(), () -> Map.of(List.of(), value.getAsDouble())), name);
  }

  /**
   * Registers a labelled gauge: at each scrape {@code samples} gives label values (in the order of
   * {@code labelNames}) to value. A callback that throws yields no samples for that scrape.
   */
  public void gaugeFamily(
      String name, String help, List<String> labelNames,
      Supplier<Map<List<String>, Double>> samples) {
    register(new Gauge(name, help, checkLabels(labelNames.toArray(String[]::new)), samples), name);
  }

  /** Registers a histogram with these strictly increasing finite upper bounds. */
  public Histogram histogram(String name, String help, double[] bounds, String... labelNames) {
    double[] copy = Arrays.copyOf(bounds, bounds.length);
    for (int i = 0; i < copy.length; i++) {
      if (!Double.isFinite(copy[i]) || (i > 0 && copy[i] <= copy[i - 1])) {
        throw new IllegalArgumentException("histogram " + name + ": bad buckets");
      }
    }
    List<String> labels = checkLabels(labelNames);
    if (labels.contains("le")) {
      throw new IllegalArgumentException("histogram " + name + " cannot use the label le");
    }
    return register(new Histogram(name, help, labels, copy), name);
  }

  /** Every family in registration order, in the text exposition format 0.0.4. */
  public String scrape() {
    List<Family> snapshot;
    synchronized (families) {
      snapshot = new ArrayList<>(families.values());
    }
    StringBuilder out = new StringBuilder(4096);
    snapshot.forEach(family -> family.write(out));
    return out.toString();
  }

  private <F extends Family> F register(F family, String name) {
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid metric name: " + name);
    }
    synchronized (families) {
      if (families.putIfAbsent(name, family) != null) {
        throw new IllegalArgumentException("metric already registered: " + name);
      }
    }
    return family;
  }

  private static List<String> checkLabels(String... labelNames) {
    for (String label : labelNames) {
      if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
        throw new IllegalArgumentException("invalid label name: " + label);
      }
    }
    return List.of(labelNames);
  }

  private static void checkArity(String name, List<String> names, List<String> values) {
    if (names.size() != values.size()) {
      throw new IllegalArgumentException(
          name + " has labels " + names + " but got " + values.size() + " values");
    }
  }

  private static void header(StringBuilder out, String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ')
        .append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(
      StringBuilder out, String name, List<String> labelNames, List<String> labelValues,
      String extraName, String extraValue, double value) {
    out.append(name);
    if (!labelNames.isEmpty() || extraName != null) {
      out.append('{');
      String separator = "";
      for (int i = 0; i < labelNames.size(); i++) {
        out.append(separator).append(labelNames.get(i)).append("=\"")
            .append(escape(labelValues.get(i))).append('"');
        separator = ",";
      }
      if (extraName != null) {
        out.append(separator).append(extraName).append("=\"").append(extraValue).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(format(value)).append('\n');
  }

  private static String escape(String value) {
    String text = value == null ? "" : value;
    return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
