package org.switchboard.http.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A set of IP address ranges written in CIDR notation ({@code 127.0.0.0/8}, {@code ::1/128}) or
 * as single addresses ({@code 10.0.0.5}). Only literal addresses are accepted, never host names,
 * so parsing never looks anything up.
 */
public final class AddressRanges {
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  private record Range(byte[] network, int prefixBits, String text) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Range> ranges;

  private AddressRanges(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** No address at all. */
  public static AddressRanges none() {
    return new AddressRanges(List.of());
  }

  /**
   * Parses each entry; an entry that is not a literal address with an optional {@code /bits}
   * prefix fails with an {@link IllegalArgumentException} naming it.
   */
  public static AddressRanges parse(List<String> entries) {
    List<Range> ranges = new ArrayList<>();
    for (String entry : entries) {
      ranges.add(range(entry.trim()));
    }
    return new AddressRanges(ranges);
  }

  /** True when {@code address} lies in one of the ranges. */
  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    for (Range range : ranges) {
      if (range.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return ranges.stream().map(Range::text).toList().toString();
  }

  private static Range range(String entry) {
    int slash = entry.indexOf('/');
    String host = slash < 0 ? entry : entry.substring(0, slash);
    if (!LITERAL.matcher(host).matches()) {
      throw invalid(entry);
    }
    byte[] network;
    try {
      network = InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      throw invalid(entry);
    }
    int bits = network.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(entry.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw invalid(entry);
      }
      if (bits < 0 || bits > network.length * 8) {
        throw invalid(entry);
      }
    }
    return new Range(network, bits, entry);
  }

  private static IllegalArgumentException invalid(String entry) {
    return new IllegalArgumentException(
        "'" + entry + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8, ::1/128)");
  }
}
