package org.switchboard.http.dashboard;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The last warnings and errors Switchboard logged, for the dashboard: a logback appender on the
 * {@code org.switchboard} logger keeping a bounded list, each entry with its CallSid (from the MDC)
 * and the Twilio error code its message names ({@code application error 12100 (…)}, {@code
 * Twilio error 11215}, {@code ErrorCode=11205}), if any. Nothing is kept when the logging backend
 * is not logback. Thread-safe.
 */
public final class RecentErrors extends AppenderBase<ILoggingEvent> {
  private static final Pattern TWILIO_CODE =
      Pattern.compile("(?:error|ErrorCode=|code)\\s*([1-3][0-9]{4})\\b");

  /** One logged warning or error. */
  public record Entry(Instant at, String level, String logger, Optional<String> callSid,
      Optional<Integer> twilioCode, String message) {}

  private final int capacity;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  private RecentErrors(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Attaches a new collector of the last {@code capacity} entries to the {@code org.switchboard}
   * logger (when logback is the backend); {@link #detach()} removes it.
   */
  public static RecentErrors attach(int capacity) {
    RecentErrors errors = new RecentErrors(capacity);
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      errors.setContext(context);
      errors.setName("switchboard-dashboard-errors");
      errors.start();
      context.getLogger("org.switchboard").addAppender(errors);
    }
    return errors;
  }

  /** Stops collecting. */
  public void detach() {
    if (getContext() instanceof LoggerContext context) {
      Logger logger = context.getLogger("org.switchboard");
      logger.detachAppender(this);
    }
    stop();
  }

  /** The Twilio error code a log message names, if any. */
  static Optional<Integer> twilioCode(String message) {
    Matcher m = TWILIO_CODE.matcher(message);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
      return;
    }
    String message = event.getFormattedMessage();
    if (event.getThrowableProxy() != null) {
      message = message + ": " + event.getThrowableProxy().getMessage();
    }
    Entry entry = new Entry(Instant.ofEpochMilli(event.getTimeStamp()), event.getLevel().toString(),
        shortName(event.getLoggerName()),
        Optional.ofNullable(event.getMDCPropertyMap().get("CallSid")), twilioCode(message),
        message.length() > 500 ? message.substring(0, 500) + "…" : message);
    synchronized (entries) {
      entries.addLast(entry);
      while (entries.size() > capacity) {
        entries.removeFirst();
      }
    }
  }

  /** The remembered entries, newest first. */
  public List<Entry> newestFirst() {
    List<Entry> out;
    synchronized (entries) {
      out = new ArrayList<>(entries);
    }
    Collections.reverse(out);
    return out;
  }

  private static String shortName(String logger) {
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }
}
