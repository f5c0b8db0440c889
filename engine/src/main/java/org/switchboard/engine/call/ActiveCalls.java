package org.switchboard.engine.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** The calls alive on this node, for metrics and status pages. Thread-safe. */
public final class ActiveCalls {
  private final ConcurrentHashMap<String, ActorRef<CallCommand>> calls = new ConcurrentHashMap<>();

  void register(String callSid, ActorRef<CallCommand> call) {
    calls.put(callSid, call);
  }

  void unregister(String callSid) {
    calls.remove(callSid);
  }

  /** How many calls run here. */
  public int count() {
    return calls.size();
  }

  /** Their CallSids. */
  public Set<String> callSids() {
    return Set.copyOf(calls.keySet());
  }

  /** A snapshot of every call; calls that do not answer within {@code timeout} are left out. */
  public CompletionStage<List<CallSnapshot>> snapshots(ActorSystem<?> system, Duration timeout) {
    List<CompletableFuture<CallSnapshot>> asks = new ArrayList<>();
    for (ActorRef<CallCommand> call : calls.values()) {
      asks.add(
          AskPattern.<CallCommand, CallSnapshot>ask(
                  call, CallCommand.GetSnapshot::new, timeout, system.scheduler())
              .toCompletableFuture()
              .exceptionally(e -> null));
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(v -> asks.stream().map(CompletableFuture::join).filter(s -> s != null).toList());
  }
}
