package org.switchboard.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.switchboard.http.stream.MediaEncoding;
import org.switchboard.http.stream.RelayDelays;
import org.switchboard.http.stream.StreamParams;
import org.switchboard.http.stream.WebSocketClient;

/**
 * The fake Asterisk and the measurement shared by {@link StreamRelayLoad} and {@link
 * RealtimeAgentLoad}: the sessions' relay delays ({@link #delays()}), their start 100 at a time,
 * then one thread sending each session a 20 ms RTP frame every 20 ms and one reading what comes
 * back, 10 s of warm-up and the measured seconds; prints the load average, the frames/s each way,
 * Switchboard's CPU (the process's minus these two threads') and the relay delay percentiles.
 */
final class FakeAsteriskLoad {

  /** Delay buckets of 5 µs up to 100 ms, then one overflow bucket. */
  private static final int BUCKET_NANOS = 5_000;
  private static final int BUCKETS = 20_000;

  private final AtomicLongArray[] delays = {
    new AtomicLongArray(BUCKETS + 1), new AtomicLongArray(BUCKETS + 1)
  };
  private final List<CompletableFuture<Map<StreamParams.Track, InetSocketAddress>>> starting =
      new ArrayList<>();
  private volatile boolean measuring;

  /** The sessions' WebSocket client: {@code -Dbench.websocket-client}, {@code jdk} by default. */
  static WebSocketClient webSocketClient() {
    return WebSocketClient.parse(System.getProperty("bench.websocket-client", "jdk"));
  }

  /** Where the sessions report each frame's relay delay (counted while measuring). */
  RelayDelays delays() {
    return (direction, nanos) -> {
      if (measuring) {
        int bucket = (int) Math.min(BUCKETS, nanos / BUCKET_NANOS);
        delays[direction.ordinal()].incrementAndGet(bucket);
      }
    };
  }

  /** A session starting; every 100th is waited for, so they connect 100 at a time. */
  void starting(CompletableFuture<Map<StreamParams.Track, InetSocketAddress>> start)
      throws Exception {
    starting.add(start);
    if (starting.size() % 100 == 0) {
      start.get(120, TimeUnit.SECONDS);
    }
  }

