package org.switchboard.loadtest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.switchboard.asterisk.sim.AriSimulator;

/** {@link SimControl} over an {@link AriSimulator} running in this JVM. */
public final class InProcessSim implements SimControl {
  private final AriSimulator sim;
  private final LogHarvester harvester;
  private final AtomicLong errors = new AtomicLong();

  /** Controls {@code sim}, a started simulator. */
  public InProcessSim(AriSimulator sim) {
    this.sim = sim;
    this.harvester = new LogHarvester(sim.log());
  }

  /** The simulator itself. */
  public AriSimulator simulator() {
    return sim;
  }

  @Override
  public String ariUrl() {
    return sim.baseUrl() + "/ari";
  }

  @Override
  public void inboundCall(String from, String to) {
    guard(() -> sim.inboundCall(from, to));
  }

  @Override
  public void pressDtmf(String channel, String digits) {
    guard(() -> sim.pressDtmf(channel, digits));
  }

  @Override
  public void speak(String channel, long ms) {
    guard(() -> sim.speak(channel, Duration.ofMillis(ms)));
  }

  @Override
  public void hangup(String channel) {
    guard(() -> sim.callerHangup(channel));
  }

  @Override
  public List<SimEntry> drain() {
    return harvester.drain();
  }

  @Override
  public Map<String, Integer> leftovers() {
    return leftovers(sim);
  }

  /** Counts of what {@code sim} still holds. */
  static Map<String, Integer> leftovers(AriSimulator sim) {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("channels", sim.channels().size());
    m.put("bridges", sim.bridges().size());
    m.put("playbacks", sim.playbacks().size());
    m.put("recordings", sim.liveRecordings().size());
    return m;
  }

  @Override
  public List<String> describeLeftovers(int max) {
    List<String> out = new java.util.ArrayList<>();
    sim.channels().stream().limit(max).forEach(c -> out.add(c.toString()));
    sim.bridges().stream().limit(max).forEach(b -> out.add(b.toString()));
    return out;
  }

  @Override
  public long logDropped() {
    return sim.log().dropped();
  }

  @Override
  public List<String> channelsInStasis(int max) {
    return sim.channels().stream().filter(c -> c.stasisApp() != null).limit(max)
        .map(Object::toString).toList();
  }

  @Override
  public long controlErrors() {
    return errors.get();
  }

  private void guard(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      if (errors.incrementAndGet() <= 5) {
        System.err.println("loadtest: simulator control failed: " + e);
      }
    }
  }

  @Override
  public void close() {
    sim.close();
  }
}
