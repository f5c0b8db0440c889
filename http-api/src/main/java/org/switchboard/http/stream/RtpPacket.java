package org.switchboard.http.stream;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One RTP packet (RFC 3550): the header fields Switchboard uses and the payload.
 *
 * @param payloadType 7-bit payload type (0 = PCMU, 118 = slin16 as Asterisk sends it)
 * @param marker the marker bit
 * @param sequence 16-bit sequence number
 * @param timestamp 32-bit timestamp (unsigned, kept in a long)
 * @param ssrc 32-bit synchronization source (unsigned, kept in a long)
 * @param payload the payload, without padding
 */
public record RtpPacket(
    int payloadType, boolean marker, int sequence, long timestamp, long ssrc, byte[] payload) {

  private static final int HEADER = 12;

  /** Parses a datagram; throws {@link IllegalArgumentException} for anything not RTP v2. */
  public static RtpPacket parse(byte[] data, int length) {
    if (length < HEADER) {
      throw new IllegalArgumentException("RTP packet too short: " + length + " bytes");
    }
    int b0 = data[0] & 0xFF;
    if (b0 >> 6 != 2) {
      throw new IllegalArgumentException("not RTP version 2 (first byte 0x" + Integer.toHexString(b0) + ")");
    }
    boolean padding = (b0 & 0x20) != 0;
    boolean extension = (b0 & 0x10) != 0;
    int csrcCount = b0 & 0x0F;
    int b1 = data[1] & 0xFF;
    ByteBuffer buf = ByteBuffer.wrap(data, 0, length);
    int sequence = buf.getShort(2) & 0xFFFF;
    long timestamp = Integer.toUnsignedLong(buf.getInt(4));
    long ssrc = Integer.toUnsignedLong(buf.getInt(8));
    int offset = HEADER + 4 * csrcCount;
    if (extension) {
      if (offset + 4 > length) {
        throw new IllegalArgumentException("RTP extension header truncated");
      }
      offset += 4 + 4 * (buf.getShort(offset + 2) & 0xFFFF);
    }
    int end = length;
    if (padding) {
      end -= data[length - 1] & 0xFF;
    }
    if (offset > end) {
      throw new IllegalArgumentException("RTP header longer than packet");
    }
    return new RtpPacket(b1 & 0x7F, (b1 & 0x80) != 0, sequence, timestamp, ssrc,
        Arrays.copyOfRange(data, offset, end));
  }

  /** The packet as a datagram (no CSRCs, no extension, no padding). */
  public byte[] toBytes() {
    ByteBuffer buf = ByteBuffer.allocate(HEADER + payload.length);
    buf.put((byte) 0x80);
    buf.put((byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F)));
    buf.putShort((short) sequence);
    buf.putInt((int) timestamp);
    buf.putInt((int) ssrc);
    buf.put(payload);
    return buf.array();
  }
}
