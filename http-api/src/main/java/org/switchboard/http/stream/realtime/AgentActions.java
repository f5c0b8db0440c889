package org.switchboard.http.stream.realtime;

import java.util.concurrent.CompletionStage;

/** What an agent's tool calls do to the call; the session calls these from any thread. */
public interface AgentActions {

  /** Ends the call (the built-in {@code hangup} tool). */
  void hangUp(String reason);

  /**
   * Posts one tool call to the tools URL (Twilio-style signed parameters) and completes with the
   * application's answer body, or fails when it gave none.
   */
  CompletionStage<String> callTool(String name, String callId, String arguments);

  /** Continues the call with {@code twiml}, as a redirect would (the built-in {@code transfer}). */
  void continueWith(String twiml);
}
