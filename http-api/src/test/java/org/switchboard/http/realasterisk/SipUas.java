package org.switchboard.http.realasterisk;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * A minimal SIP user agent on UDP loopback for tests against a real Asterisk: it answers every
 * INVITE (200 OK with a PCMU offer answer), answers BYE, NOTIFY and OPTIONS with 200, and sends an
 * in-dialog REFER on the call whose Request-URI user it is asked for. Every message it receives
 * is kept, so a test can wait for Asterisk's answers ({@code 202}) and {@code NOTIFY}s.
 */
final class SipUas implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** A dialog Asterisk opened: what an in-dialog request of ours needs. */
  private record Dialog(String callId, String local, String remote, String remoteTarget,
      SocketAddress peer) {}

  private final DatagramSocket socket;
  private final Thread reader;
  private final Map<String, Dialog> dialogs = new ConcurrentHashMap<>();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  SipUas() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    reader = new Thread(this::read, "sip-uas");
    reader.setDaemon(true);
    reader.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Sends {@code REFER} with {@code Refer-To: <sip:target@127.0.0.1>} on the call to {@code user}. */
  void refer(String user, String target) throws IOException {
    Dialog d = await(() -> dialogs.get(user), "a call to " + user);
    String branch = "z9hG4bK" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    String request = "REFER " + d.remoteTarget() + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:" + port() + ";rport;branch=" + branch + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: " + d.local() + "\r\n"
        + "To: " + d.remote() + "\r\n"
        + "Call-ID: " + d.callId() + "\r\n"
        + "CSeq: 1 REFER\r\n"
        + "Contact: <sip:" + user + "@127.0.0.1:" + port() + ">\r\n"
        + "Refer-To: <sip:" + target + "@127.0.0.1>\r\n"
        + "Referred-By: <sip:" + user + "@127.0.0.1>\r\n"
        + "Content-Length: 0\r\n\r\n";
    send(request, d.peer());
  }

  /** Waits for a message Asterisk sent that {@code match} accepts. */
  String awaitMessage(Predicate<String> match, String what) {
    return await(() -> received.stream().filter(match).findFirst().orElse(null), what);
  }

  private <T> T await(java.util.function.Supplier<T> found, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      T value = found.get();
      if (value != null) {
        return value;
      }
      try {
        synchronized (this) {
          wait(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
    throw new AssertionError("no " + what + " from Asterisk; received " + received);
  }

  private void read() {
    byte[] buffer = new byte[65_535];
    while (!closed) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (IOException e) {
        return;
      }
      String message = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
      received.add(message);
      try {
        answer(message, packet.getSocketAddress());
      } catch (IOException e) {
        return;
      }
      synchronized (this) {
        notifyAll();
      }
    }
  }

  private void answer(String message, SocketAddress from) throws IOException {
    String first = message.substring(0, message.indexOf("\r\n"));
    if (first.startsWith("SIP/2.0")) {
      return;
    }
    String method = first.substring(0, first.indexOf(' '));
    if (method.equals("ACK")) {
      return;
    }
    String to = header(message, "To", "t");
    String localTag = to.contains(";tag=") ? "" : ";tag=" + Long.toHexString(
        ThreadLocalRandom.current().nextLong());
    StringBuilder reply = new StringBuilder("SIP/2.0 200 OK\r\n");
    for (String via : headers(message, "Via", "v")) {
      reply.append("Via: ").append(via).append("\r\n");
    }
    reply.append("From: ").append(header(message, "From", "f")).append("\r\n")
        .append("To: ").append(to).append(localTag).append("\r\n")
        .append("Call-ID: ").append(header(message, "Call-ID", "i")).append("\r\n")
        .append("CSeq: ").append(header(message, "CSeq", null)).append("\r\n");
    String body = "";
    if (method.equals("INVITE")) {
      String user = first.substring(first.indexOf("sip:") + 4, first.indexOf('@'));
      String contact = header(message, "Contact", "m");
      dialogs.put(user, new Dialog(header(message, "Call-ID", "i"), to + localTag,
          header(message, "From", "f"), contact.replaceAll("^.*<([^>]*)>.*$", "$1"), from));
      reply.append("Contact: <sip:").append(user).append("@127.0.0.1:").append(port())
          .append(">\r\n").append("Content-Type: application/sdp\r\n");
      body = "v=0\r\no=uas 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio " + (port() + 2) + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
    }
    reply.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length)
        .append("\r\n\r\n").append(body);
    send(reply.toString(), from);
  }

  private void send(String message, SocketAddress to) throws IOException {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    socket.send(new DatagramPacket(bytes, bytes.length, to));
  }

  /** The first value of a header (long or compact name). */
  private static String header(String message, String name, String compact) {
    List<String> all = headers(message, name, compact);
    return all.isEmpty() ? "" : all.get(0);
  }

  private static List<String> headers(String message, String name, String compact) {
    List<String> out = new ArrayList<>();
    String head = message.substring(0, Math.max(0, message.indexOf("\r\n\r\n")));
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String n = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      if (n.equals(name.toLowerCase(Locale.ROOT)) || n.equals(compact)) {
        out.add(line.substring(colon + 1).trim());
      }
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    socket.close();
  }
}
