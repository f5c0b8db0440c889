package org.switchboard.loadtest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the load generator knows about one call it placed. */
final class LoadCall {
  final int index;
  final String from;
  final long placedNanos;
  String channel;
  String callSid;
  boolean ended;
  boolean finalized;
  boolean deviated;
  boolean pressedMenu;
  boolean recording;
  boolean bridged;
  boolean hangupRequested;
  boolean rang;
  String hangupTarget;
  final Set<String> pages = new HashSet<>(8);
  final List<TestApp.Webhook> webhooks = new ArrayList<>(6);
  final LongSeries requests = new LongSeries();
  final LongSeries stasisStarts = new LongSeries();
  final LongSeries digits = new LongSeries();
  final LongSeries recordingsFinished = new LongSeries();

  LoadCall(int index, String from, long placedNanos) {
    this.index = index;
    this.from = from;
    this.placedNanos = placedNanos;
  }

  /** Times of the events that can trigger a webhook for {@code page}, or null if none does. */
  LongSeries triggersOf(String page) {
    return switch (page) {
      case "incoming" -> stasisStarts;
      case "menu" -> digits;
      case "recorded" -> recordingsFinished;
      default -> null;
    };
  }
}
