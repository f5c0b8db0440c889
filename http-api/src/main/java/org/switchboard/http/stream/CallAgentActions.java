package org.switchboard.http.stream;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.stream.realtime.AgentActions;

/**
 * An agent's tool calls on one call: {@code hangup} and {@code transfer} tell the call actor
 * ({@link CallCommand.HangUp}, {@link CallCommand.Redirect} with the TwiML), tools are POSTed to
 * the tools URL with {@code AccountSid}, {@code CallSid}, {@code StreamSid}, {@code ToolName},
 * {@code ToolCallId} and {@code Arguments} (signed like every webhook).
 */
final class CallAgentActions implements AgentActions {

  private final ActorRef<CallCommand> call;
  private final WebhookPort webhooks;
  private final Optional<URI> toolsUrl;
  private final StreamParams params;

  CallAgentActions(ActorRef<CallCommand> call, WebhookPort webhooks, Optional<URI> toolsUrl,
      StreamParams params) {
    this.call = call;
    this.webhooks = webhooks;
    this.toolsUrl = toolsUrl;
    this.params = params;
  }

  @Override
  public void hangUp(String reason) {
    call.tell(new CallCommand.HangUp(reason));
  }

  @Override
  public CompletionStage<String> callTool(String name, String callId, String arguments) {
    if (toolsUrl.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalStateException("no toolsUrl"));
    }
    List<Map.Entry<String, String>> form = List.of(
        Map.entry("AccountSid", params.accountSid()), Map.entry("CallSid", params.callSid()),
        Map.entry("StreamSid", params.streamSid()), Map.entry("ToolName", name),
        Map.entry("ToolCallId", callId), Map.entry("Arguments", arguments));
    return webhooks.fetch(new WebhookPort.WebhookRequest(toolsUrl.get(), Method.POST, form,
            params.callSid(), "agent-tool"))
        .thenApply(response -> {
          if (response.status() / 100 != 2) {
            throw new IllegalStateException("the tools URL answered " + response.status());
          }
          return new String(response.body(), StandardCharsets.UTF_8);
        });
  }

  @Override
  public void continueWith(String twiml) {
    call.tell(new CallCommand.Redirect(Optional.empty(), Method.POST, Optional.of(twiml)));
  }
}
