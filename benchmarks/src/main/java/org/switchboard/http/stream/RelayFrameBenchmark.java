package org.switchboard.http.stream;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.switchboard.bench.MicroBenchmark;
import org.switchboard.http.api.MetricsRegistry;
import org.switchboard.http.audio.AudioSettings;
import org.switchboard.http.stream.StreamParams.Track;

/**
 * A media stream's work per 20 ms frame, each way, without a network peer: one bidirectional
 * {@link MediaStreamSession} (µ-law both sides, as {@code StreamRelayLoad} runs it) whose
 * application socket is in memory (the same {@link PekkoAppSocket#clientFlow}, between a source
 * that sends nothing and a counting sink, where Pekko HTTP's WebSocket would frame the message) and
 * whose Asterisk side is RTP to a loopback UDP socket nobody reads (one {@code sendto} per
 * outbound frame). Relay delays are recorded in a {@link MetricsRegistry}, as on a node.
 *
 * <ul>
 *   <li>{@code inbound}: one RTP datagram parsed as {@code RtpEndpoint} parses it and handed to
 *       the session: re-framed, rendered as a {@code media} message and offered to the socket's
 *       queue (the stream that takes it runs on Pekko's threads: its allocation counts in {@code
 *       -prof gc}, its time does not).
 *   <li>{@code outbound}: the application's {@code media} message as its socket hands it to the
 *       session, then one 20 ms tick: the frame leaves as an RTP packet.
 * </ul>
 *
 * <p>{@code client}: {@code pekko} is the in-memory socket above (Pekko HTTP's framing and Pekko
 * IO's write are not in it); {@code jdk} is the JDK's WebSocket client ({@link JdkRelaySocket})
 * to a loopback peer that reads and discards, so {@code inbound} includes the client's framing,
 * masking and the TCP write ({@code send}) on the benchmark's thread: the whole per-frame path.
 *
 * <p>The machine is shared: compare {@code gc.alloc.rate.norm} (bytes per frame, independent of
 * load) from {@code -prof gc}, and ns/op only between runs made back to back.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RelayFrameBenchmark extends MicroBenchmark {

  /** The application socket's client: {@code pekko} (in memory) or {@code jdk} (loopback TCP). */
  @Param({"pekko", "jdk"})
  public String client;

  private final AtomicLong toApp = new AtomicLong();
  private DiscardPeer peer;
  private ActorSystem<Void> system;
  private DatagramChannel asterisk;
  private MediaStreamSession session;
  private volatile Consumer<String> appText;
  private Runnable tick;
  private byte[] datagram;
  private long rtpTimestamp;
  private long inboundOps;
  private String appMedia;

  @Setup
  public void setUp() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "relay-frame");
    asterisk = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    MediaEncoding encoding = MediaEncoding.forFormat("ulaw");
    AudioSettings.Stream settings = new AudioSettings.Stream("127.0.0.1", 3000,
        Duration.ofSeconds(10), encoding.asteriskFormat(), encoding.audioFormat());
    StreamParams params = new StreamParams(URI.create("ws://127.0.0.1:9/app"),
        StreamParams.newStreamSid(), "ACbench", "CAbench", Optional.empty(),
        List.of(Track.INBOUND), Map.of(), true, encoding, encoding.audioFormat());
    TickSource ticks = onTick -> {
      tick = onTick;
      return () -> { };
    };
    AppSocket.Connector connector = this::inMemoryApp;
    if (client.equals("jdk")) {
      peer = new DiscardPeer();
      connector = (system, url, onText, delays) -> {
        appText = onText;
        return AppSocket.connector(WebSocketClient.JDK)
            .connect(system, peer.url(), onText, delays);
      };
    }
    session = MediaStreamSession.create(system, settings, params, ticks, event -> { },
        Clock.systemUTC(), RelayDelays.registeredIn(new MetricsRegistry()), connector);
    session.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    session.asteriskAddress(Track.INBOUND, (InetSocketAddress) asterisk.getLocalAddress());
    byte[] frame = new byte[160];
    for (int i = 0; i < frame.length; i++) {
      frame[i] = (byte) (i * 7);
    }
    datagram = new RtpPacket(0, false, 1, 0, 0x1234, frame).toBytes();
    appMedia = "{\"event\":\"media\",\"streamSid\":\"" + params.streamSid()
        + "\",\"media\":{\"payload\":\"" + Base64.getEncoder().encodeToString(frame) + "\"}}";
  }

  /** An application socket in memory: the outbox's queue and stage as PekkoAppSocket runs them. */
  private AppSocket inMemoryApp(ActorSystem<?> system, URI url, Consumer<String> onText,
      RelayDelays delays) {
    appText = onText;
    Materializer materializer = Materializer.matFromSystem(system);
    Pair<CompletionStage<Done>, BoundedSourceQueue<PekkoAppSocket.Outgoing>> socket =
        Source.<Message>maybe()
            .viaMat(PekkoAppSocket.clientFlow(materializer, onText, delays), Keep.right())
            .toMat(Sink.foreach(message -> toApp.incrementAndGet()), Keep.left())
            .run(materializer);
    WebSocketUpgradeResponse upgraded = new WebSocketUpgradeResponse() {
      @Override
      public boolean isValid() {
        return true;
      }

      @Override
      public HttpResponse response() {
        return HttpResponse.create().withStatus(StatusCodes.SWITCHING_PROTOCOLS);
      }

      @Override
      public Optional<String> chosenSubprotocol() {
        return Optional.empty();
      }

      @Override
      public String invalidationReason() {
        return "";
      }
    };
    return new PekkoAppSocket(socket.second(), CompletableFuture.completedFuture(upgraded),
        socket.first());
  }

  /**
   * A WebSocket server for one connection on loopback: answers the upgrade, then reads and
   * discards every byte (counting them).
   */
  private static final class DiscardPeer {
    final AtomicLong received = new AtomicLong();
    private final ServerSocket server;

    DiscardPeer() throws IOException {
      server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      Thread reader = new Thread(this::serve, "discard-peer");
      reader.setDaemon(true);
      reader.start();
    }

    URI url() {
      return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/app");
    }

    private void serve() {
      try (Socket socket = server.accept()) {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
          head.append((char) in.read());
        }
        String key = head.toString().lines()
            .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:"))
            .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow();
        String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
            .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                .getBytes(StandardCharsets.US_ASCII)));
        socket.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket"
            + "\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          received.addAndGet(n);
        }
      } catch (IOException | java.security.NoSuchAlgorithmException e) {
        // the benchmark is over
      }
    }

    void close() throws IOException {
      server.close();
    }
  }

  /** One RTP packet from Asterisk to the application's socket queue. */
  @Benchmark
  public void inbound() {
    rtpTimestamp += 160;
    datagram[4] = (byte) (rtpTimestamp >>> 24);
    datagram[5] = (byte) (rtpTimestamp >>> 16);
    datagram[6] = (byte) (rtpTimestamp >>> 8);
    datagram[7] = (byte) rtpTimestamp;
    RtpPacket packet = RtpPacket.parse(datagram, datagram.length);
    session.onAsteriskAudio(Track.INBOUND, packet.timestamp(), packet.payload());
    inboundOps++;
  }

  /** One application {@code media} message to an RTP packet toward Asterisk. */
  @Benchmark
  public void outbound() {
    appText.accept(appMedia);
    tick.run();
  }

  @TearDown
  public void tearDown() throws Exception {
    session.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    System.out.printf("%n%d frames offered inbound, %d reached the in-memory socket, %d bytes the"
        + " loopback peer%n", inboundOps, toApp.get(), peer == null ? 0 : peer.received.get());
    if (peer != null) {
      peer.close();
    }
    asterisk.close();
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
