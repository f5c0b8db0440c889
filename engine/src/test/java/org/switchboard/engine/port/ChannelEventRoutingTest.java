package org.switchboard.engine.port;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of engine event names the channel and bridge it concerns, and routes by them. */
class ChannelEventRoutingTest {

  private static final String S = "ast1";
  private static final Instant T = Instant.parse("2026-12-07T08:00:00Z");
  private static final Optional<String> NONE = Optional.empty();
  private static final Optional<String> CH = Optional.of("ch-1");
  private static final Optional<String> BR = Optional.of("br-1");

  static Stream<Arguments> events() {
    ChannelEvent.ChannelInfo info =
        new ChannelEvent.ChannelInfo("ch-1", "PJSIP/a-1", "Ring",
            new ChannelEvent.Party("+1555", ""), new ChannelEvent.Party("", ""),
            "in", "100", "", "en", T);
    return Stream.of(
        row(new ChannelEvent.StasisEntered(S, T, info, List.of(), NONE), CH, NONE),
        row(new ChannelEvent.StasisLeft(S, T, "ch-1"), CH, NONE),
        row(new ChannelEvent.StateChanged(S, T, "ch-1", "Up"), CH, NONE),
        row(new ChannelEvent.DtmfReceived(S, T, "ch-1", "5", 120), CH, NONE),
        row(new ChannelEvent.PlaybackStarted(S, T, "pb", CH, NONE), CH, NONE),
        row(new ChannelEvent.PlaybackStarted(S, T, "pb", NONE, BR), NONE, BR),
        row(new ChannelEvent.PlaybackFinished(S, T, "pb", NONE, BR, false), NONE, BR),
        row(new ChannelEvent.PlaybackFinished(S, T, "pb", CH, NONE, true), CH, NONE),
        row(new ChannelEvent.RecordingStarted(S, T, "r", CH, NONE), CH, NONE),
        row(new ChannelEvent.RecordingFinished(S, T, "r", NONE, BR, 3), NONE, BR),
        row(new ChannelEvent.RecordingFailed(S, T, "r", CH, NONE, "gone"), CH, NONE),
        row(new ChannelEvent.HangupRequested(S, T, "ch-1", 16, false), CH, NONE),
        row(new ChannelEvent.ChannelDestroyed(S, T, "ch-1", 16, "Normal Clearing"), CH, NONE),
        row(new ChannelEvent.DialProgress(S, T, "ch-1", "RINGING"), CH, NONE),
        row(new ChannelEvent.EnteredBridge(S, T, "ch-1", "br-1"), CH, BR),
        row(new ChannelEvent.LeftBridge(S, T, "ch-1", "br-1"), CH, BR),
        row(new ChannelEvent.BridgeDestroyed(S, T, "br-1"), NONE, BR),
        row(new ChannelEvent.TalkingChanged(S, T, "ch-1", true), CH, NONE),
        row(new ChannelEvent.VariableSet(S, T, "ch-1", "X", "y"), CH, NONE));
  }

  private static Arguments row(ChannelEvent e, Optional<String> channel, Optional<String> bridge) {
    return Arguments.of(e, channel, bridge);
  }

  @ParameterizedTest
  @MethodSource("events")
  void namesItsChannelAndBridgeAndRoutesByTheChannelFirst(
      ChannelEvent event, Optional<String> channel, Optional<String> bridge) {
    assertEquals(channel, event.channelId());
    assertEquals(bridge, event.bridgeId());
    assertEquals(channel.or(() -> bridge).orElseThrow(), event.routingId());
  }
}
