package org.switchboard.bench;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * A Realtime agent for {@link RealtimeAgentLoad}, run in its own JVM so its CPU is not counted as
 * Switchboard's: accepts any number of sessions on {@code ws://127.0.0.1:PORT/} (any path),
 * answers {@code session.update} with {@code session.updated}, and each
 * {@code input_audio_buffer.append} with one {@code response.audio.delta} of 20 ms of audio (a
 * 700 Hz tone, 24 kHz pcm16, or 8 kHz µ-law for {@code g711_ulaw}), each delta a new item, as an
 * agent answering in real time would. Finds event types by string search (Switchboard's own
 * events), no JSON trees, to keep this JVM's CPU low on the shared cores. Prints
 * {@code listening PORT}.
 *
 * <p>{@code RealtimeEchoAgent [PORT [pcm16|g711_ulaw]]}
 */
public final class RealtimeEchoAgent extends AllDirectives {

  private RealtimeEchoAgent() {}

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    boolean ulaw = args.length > 1 && args[1].equals("g711_ulaw");
    String delta = Base64.getEncoder().encodeToString(ulaw ? ulawTone() : pcm16Tone());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "realtime-echo-agent");
    Materializer materializer = Materializer.matFromSystem(system);
    AtomicLong items = new AtomicLong();
    Flow<Message, Message, NotUsed> agent = Flow.<Message>create()
        .mapAsync(1, m -> EchoMessages.text(m, materializer))
        .mapConcat(text -> {
          if (text.startsWith("{\"type\":\"input_audio_buffer.append\"")) {
            return List.of((Message) TextMessage.create(
                "{\"type\":\"response.audio.delta\",\"response_id\":\"resp_bench\",\"item_id\":"
                    + "\"item_" + items.incrementAndGet() + "\",\"output_index\":0,"
                    + "\"content_index\":0,\"delta\":\"" + delta + "\"}"));
          }
          if (text.contains("\"session.update\"")) {
            return List.of((Message) TextMessage.create("{\"type\":\"session.updated\"}"));
          }
          return List.of();
        });
    var binding = Http.get(system).newServerAt("127.0.0.1", port)
        .bind(new RealtimeEchoAgent().handleWebSocketMessages(agent)).toCompletableFuture().get();
    System.out.println("listening " + binding.localAddress().getPort());
    System.out.flush();
  }

  /** 20 ms of a 700 Hz tone, 24 kHz 16-bit little-endian. */
  private static byte[] pcm16Tone() {
    byte[] out = new byte[480 * 2];
    for (int i = 0; i < 480; i++) {
      short v = (short) (5000 * Math.sin(2 * Math.PI * 700 * i / 24000.0));
      out[2 * i] = (byte) v;
      out[2 * i + 1] = (byte) (v >> 8);
    }
    return out;
  }

  /** 20 ms of a 700 Hz tone, 8 kHz µ-law. */
  private static byte[] ulawTone() {
    short[] samples = new short[160];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (short) (5000 * Math.sin(2 * Math.PI * 700 * i / 8000.0));
    }
    return org.switchboard.http.audio.G711.encodeUlaw(samples);
  }
}
