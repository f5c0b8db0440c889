package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.Failures;

/**
 * {@link JdkRelaySocket} against a WebSocket peer written out by hand (RFC 6455 framing on a plain
 * socket), so the test sees every frame the client writes and can stop reading: messages leave in
 * the order offered, the queue behind a pending send is bounded, close() sends what was queued and
 * then a Close, fragments are joined, and every way the far side can end is reported.
 */
class JdkRelaySocketTest {

  private static final int TEXT = 1;
  private static final int BINARY = 2;
  private static final int CONTINUATION = 0;
  private static final int CLOSE = 8;

  private ServerSocket server;
  private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();

  @BeforeEach
  void listen() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    server.setSoTimeout(10_000);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private JdkRelaySocket connect(String subprotocol, int capacity, RelayDelays delays) {
    return JdkRelaySocket.connect(URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/s"),
        Map.of("Authorization", "Bearer k"), subprotocol, texts::add, binaries::add, delays,
        capacity);
  }

  /** The peer of {@code socket}, once the socket is open. */
  private Peer accept(JdkRelaySocket socket) throws Exception {
    Peer peer = Peer.accept(server);
    socket.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return peer;
  }

  @Test
  void sendsInOrderWithHeadersAndJoinsFragments() throws Exception {
    AtomicInteger observed = new AtomicInteger();
    JdkRelaySocket socket = connect("media", 1024, (direction, nanos) -> observed.incrementAndGet());
    // Offered before the upgrade: they wait for it, in order.
    assertTrue(socket.offer("m0", System.nanoTime()));
    Peer peer = Peer.accept(server);
    assertEquals("Bearer k", peer.headers.get("authorization"));
    assertEquals("media", peer.headers.get("sec-websocket-protocol"));
    socket.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
    for (int i = 1; i < 300; i++) {
      assertTrue(socket.offer("m" + i, System.nanoTime()));
    }
    assertTrue(socket.send(new byte[] {1, 2, 3}));
    assertTrue(socket.sendText("FLUSH_MEDIA"));
    for (int i = 0; i < 300; i++) {
      Frame frame = peer.read();
      assertEquals(TEXT, frame.opcode);
      assertEquals("m" + i, frame.text());
    }
    assertArrayEquals(new byte[] {1, 2, 3}, peer.read().expect(BINARY));
    assertEquals("FLUSH_MEDIA", new String(peer.read().expect(TEXT), StandardCharsets.UTF_8));
    assertEquals(300, observed.get(), "one relay delay per frame that carried an arrival time");

    peer.send(TEXT, false, "hel".getBytes(StandardCharsets.UTF_8));
    peer.send(CONTINUATION, true, "lo".getBytes(StandardCharsets.UTF_8));
    peer.send(BINARY, false, new byte[] {9});
    peer.send(CONTINUATION, true, new byte[] {8, 7});
    peer.send(TEXT, true, "whole".getBytes(StandardCharsets.UTF_8));
    assertEquals("hello", texts.poll(10, TimeUnit.SECONDS));
    assertArrayEquals(new byte[] {9, 8, 7}, binaries.poll(10, TimeUnit.SECONDS));
    assertEquals("whole", texts.poll(10, TimeUnit.SECONDS));
    peer.close();
  }

  @Test
  void closeSendsWhatIsQueuedThenAClose() throws Exception {
    JdkRelaySocket socket = connect(null, 4096, RelayDelays.NONE);
    Peer peer = accept(socket);
    byte[] big = new byte[32 * 1024];
    for (int i = 0; i < 50; i++) {
      big[0] = (byte) i;
      assertTrue(socket.send(big.clone()));
    }
    socket.close();
    assertFalse(socket.offer("after close", 0), "a closing socket takes nothing more");
    for (int i = 0; i < 50; i++) {
      assertEquals((byte) i, peer.read().expect(BINARY)[0]);
    }
    assertEquals(CLOSE, peer.read().opcode);
    peer.send(CLOSE, true, new byte[] {0x03, (byte) 0xe8});
    socket.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
    peer.close();
  }

  @Test
  void aFarSideThatDoesNotReadFillsOnlyTheBoundedQueue() throws Exception {
    JdkRelaySocket socket = connect(null, 8, RelayDelays.NONE);
    Peer peer = accept(socket);
    // The peer reads nothing: once the kernel's buffers are full a send stays pending, 8 more
    // messages queue behind it, and every further one is refused (the caller drops it).
    String message = "x".repeat(64 * 1024);
    int accepted = 0;
    while (socket.offer(message, 0)) {
      accepted++;
      assertTrue(accepted < 10_000, "the queue has no bound: " + accepted + " messages taken");
    }
    assertFalse(socket.offer(message, 0));
    assertFalse(socket.send(new byte[160]));
    peer.close();
    // The connection's end surfaces as a failure, not as the far side closing.
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> socket.closed().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertInstanceOf(IOException.class, Failures.cause(failed));
  }

