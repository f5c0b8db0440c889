package org.switchboard.asterisk.sim;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Routes a parsed ARI request to its resource under the core's lock; errors become replies. */
final class AriDispatcher {
  private static final System.Logger LOG = System.getLogger(AriDispatcher.class.getName());
  private final SimCore core;
  private final ChannelsResource channels;
  private final BridgesResource bridges;
  private final MiscResources misc;

  AriDispatcher(SimCore core) {
    this.core = core;
    this.channels = new ChannelsResource(core, new Dialing(core));
    this.bridges = new BridgesResource(core);
    this.misc = new MiscResources(core);
  }

  /**
   * The reply to {@code r}: at once, or, when an injected {@link SimFault#late} fault holds it,
   * once the request has run after the fault's delay; {@link AriRequest.Reply#NO_ANSWER} when an
   * injected {@link SimFault} says it gets none (the caller then answers nothing).
   */
  CompletionStage<AriRequest.Reply> dispatch(AriRequest r) {
    Optional<SimFault> fault = core.locked(() -> core.faults.take(r.method(), r.segments()));
    if (fault.isEmpty()) {
      return CompletableFuture.completedFuture(run(r));
    }
    SimFault f = fault.get();
    LOG.log(System.Logger.Level.INFO, "injected fault on " + r.method() + " "
        + String.join("/", r.segments()) + ": "
        + (f.isLate() ? "runs in " + f.delay().toMillis() + " ms" : f.status()));
    if (f.isLate()) {
      CompletableFuture<AriRequest.Reply> late = new CompletableFuture<>();
      core.clock.schedule(f.delay(), () -> late.complete(run(r)));
      return late;
    }
    return CompletableFuture.completedFuture(f.status() == SimFault.NO_ANSWER
        ? AriRequest.Reply.NO_ANSWER
        : AriRequest.Reply.json(f.status(), AriJson.message("Injected failure")));
  }

  /** Runs {@code r} under the core's lock; errors become replies. */
  private AriRequest.Reply run(AriRequest r) {
    core.lock.lock();
    try {
      if (r.segments().isEmpty()) {
        throw AriError.of(404, "Resource not found");
      }
      return switch (r.seg(0)) {
        case "channels" -> channels.handle(r);
        case "bridges" -> bridges.handle(r);
        case "playbacks" -> misc.playbacks(r);
        case "recordings" -> misc.recordings(r);
        case "applications" -> misc.applications(r);
        case "asterisk" -> misc.asterisk(r);
        default -> throw AriError.of(404, "Resource not found");
      };
    } catch (AriError e) {
      return AriRequest.Reply.json(e.status, e.body);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "simulator failed on " + r.method() + " "
          + r.segments(), e);
      return AriRequest.Reply.json(500,
          AriJson.message("An internal error prevented this request from being handled"));
    } finally {
      core.lock.unlock();
    }
  }
}
