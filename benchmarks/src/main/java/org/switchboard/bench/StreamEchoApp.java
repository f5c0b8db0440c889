package org.switchboard.bench;

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
 * A Media Streams application for {@link StreamRelayLoad}, run in its own JVM so its CPU is not
 * counted as Switchboard's: accepts any number of streams on {@code ws://127.0.0.1:PORT/} and
 * plays every inbound frame straight back ({@code media} with the same payload), as a voice agent
 * answering in real time would. Prints {@code listening PORT}.
 */
public final class StreamEchoApp extends AllDirectives {

  private StreamEchoApp() {}

  /** The string value of {@code "name":"…"} in {@code json} (no escapes in these values). */
  private static String field(String json, String name) {
    String key = "\"" + name + "\":\"";
    int start = json.indexOf(key) + key.length();
    return json.substring(start, json.indexOf('"', start));
  }

  /** {@code StreamEchoApp [port]}. */
  public static void main(String[] args) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "echo-app");
    Materializer materializer = Materializer.matFromSystem(system);
    AtomicLong frames = new AtomicLong();
    Flow<Message, Message, NotUsed> echo = Flow.<Message>create()
        .mapAsync(1, m -> EchoMessages.text(m, materializer))
        .mapConcat(text -> {
          // Switchboard's own media messages, so plain string search is enough and keeps this
          // JVM's CPU low: the machine's cores are shared with the relay being measured.
          if (!text.startsWith("{\"event\":\"media\"")) {
            return java.util.List.of();
          }
          frames.incrementAndGet();
          String reply = "{\"event\":\"media\",\"streamSid\":\"" + field(text, "streamSid")
              + "\",\"media\":{\"payload\":\"" + field(text, "payload") + "\"}}";
          return java.util.List.of((Message) TextMessage.create(reply));
        });
    StreamEchoApp app = new StreamEchoApp();
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    var binding = Http.get(system).newServerAt("127.0.0.1", port)
        .bind(app.handleWebSocketMessages(echo)).toCompletableFuture().get();
    System.out.println("listening " + binding.localAddress().getPort());
    System.out.flush();
  }
}
