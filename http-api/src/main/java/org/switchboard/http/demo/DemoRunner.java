package org.switchboard.http.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelRef;

/**
 * Places the demo's simulated callers and plays their part: each presses the menu key and the
 * captcha when the sample application asks for them, then waits in the queue. The first caller
 * is offered to the volunteers and hangs up a few seconds after being bridged; the second gets
 * nobody and leaves a voicemail (speaks, then presses {@code #}); the third fails the captcha.
 * Further callers repeat that pattern.
 */
public final class DemoRunner implements AutoCloseable {

  /** What a simulated caller does. */
  public enum Role {
    BRIDGED_TO_VOLUNTEER,
    VOICEMAIL,
    WRONG_CAPTCHA
  }

  private final AriSimulator sim;
  private final String serverId;
  private final String hotlineNumber;
  private final Consumer<String> ringVolunteers;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "demo-callers");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, DemoTimeline.DemoCall> calls = new ConcurrentHashMap<>();
  private final Map<String, Role> roles = new ConcurrentHashMap<>();
  private final Map<String, String> channelBySid = new ConcurrentHashMap<>();

  /**
   * @param ringVolunteers rings the volunteers for a queued caller's CallSid (through the API)
   */
  public DemoRunner(
      AriSimulator sim, String serverId, String hotlineNumber, Consumer<String> ringVolunteers) {
    this.sim = sim;
    this.serverId = serverId;
    this.hotlineNumber = hotlineNumber;
    this.ringVolunteers = ringVolunteers;
  }

  /** Places {@code count} callers, one every two seconds. */
  public List<DemoTimeline.DemoCall> placeCalls(int count) {
    List<DemoTimeline.DemoCall> placed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Role role = Role.values()[i % Role.values().length];
      String from = String.format("+1555123%04d", i + 1);
      String channel = sim.inboundCall(from, hotlineNumber);
      String callSid = CallSid.forChannel(new ChannelRef(serverId, channel));
      DemoTimeline.DemoCall call = new DemoTimeline.DemoCall(callSid, channel, from, hotlineNumber);
      calls.put(callSid, call);
      roles.put(callSid, role);
      channelBySid.put(callSid, channel);
      placed.add(call);
      if (i + 1 < count) {
        sleepQuietly(Duration.ofSeconds(2));
      }
    }
    return placed;
  }

  /** Reacts to what the sample application asked the caller (wire to the app's request hook). */
  public void onWebhook(DemoHotlineApp.Received request) {
    String callSid = request.params().getOrDefault("CallSid", "");
    String channel = channelBySid.get(callSid);
    Role role = roles.get(callSid);
    if (channel == null || role == null) {
      return;
    }
    switch (request.path()) {
      case "/demo/incoming" -> later(Duration.ofMillis(1500), () -> sim.pressDtmf(channel, "1"));
      case "/demo/language" ->
          later(
              Duration.ofMillis(1500),
              () -> sim.pressDtmf(channel, role == Role.WRONG_CAPTCHA ? "9999" : "1234"));
      case "/demo/queue-exit" -> {
        if ("leave".equals(request.params().get("QueueResult"))) {
          later(Duration.ofSeconds(6), () -> sim.speak(channel, Duration.ofSeconds(4)));
          later(Duration.ofSeconds(11), () -> sim.pressDtmf(channel, "#"));
        }
      }
      default -> {}
    }
  }

  /** The sample app calls this when a caller passed the captcha and is about to be queued. */
  public void onCallerQueued(String callSid) {
    if (roles.get(callSid) == Role.BRIDGED_TO_VOLUNTEER) {
      later(Duration.ofMillis(500), () -> ringVolunteers.accept(callSid));
      watchForBridge(callSid, Instant.now().plusSeconds(120));
    }
  }

  /** True once none of the demo callers' channels is left on the simulator. */
  public boolean allEnded() {
    var live = sim.channels().stream().map(AriSimulator.ChannelView::id).toList();
    return calls.values().stream().noneMatch(c -> live.contains(c.channelId()));
  }

  private void watchForBridge(String callSid, Instant deadline) {
    String channel = channelBySid.get(callSid);
    boolean bridged =
        sim.bridges().stream().anyMatch(b -> b.channels().contains(channel) && b.channels().size() > 1);
    if (bridged) {
      later(Duration.ofSeconds(5), () -> sim.callerHangup(channel));
    } else if (Instant.now().isBefore(deadline)) {
      later(Duration.ofMillis(250), () -> watchForBridge(callSid, deadline));
    }
  }

  private void later(Duration delay, Runnable action) {
    try {
      schedule(delay, action);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the demo is stopping (closed): its callers do nothing more
    }
  }

  private void schedule(Duration delay, Runnable action) {
    timer.schedule(
        () -> {
          try {
            action.run();
          } catch (RuntimeException e) {
            System.err.println("demo caller: " + e.getMessage());
          }
        },
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
