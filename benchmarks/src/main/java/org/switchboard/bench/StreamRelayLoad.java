package org.switchboard.bench;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.switchboard.http.audio.AudioSettings;
import org.switchboard.http.stream.MediaEncoding;
import org.switchboard.http.stream.MediaStreamSession;
import org.switchboard.http.stream.RelayDelays;
import org.switchboard.http.stream.ScheduledTickSource;
import org.switchboard.http.stream.StreamParams;
import org.switchboard.http.stream.WebSocketClient;
import org.switchboard.http.stream.codec.AudioFormat;

/**
 * N concurrent {@code <Connect><Stream>} sessions at full rate, each way 50 frames/s per stream:
 * a fake Asterisk in this JVM sends each session 20 ms RTP frames and reads what comes back; the
 * application ({@link StreamEchoApp}, another JVM) plays every frame back. Reports Switchboard's
 * CPU per stream (the process's CPU minus the fake Asterisk's two threads), the relay delay
 * percentiles each way ({@link RelayDelays}) and the frames delivered, with the load average
 * ({@link FakeAsteriskLoad}).
 *
 * <p>{@code StreamRelayLoad APP_PORT STREAMS SECONDS [APP_FORMAT [ASTERISK_FORMAT]]}, e.g.
 * {@code 9001 2000 30 audio/pcm;rate=16000 ulaw}. {@code -Dbench.websocket-client=pekko} runs the
 * application sockets on Pekko HTTP's client instead of the JDK's ({@link WebSocketClient}).
 */
public final class StreamRelayLoad {

  private StreamRelayLoad() {}

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    new StreamRelayLoad().run(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
        Integer.parseInt(args[2]),
        AudioFormat.parse(args.length > 3 ? args[3] : "audio/x-mulaw;rate=8000"),
        MediaEncoding.forFormat(args.length > 4 ? args[4] : "ulaw"));
    System.exit(0);
  }

  private void run(int appPort, int streams, int seconds, AudioFormat appFormat,
      MediaEncoding encoding) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "relay-load");
    WebSocketClient client = FakeAsteriskLoad.webSocketClient();
    AudioSettings.Stream settings = new AudioSettings.Stream("127.0.0.1", 3000,
        Duration.ofSeconds(30), encoding.asteriskFormat(), appFormat, client);
    ScheduledTickSource ticks = new ScheduledTickSource();
    FakeAsteriskLoad load = new FakeAsteriskLoad();
    for (int i = 0; i < streams; i++) {
      StreamParams params = new StreamParams(URI.create("ws://127.0.0.1:" + appPort + "/"),
          StreamParams.newStreamSid(), "ACbench", "CA" + i, Optional.empty(),
          List.of(StreamParams.Track.INBOUND), Map.of(), true, encoding, appFormat);
      MediaStreamSession session = MediaStreamSession.create(system, settings, params, ticks,
          event -> { }, Clock.systemUTC(), load.delays());
      load.starting(session.start().toCompletableFuture());
    }
    System.out.printf("%d streams up (%s to the app, %s to Asterisk, %s WebSocket client)%n",
        streams, appFormat, encoding.asteriskFormat(), client);
    load.run(encoding, seconds, "stream");
  }
}
