package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.switchboard.http.api.MetricsRegistry;
import org.switchboard.http.stream.StreamParams.Track;
import org.switchboard.http.stream.realtime.AgentActions;
import org.switchboard.http.stream.realtime.AgentLatency;
import org.switchboard.http.stream.realtime.AgentOptions;
import org.switchboard.http.stream.realtime.RealtimeSettings;

/**
 * N concurrent Realtime sessions against the fake agent (docs/performance.md): every 20 ms each
 * fake Asterisk socket sends an RTP frame; the agent answers each append with a 20 ms delta (a new
 * item each, so every delta is a "first audio" the node relays at once). Measures the delay of
 * each frame inside the node ({@link RelayDelays}, as the node's metric does), the delay of each
 * frame caller → agent and agent → caller over loopback (paired in order per session: only
 * meaningful while no frame is dropped), the node's own playout histogram, and the process CPU
 * (fakes included). Run with {@code -Dbench.realtime=200}. {@code benchmarks/.../RealtimeAgentLoad}
 * runs the agent in another JVM and measures the node alone.
 */
@EnabledIfSystemProperty(named = "bench.realtime", matches = "\\d+")
class RealtimeBenchmark {

  @Test
  void concurrentSessions() throws Exception {
    int n = Integer.getInteger("bench.realtime");
    int seconds = Integer.getInteger("bench.seconds", 20);
    ActorTestKit kit = ActorTestKit.create();
    FakeRealtimeServer agent = new FakeRealtimeServer(kit.system());
    ScheduledTickSource ticks = new ScheduledTickSource();
    AgentLatency latency = new AgentLatency(new MetricsRegistry());
    AtomicLong measuring = new AtomicLong();
    long[][] relay = {new long[n * 50 * (seconds + 5)], new long[n * 50 * (seconds + 5)]};
    AtomicLong[] relayCount = {new AtomicLong(), new AtomicLong()};
    RelayDelays delays = (direction, nanos) -> {
      if (measuring.get() == 1) {
        int k = (int) relayCount[direction.ordinal()].getAndIncrement();
        if (k < relay[direction.ordinal()].length) {
          relay[direction.ordinal()][k] = nanos;
        }
      }
    };
    RealtimeSettings settings = new RealtimeSettings("", false, Duration.ofSeconds(30), 3000);
    AgentOptions options = AgentOptions.fromParameters(Map.of());
    MediaEncoding encoding = RealtimeSession.encodingFor(options.audioFormat(), StreamParams.Transport.RTP);
    AgentActions none = new AgentActions() {
      @Override
      public void hangUp(String reason) {}

      @Override
      public java.util.concurrent.CompletionStage<String> callTool(String name, String id,
          String args) {
        return CompletableFuture.completedFuture("{}");
      }

      @Override
      public void continueWith(String twiml) {}
    };
    List<RealtimeSession> sessions = new ArrayList<>();
    List<DatagramChannel> phones = new ArrayList<>();
    List<ConcurrentLinkedQueue<Long>> rtpSent = new ArrayList<>();
    List<ConcurrentLinkedQueue<Long>> deltaSent = new ArrayList<>();
    long[] inbound = new long[n * 50 * (seconds + 5)];
    long[] outbound = new long[inbound.length];
    AtomicLong inCount = new AtomicLong();
    AtomicLong outCount = new AtomicLong();
    byte[] reply = AudioProbe.bytes(AudioProbe.tone(700, 24000, 480, 5000), false);
    for (int i = 0; i < n; i++) {
      StreamParams params = new StreamParams(java.net.URI.create(agent.url()),
          StreamParams.newStreamSid(), "AC0", "CA" + i, java.util.Optional.empty(),
          List.of(Track.INBOUND), Map.of(), true, encoding);
      RealtimeSession s = RealtimeSession.create(kit.system(), "127.0.0.1", settings, params,
          options, none, ticks, e -> { }, Clock.systemUTC(), latency, delays);
      InetSocketAddress local = s.start().toCompletableFuture().get(30, TimeUnit.SECONDS)
          .get(Track.INBOUND);
      FakeRealtimeServer.Connection conn = agent.accept();
      conn.keepAudio = false;
      ConcurrentLinkedQueue<Long> sent = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Long> deltas = new ConcurrentLinkedQueue<>();
      AtomicLong items = new AtomicLong();
      conn.onAppend = (c, audio) -> {
        Long at = sent.poll();
        long now = System.nanoTime();
        if (at != null && measuring.get() == 1) {
          int k = (int) inCount.getAndIncrement();
          if (k < inbound.length) {
            inbound[k] = now - at;
          }
        }
        deltas.add(System.nanoTime());
        c.audioDelta("r", "item_" + items.incrementAndGet(), reply, false);
      };
      DatagramChannel phone = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
      phone.configureBlocking(false);
      phone.connect(local);
      s.asteriskAddress(Track.INBOUND, (InetSocketAddress) phone.getLocalAddress());
      sessions.add(s);
      phones.add(phone);
      rtpSent.add(sent);
      deltaSent.add(deltas);
    }
    Selector selector = Selector.open();
    for (int i = 0; i < n; i++) {
      phones.get(i).register(selector, SelectionKey.OP_READ, i);
    }
    Thread reader = new Thread(() -> {
      ByteBuffer buf = ByteBuffer.allocate(2048);
      while (!Thread.currentThread().isInterrupted()) {
        try {
          selector.select(100);
          for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            int i = (Integer) key.attachment();
            buf.clear();
            while (((DatagramChannel) key.channel()).receive(buf) != null) {
              buf.clear();
              Long at = deltaSent.get(i).poll();
              if (at != null && measuring.get() == 1) {
                int k = (int) outCount.getAndIncrement();
                if (k < outbound.length) {
                  outbound[k] = System.nanoTime() - at;
                }
              }
            }
          }
        } catch (Exception e) {
          return;
        }
      }
    }, "bench-phones");
    reader.setDaemon(true);
    reader.start();
    ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    short[] tone = AudioProbe.tone(300, encoding.clockRate(), encoding.frameSamples(), 3000);
    byte[][] payload = {encoding == MediaEncoding.ULAW ? org.switchboard.http.audio.G711.encodeUlaw(tone)
        : AudioProbe.bytes(tone, true)};
    int[] seq = {0};
    sender.scheduleAtFixedRate(() -> {
      seq[0]++;
      for (int i = 0; i < n; i++) {
        byte[] packet = new RtpPacket(encoding.payloadType(), false, seq[0] & 0xFFFF,
            (long) seq[0] * encoding.frameSamples(), 7 + i, payload[0]).toBytes();
        try {
          rtpSent.get(i).add(System.nanoTime());
          phones.get(i).write(ByteBuffer.wrap(packet));
        } catch (Exception e) {
          return;
        }
      }
    }, 0, 20, TimeUnit.MILLISECONDS);
    // Warm up, then measure for a fixed time (a benchmark runs for its duration).
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    never.await(5, TimeUnit.SECONDS);
    double load0 = loadAverage();
    long cpu0 = cpu();
    long t0 = System.nanoTime();
    long playout0 = latency.playoutTotals().count();
    measuring.set(1);
    never.await(seconds, TimeUnit.SECONDS);
    measuring.set(0);
    long wall = System.nanoTime() - t0;
    long cpu = cpu() - cpu0;
    double load1 = loadAverage();
    sender.shutdownNow();
    reader.interrupt();
    long playouts = latency.playoutTotals().count() - playout0;
    double playoutMeanMs = latency.playoutTotals().sum() * 1000 / Math.max(1,
        latency.playoutTotals().count());
    for (RealtimeSession s : sessions) {
      s.stop();
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("sessions", n);
    result.put("seconds", seconds);
    result.put("frames caller->agent", inCount.get());
    result.put("frames agent->caller", outCount.get());
    result.put("expected frames each way", (long) n * 50 * seconds);
    result.put("in-node relay inbound (RTP read -> append to the agent) n, p50/p99/max ms",
        relayCount[0].get() + ", " + percentiles(relay[0], relayCount[0].get()));
    result.put("in-node relay outbound (delta -> RTP, slot wait included) n, p50/p99/max ms",
        relayCount[1].get() + ", " + percentiles(relay[1], relayCount[1].get()));
    result.put("caller->agent delay p50/p99/max ms (paired in order)",
        percentiles(inbound, inCount.get()));
    result.put("agent->caller delay p50/p99/max ms (paired in order)",
        percentiles(outbound, outCount.get()));
    result.put("in-node playout (first delta -> RTP) count/mean ms", playouts + " / "
        + String.format("%.3f", playoutMeanMs));
    result.put("process CPU % of one core (fakes included)", String.format("%.1f",
        100.0 * cpu / wall));
    result.put("CPU ms per session-second", String.format("%.3f", cpu / 1e6 / n / (wall / 1e9)));
    result.put("load average 1 min before/after", load0 + " / " + load1);
    result.put("cores", Runtime.getRuntime().availableProcessors());
    StringBuilder out = new StringBuilder();
    result.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
    System.out.print(out);
    Files.writeString(Path.of("target/realtime-benchmark.txt"), out);
    agent.close();
    ticks.close();
    kit.shutdownTestKit();
    assertTrue(inCount.get() > 0 && outCount.get() > 0, "frames flowed both ways");
  }

  private static String percentiles(long[] values, long count) {
    int c = (int) Math.min(count, values.length);
    if (c == 0) {
      return "-";
    }
    long[] v = Arrays.copyOf(values, c);
    Arrays.sort(v);
    return String.format("%.3f / %.3f / %.3f", v[c / 2] / 1e6, v[(int) (c * 0.99)] / 1e6,
        v[c - 1] / 1e6);
  }

  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double loadAverage() throws Exception {
    return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
  }
}
