package org.switchboard.http.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.switchboard.http.realasterisk.RealAsterisk;

/**
 * {@link LlamenosCallFlowEndToEndTest} on a real Asterisk 22 configured from {@code conf/}: its ARI
 * user and Stasis app ({@code switchboard}) replace the seed's; calls enter through the sample
 * dialplan's {@code [from-trunk]} as {@code +15551234567}, which {@code _+X.} hands on as {@code
 * 15551234567}. The caller is the test dialplan's {@code llamenos-caller} (it talks all along and
 * presses the digits the test cues once the Worker has answered each {@code <Gather>}); volunteers'
 * phones and browser identities are numbers of {@code [sbtest-numbers]} (the node dials them as
 * {@code Local/…@sbtest-numbers} instead of {@code PJSIP/…@trunk}).
 */
@Tag(RealAsterisk.TAG)
class LlamenosCallFlowOnAsteriskTest extends LlamenosCallFlowEndToEndTest {
  private static final AtomicInteger CALLS = new AtomicInteger();

  @Override
  Backend newBackend(Path dir) {
    return new RealBackend(RealAsterisk.shared());
  }

  /** The shared real Asterisk. */
  static final class RealBackend implements Backend {
    private final RealAsterisk asterisk;
    private Set<String> recordingsBefore = Set.of();

    RealBackend(RealAsterisk asterisk) {
      this.asterisk = asterisk;
    }

    @Override
    public String restUrl() {
      return asterisk.ariUrl();
    }

    @Override
    public String user() {
      return asterisk.user();
    }

    @Override
    public String password() {
      return asterisk.password();
    }

    @Override
    public String app() {
      return RealAsterisk.APP;
    }

    @Override
    public Map<String, String> settings() {
      return Map.of(
          "switchboard.dial.number-template", "Local/{number}@sbtest-numbers",
          "switchboard.dial.client-template", "Local/{identity}@sbtest-numbers");
    }

    @Override
    public String call(String from, String did) {
      recordingsBefore = Set.copyOf(storedRecordings());
      String id = "llflow-" + System.nanoTime() + "-" + CALLS.incrementAndGet();
      Map<String, String> q = new LinkedHashMap<>();
      q.put("endpoint", "Local/" + did + "@from-trunk");
      q.put("context", "sbtest-phones");
      q.put("extension", "llamenos-caller");
      q.put("priority", "1");
      q.put("callerId", from);
      q.put("channelId", id + "-caller");
      q.put("otherChannelId", id + "-in");
      q.put("timeout", "30");
      RealAsterisk.Reply r = asterisk.rest("POST", "/channels", q);
      if (r.status() != 200) {
        throw new AssertionError("originate answered " + r.status() + " " + r.body());
      }
      return id + "-in";
    }

    @Override
    public void press(String channel, String digits) {
      String caller = channel.replaceFirst("-in$", "-caller");
      RealAsterisk.Reply r = asterisk.rest("POST", "/asterisk/variable", Map.of(
          "variable", "SBCUE_" + caller.replaceAll("[^0-9a-zA-Z]", ""), "value", digits));
      if (r.status() != 204) {
        throw new AssertionError("setting the cue answered " + r.status() + " " + r.body());
      }
    }

    @Override
    public void speak(String channel, Duration duration) {
      // The caller talks all along (hello-world in a loop).
    }

    @Override
    public void hangUp(String channel) {
      asterisk.rest("DELETE", "/channels/" + channel.replaceFirst("-in$", "-caller"), Map.of());
    }

    @Override
    public void awaitBridgeRecording(String channel) {
      // Bridged with the volunteer, and a recording file Asterisk did not hold when the call
      // began (a live recording is listed among the stored ones from its first frame). ARI lists
      // the bridge recording's Recorder channel neither in the bridge nor in /channels.
      Backend.await(() -> {
        boolean bridged = false;
        for (var b : asterisk.rest("GET", "/bridges", Map.of()).json()) {
          List<String> members = new ArrayList<>();
          b.path("channels").forEach(c -> members.add(c.asText()));
          bridged |= members.contains(channel) && members.size() >= 2;
        }
        return bridged && !Set.copyOf(storedRecordings()).equals(recordingsBefore);
      }, () -> channel + " bridged and recorded: " + asterisk.rest("GET", "/bridges", Map.of()).body()
          + " " + storedRecordings());
    }

    private List<String> storedRecordings() {
      List<String> names = new ArrayList<>();
      asterisk.rest("GET", "/recordings/stored", Map.of()).json()
          .forEach(r -> names.add(r.path("name").asText()));
      return names;
    }

    @Override
    public void awaitClean() {
      Backend.await(() -> asterisk.channelIds().isEmpty() && asterisk.bridgeIds().isEmpty(),
          () -> "no channel or bridge left on Asterisk: " + asterisk.channelIds() + " "
              + asterisk.bridgeIds());
    }

    @Override
    public void close() {
      // Shared by every test of the JVM; stopped when it exits.
    }
  }
}