  /**
   * Once every session started, drives them for {@code seconds} after 10 s of warm-up and prints
   * the results ({@code unit} names a session in the CPU line).
   */
  void run(MediaEncoding encoding, int seconds, String unit) throws Exception {
    List<InetSocketAddress> rtp = new ArrayList<>();
    for (var started : starting) {
      rtp.add(started.get(120, TimeUnit.SECONDS).get(StreamParams.Track.INBOUND));
    }
    DatagramChannel asterisk = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    asterisk.configureBlocking(false);
    asterisk.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
    asterisk.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
    AtomicLong sent = new AtomicLong();
    AtomicLong received = new AtomicLong();
    Thread sender = new Thread(() -> send(asterisk, rtp, encoding, sent), "fake-asterisk-send");
    Thread reader = new Thread(() -> receive(asterisk, received), "fake-asterisk-read");
    sender.setDaemon(true);
    reader.setDaemon(true);
    sender.start();
    reader.start();

    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(10));
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    long cpu0 = os.getProcessCpuTime() - threads.getThreadCpuTime(sender.getId())
        - threads.getThreadCpuTime(reader.getId());
    long wall0 = System.nanoTime();
    long sent0 = sent.get();
    long received0 = received.get();
    Map<String, Long> byGroup0 = cpuByThreadGroup(threads);
    measuring = true;
    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
    measuring = false;
    long wall = System.nanoTime() - wall0;
    long cpu = os.getProcessCpuTime() - threads.getThreadCpuTime(sender.getId())
        - threads.getThreadCpuTime(reader.getId()) - cpu0;
    Map<String, Long> byGroup = cpuByThreadGroup(threads);
    String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
    double wallSeconds = wall / 1e9;
    int sessions = rtp.size();
    System.out.printf("load average before %s, after %s%n", loadBefore, loadAfter);
    System.out.printf("frames/s Asterisk->Switchboard %.0f, Switchboard->Asterisk %.0f (asked:"
        + " %d each way)%n", (sent.get() - sent0) / wallSeconds,
        (received.get() - received0) / wallSeconds, sessions * 50);
    System.out.printf("Switchboard CPU %.2f cores, %.3f %% of a core per %s, %.1f µs per frame"
        + " each way%n", cpu / (double) wall, 100.0 * cpu / wall / sessions, unit,
        cpu / 1e3 / Math.max(1, (sent.get() - sent0) + (received.get() - received0)));
    for (RelayDelays.Direction d : RelayDelays.Direction.values()) {
      System.out.printf("%s relay delay: %s%n", d.label(), percentiles(delays[d.ordinal()]));
    }
    long frames = Math.max(1, (sent.get() - sent0) + (received.get() - received0));
    StringBuilder groups = new StringBuilder("µs per frame by thread group (live threads):");
    byGroup.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - byGroup0.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() * 1000 > cpu)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> groups.append(String.format(" %s %.2f;", e.getKey(), e.getValue() / 1e3
            / frames)));
    System.out.println(groups);
  }

  /** CPU nanoseconds of the live threads, by name with the digits taken out. */
  private static Map<String, Long> cpuByThreadGroup(ThreadMXBean threads) {
    Map<String, Long> groups = new java.util.TreeMap<>();
    for (long id : threads.getAllThreadIds()) {
      java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
      long cpu = threads.getThreadCpuTime(id);
      if (info != null && cpu > 0) {
        groups.merge(info.getThreadName().replaceAll("[0-9]+", "#"), cpu, Long::sum);
      }
    }
    return groups;
  }

  /**
   * Sends stream {@code i}'s k-th frame at {@code start + k * 20 ms + i * 20 ms / N}: wakes every
   * half millisecond and sends, from one precomputed packet whose header it patches, every frame
   * now due, without blocking (a full socket buffer counts the frame as not sent). So the load
   * costs one thread a few µs per frame, and a late wake-up sends what is due at once.
   */
  private static void send(DatagramChannel socket, List<InetSocketAddress> to,
      MediaEncoding encoding, AtomicLong sent) {
    int streams = to.size();
    InetSocketAddress[] targets = to.toArray(InetSocketAddress[]::new);
    ByteBuffer packet = ByteBuffer.allocateDirect(12 + encoding.frameBytes());
    packet.put((byte) 0x80).put((byte) encoding.payloadType()).putShort((short) 0).putInt(0)
        .putInt(0);
    for (int i = 0; i < encoding.frameBytes(); i++) {
      packet.put((byte) (encoding == MediaEncoding.ULAW ? 0x55 ^ i : i));
    }
    long periodNanos = TimeUnit.MILLISECONDS.toNanos(20);
    long start = System.nanoTime();
    long k = 0;
    while (true) {
      long due = (System.nanoTime() - start) * streams / periodNanos;
      for (; k < due; k++) {
        int stream = (int) (k % streams);
        long round = k / streams;
        packet.putShort(2, (short) round).putInt(4, (int) (round * encoding.frameSamples()))
            .putInt(8, stream).clear();
        try {
          if (socket.send(packet, targets[stream]) > 0) {
            sent.incrementAndGet();
          }
        } catch (java.io.IOException e) {
          throw new IllegalStateException(e);
        }
      }
      LockSupport.parkNanos(500_000);
    }
  }

  private static void receive(DatagramChannel socket, AtomicLong received) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
    try (Selector selector = Selector.open()) {
      socket.register(selector, SelectionKey.OP_READ);
      while (true) {
        selector.select();
        selector.selectedKeys().clear();
        buffer.clear();
        while (socket.receive(buffer) != null) {
          received.incrementAndGet();
          buffer.clear();
        }
      }
    } catch (java.io.IOException e) {
      System.err.println("fake Asterisk reader: " + e);
    }
  }

  private static String percentiles(AtomicLongArray buckets) {
    long total = 0;
    for (int i = 0; i < buckets.length(); i++) {
      total += buckets.get(i);
    }
    if (total == 0) {
      return "no frames";
    }
    StringBuilder out = new StringBuilder("n=" + total);
    for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
      long rank = (long) Math.ceil(q * total);
      long seen = 0;
      int i = 0;
      for (; i < buckets.length(); i++) {
        seen += buckets.get(i);
        if (seen >= rank) {
          break;
        }
      }
      String value = i >= BUCKETS ? ">100 ms" : String.format("%.3f ms", (i + 1) * BUCKET_NANOS / 1e6);
      out.append(String.format(", p%s %s", q * 100 % 1 == 0 ? (int) (q * 100) : q * 100, value));
    }
    return out.toString();
  }
}