  @Test
  void theFarSideClosingCompletesNormallyAndIsAnswered() throws Exception {
    JdkRelaySocket socket = connect(null, 16, RelayDelays.NONE);
    Peer peer = accept(socket);
    peer.send(CLOSE, true, new byte[] {0x03, (byte) 0xe8});
    socket.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(CLOSE, peer.read().opcode, "the close is answered");
    assertFalse(socket.offer("late", 0));
    peer.close();
  }

  @Test
  void aRefusedUpgradeFailsOpenedWithTheStatus() throws Exception {
    JdkRelaySocket socket = connect(null, 16, RelayDelays.NONE);
    CompletableFuture<Void> refusing = CompletableFuture.runAsync(() -> {
      try (Socket s = server.accept()) {
        Peer.readHead(new DataInputStream(new BufferedInputStream(s.getInputStream())));
        s.getOutputStream().write(
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> socket.opened().toCompletableFuture().get(10, TimeUnit.SECONDS));
    AppSocket.UpgradeRefused refused =
        assertInstanceOf(AppSocket.UpgradeRefused.class, Failures.cause(failed));
    assertEquals("WebSocket upgrade refused: 404", refused.getMessage());
    assertThrows(ExecutionException.class,
        () -> socket.closed().toCompletableFuture().get(10, TimeUnit.SECONDS));
    refusing.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aDroppedConnectionFailsClosed() throws Exception {
    JdkRelaySocket socket = connect(null, 16, RelayDelays.NONE);
    Peer peer = accept(socket);
    peer.close();
    assertThrows(ExecutionException.class,
        () -> socket.closed().toCompletableFuture().get(10, TimeUnit.SECONDS));
  }

  /** One frame as the peer read it. */
  private record Frame(int opcode, boolean fin, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    byte[] expect(int expected) {
      assertEquals(expected, opcode);
      return payload;
    }
  }

  /** The server side of one WebSocket connection, framing by hand. */
  private static final class Peer {
    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;
    final Map<String, String> headers;

    private Peer(Socket socket, DataInputStream in, Map<String, String> headers)
        throws IOException {
      this.socket = socket;
      this.in = in;
      this.out = new DataOutputStream(socket.getOutputStream());
      this.headers = headers;
    }

    static Peer accept(ServerSocket server) throws Exception {
      Socket socket = server.accept();
      socket.setSoTimeout(10_000);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      Map<String, String> headers = readHead(in);
      String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
          .digest((headers.get("sec-websocket-key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
              .getBytes(StandardCharsets.US_ASCII)));
      StringBuilder response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept
          + "\r\n");
      if (headers.containsKey("sec-websocket-protocol")) {
        response.append("Sec-WebSocket-Protocol: ").append(headers.get("sec-websocket-protocol"))
            .append("\r\n");
      }
      socket.getOutputStream().write(
          response.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new Peer(socket, in, headers);
    }

    /** The request's headers, names in lower case. */
    static Map<String, String> readHead(DataInputStream in) throws IOException {
      List<String> lines = new ArrayList<>();
      StringBuilder line = new StringBuilder();
      while (true) {
        int c = in.read();
        if (c < 0) {
          throw new IOException("request ended early");
        }
        if (c == '\n') {
          String l = line.toString().strip();
          if (l.isEmpty()) {
            break;
          }
          lines.add(l);
          line.setLength(0);
        } else {
          line.append((char) c);
        }
      }
      Map<String, String> headers = new java.util.HashMap<>();
      for (String l : lines.subList(1, lines.size())) {
        int colon = l.indexOf(':');
        headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            l.substring(colon + 1).trim());
      }
      return headers;
    }

    Frame read() throws IOException {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      assertTrue((b1 & 0x80) != 0, "a client's frames are masked");
      byte[] mask = in.readNBytes(4);
      byte[] payload = in.readNBytes((int) length);
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i % 4];
      }
      return new Frame(b0 & 0x0f, (b0 & 0x80) != 0, payload);
    }

    void send(int opcode, boolean fin, byte[] payload) throws IOException {
      out.write((fin ? 0x80 : 0) | opcode);
      if (payload.length < 126) {
        out.write(payload.length);
      } else {
        out.write(126);
        out.writeShort(payload.length);
      }
      out.write(payload);
      out.flush();
    }

    void close() throws IOException {
      socket.close();
    }
  }
}
