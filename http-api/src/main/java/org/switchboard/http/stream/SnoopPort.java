package org.switchboard.http.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.switchboard.asterisk.client.AriPortAdapter;
import org.switchboard.engine.port.AriCommandException;

/**
 * {@code POST /channels/{id}/snoop}, which the engine's {@code AriPort} does not offer: a
 * {@code <Start><Stream>} taps the caller's audio through a snoop channel instead of bridging the
 * caller, so the script can go on bridging, recording and dialling the caller.
 */
@FunctionalInterface
public interface SnoopPort {

  /**
   * Creates snoop channel {@code snoopId} on {@code channelId} in the Stasis application.
   *
   * @param spy {@code in} (what the channel receives: the caller's voice), {@code out} (what it
   *     sends to the caller) or {@code both}
   */
  CompletionStage<Done> snoop(String serverId, String channelId, String snoopId, String spy);

  /** Snooping through the REST clients of an {@link AriPortAdapter}, by server id. */
  static SnoopPort over(AriPortAdapter adapter) {
    return (serverId, channelId, snoopId, spy) -> adapter.client(serverId)
        .map(client -> client.channels().snoop(channelId, snoopId, spy, null, null)
            .thenApply(channel -> Done.getInstance()))
        .orElseGet(() -> CompletableFuture.failedFuture(
            new AriCommandException(serverId, "snoop", 0, "no ARI server with this id")));
  }
}
