package org.switchboard.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.switchboard.http.audio.AudioSettings;
import org.switchboard.http.stream.MediaEncoding;
import org.switchboard.http.stream.MediaStreamSession;
import org.switchboard.http.stream.RelayDelays;
import org.switchboard.http.stream.ScheduledTickSource;
import org.switchboard.http.stream.StreamParams;
import org.switchboard.http.stream.codec.AudioFormat;

/**
 * N concurrent {@code <Connect><Stream>} sessions at full rate, each way 50 frames/s per stream:
 * a fake Asterisk in this JVM sends each session 20 ms RTP frames and reads what comes back; the
 * application ({@link StreamEchoApp}, another JVM) plays every frame back. Reports Switchboard's
 * CPU per stream (the process's CPU minus the fake Asterisk's two threads), the relay delay
 * percentiles each way ({@link RelayDelays}) and the frames delivered, with the load average.
 *
 * <p>{@code StreamRelayLoad APP_PORT STREAMS SECONDS [APP_FORMAT [ASTERISK_FORMAT]]}, e.g.
 * {@code 9001 2000 30 audio/pcm;rate=16000 ulaw}.
 */
public final class StreamRelayLoad {

  /** Delay buckets of 5 µs up to 100 ms, then one overflow bucket. */
  private static final int BUCKET_NANOS = 5_000;
  private static final int BUCKETS = 20_000;

  private final AtomicLongArray[] delays = {
    new AtomicLongArray(BUCKETS + 1), new AtomicLongArray(BUCKETS + 1)
  };
  private volatile boolean measuring;

  private StreamRelayLoad() {}

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    new StreamRelayLoad().run(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
        Integer.parseInt(args[2]),
        AudioFormat.parse(args.length > 3 ? args[3] : "audio/x-mulaw;rate=8000"),
        MediaEncoding.forFormat(args.length > 4 ? args[4] : "ulaw"));
    System.exit(0);
  }

  private void run(int appPort, int streams, int seconds, AudioFormat appFormat,
      MediaEncoding encoding) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "relay-load");
    AudioSettings.Stream settings = new AudioSettings.Stream("127.0.0.1", 3000,
        Duration.ofSeconds(30), encoding.asteriskFormat(), appFormat);
    ScheduledTickSource ticks = new ScheduledTickSource();
    RelayDelays recorder = (direction, nanos) -> {
      if (measuring) {
        int bucket = (int) Math.min(BUCKETS, nanos / BUCKET_NANOS);
        delays[direction.ordinal()].incrementAndGet(bucket);
      }
    };
    List<java.util.concurrent.CompletableFuture<Map<StreamParams.Track, InetSocketAddress>>>
        starting = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      StreamParams params = new StreamParams(URI.create("ws://127.0.0.1:" + appPort + "/"),
          StreamParams.newStreamSid(), "ACbench", "CA" + i, Optional.empty(),
          List.of(StreamParams.Track.INBOUND), Map.of(), true, encoding, appFormat);
      MediaStreamSession session = MediaStreamSession.create(system, settings, params, ticks,
          event -> { }, Clock.systemUTC(), recorder);
      starting.add(session.start().toCompletableFuture());
      if (starting.size() % 100 == 0) {
        // Opens the application sockets 100 at a time, not all 2,000 at once.
        starting.get(starting.size() - 1).get(120, TimeUnit.SECONDS);
      }
    }
    List<InetSocketAddress> rtp = new ArrayList<>();
    for (var started : starting) {
      rtp.add(started.get(120, TimeUnit.SECONDS).get(StreamParams.Track.INBOUND));
    }
    System.out.printf("%d streams up (%s to the app, %s to Asterisk)%n", streams, appFormat,
        encoding.asteriskFormat());

    DatagramChannel asterisk = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    asterisk.configureBlocking(false);
    asterisk.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
    asterisk.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
    AtomicLong sent = new AtomicLong();
    AtomicLong received = new AtomicLong();
    long[] threadIds = new long[2];
    Thread sender = new Thread(() -> send(asterisk, rtp, encoding, sent), "fake-asterisk-send");
    Thread reader = new Thread(() -> receive(asterisk, received), "fake-asterisk-read");
    sender.setDaemon(true);
    reader.setDaemon(true);
    sender.start();
    reader.start();
    threadIds[0] = sender.getId();
    threadIds[1] = reader.getId();

    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(10));
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    long cpu0 = os.getProcessCpuTime() - threads.getThreadCpuTime(threadIds[0])
        - threads.getThreadCpuTime(threadIds[1]);
    long wall0 = System.nanoTime();
    long sent0 = sent.get();
    long received0 = received.get();
    measuring = true;
    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
    measuring = false;
    long wall = System.nanoTime() - wall0;
    long cpu = os.getProcessCpuTime() - threads.getThreadCpuTime(threadIds[0])
        - threads.getThreadCpuTime(threadIds[1]) - cpu0;
    String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
    double wallSeconds = wall / 1e9;
    System.out.printf("load average before %s, after %s%n", loadBefore, loadAfter);
    System.out.printf("frames/s Asterisk->Switchboard %.0f, Switchboard->Asterisk %.0f%n",
        (sent.get() - sent0) / wallSeconds, (received.get() - received0) / wallSeconds);
    System.out.printf("Switchboard CPU %.2f cores, %.3f %% of a core per stream, %.1f µs per frame"
        + " each way%n", cpu / (double) wall, 100.0 * cpu / wall / streams,
        cpu / 1e3 / Math.max(1, (sent.get() - sent0) + (received.get() - received0)));
    for (RelayDelays.Direction d : RelayDelays.Direction.values()) {
      System.out.printf("%s relay delay: %s%n", d.label(), percentiles(delays[d.ordinal()]));
    }
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
