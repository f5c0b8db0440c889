package org.switchboard.bench;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;

/** What the echo applications of the load harnesses read from a WebSocket message. */
final class EchoMessages {

  private EchoMessages() {}

  /**
   * The text of {@code message}, made strict: a text frame split across TCP reads arrives
   * streamed, and a streamed message left unread stalls the whole socket; a binary message is
   * drained and reads as "".
   */
  static CompletionStage<String> text(Message message, Materializer materializer) {
    if (message.isText()) {
      return message.asTextMessage().toStrict(5_000, materializer).thenApply(t -> t.getStrictText());
    }
    return message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer)
        .thenApply(done -> "");
  }
}
