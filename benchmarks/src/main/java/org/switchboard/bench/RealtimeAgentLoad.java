package org.switchboard.bench;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.switchboard.http.api.MetricsRegistry;
import org.switchboard.http.stream.MediaEncoding;
import org.switchboard.http.stream.RealtimeSession;
import org.switchboard.http.stream.RelayDelays;
import org.switchboard.http.stream.ScheduledTickSource;
import org.switchboard.http.stream.StreamParams;
import org.switchboard.http.stream.WebSocketClient;
import org.switchboard.http.stream.realtime.AgentActions;
import org.switchboard.http.stream.realtime.AgentLatency;
import org.switchboard.http.stream.realtime.AgentOptions;
import org.switchboard.http.stream.realtime.RealtimeEvents;
import org.switchboard.http.stream.realtime.RealtimeSettings;

/**
 * N concurrent Realtime agent sessions ({@code <Connect><Stream protocol="openai-realtime">}) at
 * full rate: a fake Asterisk in this JVM sends each session a 20 ms µ-law RTP frame every 20 ms
 * and reads what comes back; the agent ({@link RealtimeEchoAgent}, another JVM) answers each
 * {@code input_audio_buffer.append} with a 20 ms delta. So this JVM holds only Switchboard's
 * sessions and the fake Asterisk, whose two threads' CPU is subtracted: the CPU per session and
 * the relay delays are the node's alone. The relay delay is {@link RelayDelays}'s, per frame,
 * inside Switchboard: inbound from the RTP packet read to its {@code input_audio_buffer.append}
 * handed to the agent's socket (µ-law decoded, resampled to 24 kHz, base64, JSON), outbound from
 * the delta arriving to its RTP frame leaving (which includes the wait for its 20 ms slot). The
 * fake Asterisk and the measurement are {@link FakeAsteriskLoad}'s.
 *
 * <p>{@code RealtimeAgentLoad AGENT_PORT SESSIONS SECONDS [pcm16|g711_ulaw]}, e.g.
 * {@code 9002 200 30}. {@code -Dbench.websocket-client=pekko} runs the agent sockets on Pekko
 * HTTP's client instead of the JDK's ({@link WebSocketClient}).
 */
public final class RealtimeAgentLoad {

  private RealtimeAgentLoad() {}

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    run(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
        args.length > 3 ? args[3] : "pcm16");
    System.exit(0);
  }

  private static void run(int agentPort, int sessions, int seconds, String audioFormat)
      throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "realtime-load");
    ScheduledTickSource ticks = new ScheduledTickSource();
    FakeAsteriskLoad load = new FakeAsteriskLoad();
    WebSocketClient client = FakeAsteriskLoad.webSocketClient();
    RealtimeSettings settings = new RealtimeSettings("", false, Duration.ofSeconds(120), 3000,
        RealtimeEvents.SessionShape.BETA, client);
    AgentOptions options = AgentOptions.fromParameters(Map.of("audioFormat", audioFormat));
    MediaEncoding encoding =
        RealtimeSession.encodingFor(options.audioFormat(), StreamParams.Transport.RTP);
    AgentLatency latency = new AgentLatency(new MetricsRegistry());
    for (int i = 0; i < sessions; i++) {
      StreamParams params = new StreamParams(
          URI.create("ws://127.0.0.1:" + agentPort + "/v1/realtime?model=bench"),
          StreamParams.newStreamSid(), "ACbench", "CA" + i, Optional.empty(),
          List.of(StreamParams.Track.INBOUND), Map.of(), true, encoding);
      RealtimeSession session = RealtimeSession.create(system, "127.0.0.1", settings, params,
          options, NO_ACTIONS, ticks, event -> { }, Clock.systemUTC(), latency, load.delays());
      load.starting(session.start().toCompletableFuture());
    }
    System.out.printf("%d agent sessions up (%s to the agent, %s to Asterisk, %s WebSocket"
        + " client)%n", sessions, options.audioFormat().wire(), encoding.asteriskFormat(), client);
    load.run(encoding, seconds, "session");
    MetricsRegistry.Totals playout = latency.playoutTotals();
    System.out.printf("first delta of an item -> its RTP frame (switchboard_agent_playout_delay,"
        + " whole run): n=%d, mean %.3f ms%n", playout.count(),
        playout.count() == 0 ? 0 : playout.sum() * 1000 / playout.count());
  }

  /** The agent's tool calls do nothing here (the echo agent makes none). */
  private static final AgentActions NO_ACTIONS = new AgentActions() {
    @Override
    public void hangUp(String reason) { }

    @Override
    public CompletionStage<String> callTool(String name, String callId, String arguments) {
      return CompletableFuture.completedFuture("{}");
    }

    @Override
    public void continueWith(String twiml) { }
  };
}
