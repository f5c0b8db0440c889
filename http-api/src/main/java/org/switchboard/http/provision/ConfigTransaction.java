package org.switchboard.http.provision;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.AriPort.ConfigObject;
import org.switchboard.engine.port.Failures;

/**
 * Objects of ARI's dynamic configuration created or updated all or nothing: each step is a PUT
 * (after a GET that tells whether the object existed); when a step fails, the objects this
 * transaction created are deleted again, newest first, each attempted whatever the others did,
 * and the result fails with {@link StepFailed}. Objects that existed before are updated in place
 * and never deleted by a rollback.
 */
final class ConfigTransaction {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigTransaction.class);

  /** One PUT of the transaction. */
  record Step(String server, ConfigObject object, Map<String, String> fields) {}

  /** The step that failed (its cause is Asterisk's answer); the rollback has run. */
  static final class StepFailed extends RuntimeException {
    private final transient Step step;

    StepFailed(Step step, Throwable cause) {
      super("creating " + step.object() + " on " + step.server() + " failed", cause);
      this.step = step;
    }

    Step step() {
      return step;
    }
  }

  private ConfigTransaction() {}

  /** Runs {@code steps} in order; fails with {@link StepFailed} after rolling back. */
  static CompletableFuture<Void> apply(AriPort ari, List<Step> steps) {
    return run(ari, steps, 0, new ArrayList<>());
  }

  private static CompletableFuture<Void> run(AriPort ari, List<Step> steps, int i,
      List<Step> created) {
    if (i >= steps.size()) {
      return CompletableFuture.completedFuture(null);
    }
    Step step = steps.get(i);
    return ari.configObject(step.server(), step.object()).toCompletableFuture()
        .thenCompose(before -> ari.putConfigObject(step.server(), step.object(), step.fields())
            .toCompletableFuture()
            .thenApply(after -> before.isPresent()))
        .handle((existed, error) -> {
          if (error != null) {
            StepFailed failure = new StepFailed(step, Failures.cause(error));
            return rollback(ari, created).thenCompose(v ->
                CompletableFuture.<Void>failedFuture(failure));
          }
          if (!existed) {
            created.add(step);
          }
          return run(ari, steps, i + 1, created);
        })
        .thenCompose(next -> next);
  }

  /** Deletes {@code created}, newest first, each attempted whatever the others did. */
  private static CompletableFuture<Void> rollback(AriPort ari, List<Step> created) {
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    List<Step> newestFirst = new ArrayList<>(created);
    Collections.reverse(newestFirst);
    for (Step step : newestFirst) {
      chain = chain.thenCompose(v -> ari.deleteConfigObject(step.server(), step.object())
          .toCompletableFuture()
          .handle((gone, error) -> {
            if (error != null) {
              LOG.error("rollback: could not delete {} on {}; delete it by hand: {}",
                  step.object(), step.server(), Failures.cause(error).getMessage());
            } else {
              LOG.info("rollback: deleted {} on {}", step.object(), step.server());
            }
            return null;
          }));
    }
    return chain;
  }
}
