package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.switchboard.http.realasterisk.RealAsterisk;
import org.switchboard.http.stream.FakeRealtimeServer;

/**
 * {@link RealtimeAgentOnAsteriskTest} with the agent's ExternalMedia channel over Asterisk's
 * WebSocket channel driver ({@code switchboard.audio.stream.websocket-servers = ["*"]}): slin16 both
 * ways, no RTP port; the same speech, barge-in, recording and hangup checks. chan_websocket queues
 * the agent's audio and plays it by its own timer: the truncate counts what Asterisk reported
 * played ({@code MARK_MEDIA}), and the barge-in's {@code FLUSH_MEDIA} stops what it had queued.
 */
@Tag(RealAsterisk.TAG)
class RealtimeAgentOverWebSocketOnAsteriskTest extends RealtimeAgentOnAsteriskTest {

  @Override
  Map<String, String> nodeSettings() {
    // A numerically indexed object is read as the list ["*"].
    return Map.of("switchboard.audio.stream.websocket-servers.0", "*");
  }

  @Override
  void callerSpeaksAndAgentHears(String channel, FakeRealtimeServer.Connection conn) {
    // The session connects to the agent (session.update) before it creates its ExternalMedia
    // channel: wait for the channel rather than look once.
    ClusterNodeProcess.awaitTrue(() -> h.rest("GET", "/channels").body().contains("\"WebSocket/"),
        "the agent's ExternalMedia channel, a chan_websocket one", Duration.ofSeconds(20));
    String channels = h.rest("GET", "/channels").body();
    assertTrue(!channels.contains("\"UnicastRTP/"), "no RTP channel: " + channels);
    super.callerSpeaksAndAgentHears(channel, conn);
  }
}
