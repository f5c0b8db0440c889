package org.switchboard.http.realasterisk;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A WebSocket listener handing each whole text message (its frames joined) to a consumer. */
final class TextFrames implements WebSocket.Listener {
  private final Consumer<String> messages;
  private final StringBuilder partial = new StringBuilder();

  TextFrames(Consumer<String> messages) {
    this.messages = messages;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      messages.accept(partial.toString());
      partial.setLength(0);
    }
    ws.request(1);
    return null;
  }
}
