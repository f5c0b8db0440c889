package org.switchboard.loadtest;

import java.util.List;
import java.util.Map;

/**
 * The callers' side of the telephone network: places calls, presses digits, speaks, hangs up,
 * and hands over what the simulator logged. In this JVM ({@link InProcessSim}) or over the
 * simulator's {@code /sim} HTTP API ({@link HttpSim}).
 */
public interface SimControl extends AutoCloseable {

  /** The ARI base URL Switchboard connects to ({@code http://host:port/ari}). */
  String ariUrl();

  /** A caller {@code from} dials {@code to}; may complete asynchronously. */
  void inboundCall(String from, String to);

  /** The caller on {@code channel} presses {@code digits}. */
  void pressDtmf(String channel, String digits);

  /** The caller on {@code channel} talks for {@code ms}. */
  void speak(String channel, long ms);

  /** The caller on {@code channel} hangs up. */
  void hangup(String channel);

  /** Everything logged since the last drain, in time order. */
  List<SimEntry> drain();

  /** What is still alive: channels, bridges, playbacks, live recordings. */
  Map<String, Integer> leftovers();

  /** A few lines describing what is still alive, for the report of a failed run. */
  default List<String> describeLeftovers(int max) {
    return List.of();
  }

  /** Entries the simulator's bounded log dropped before they were drained (calls look lost). */
  default long logDropped() {
    return 0;
  }

  /** The channels still in a Stasis application, described (id, state, caller), at most {@code max}. */
  default List<String> channelsInStasis(int max) {
    return List.of();
  }

  /** How many channels are still in a Stasis application. */
  default int channelsInStasis() {
    return channelsInStasis(Integer.MAX_VALUE).size();
  }

  /** Control requests that failed so far (e.g. a digit for a channel already gone). */
  long controlErrors();

  /** CPU seconds of the process that runs the simulator, if it is another process. */
  default double externalCpuSeconds() {
    return 0;
  }

  @Override
  void close();
}
