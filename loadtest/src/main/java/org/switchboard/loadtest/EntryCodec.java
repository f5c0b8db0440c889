package org.switchboard.loadtest;

import java.util.ArrayList;
import java.util.List;

/** Text lines for {@link SimEntry}s, so the simulator process can hand its log over HTTP. */
final class EntryCodec {
  private EntryCodec() {}

  /** One line per entry, tab-separated; tabs and newlines inside fields become spaces. */
  static String encode(List<SimEntry> entries) {
    StringBuilder sb = new StringBuilder(entries.size() * 64);
    for (SimEntry e : entries) {
      if (e instanceof SimEntry.Event ev) {
        sb.append("E\t").append(ev.atMicros()).append('\t').append(clean(ev.type())).append('\t')
            .append(clean(ev.channelId())).append('\t').append(clean(ev.callerNumber()));
      } else if (e instanceof SimEntry.Request r) {
        sb.append("R\t").append(r.atMicros()).append('\t').append(clean(r.method())).append('\t')
            .append(clean(r.path())).append('\t').append(clean(r.params()));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The entries of {@link #encode}'s text; malformed lines are skipped and counted. */
  static List<SimEntry> decode(String text, long[] malformed) {
    List<SimEntry> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      try {
        if (f.length == 5 && f[0].equals("E")) {
          out.add(new SimEntry.Event(Long.parseLong(f[1]), f[2], f[3], f[4]));
        } else if (f.length == 5 && f[0].equals("R")) {
          out.add(new SimEntry.Request(Long.parseLong(f[1]), f[2], f[3], f[4]));
        } else {
          malformed[0]++;
        }
      } catch (NumberFormatException e) {
        malformed[0]++;
      }
    }
    return out;
  }

  private static String clean(String s) {
    return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
