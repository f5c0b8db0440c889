package org.switchboard.asterisk.sim;

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
   * The reply to {@code r}, or {@link AriRequest.Reply#NO_ANSWER} when an injected {@link SimFault}
   * says it gets none (the caller then answers nothing).
   */
  AriRequest.Reply dispatch(AriRequest r) {
    core.lock.lock();
    try {
      java.util.Optional<SimFault> fault = core.faults.take(r.method(), r.segments());
      if (fault.isPresent()) {
        LOG.log(System.Logger.Level.INFO, "injected fault on " + r.method() + " "
            + String.join("/", r.segments()) + ": " + fault.get().status());
        return fault.get().status() == SimFault.NO_ANSWER
            ? AriRequest.Reply.NO_ANSWER
            : AriRequest.Reply.json(fault.get().status(),
                AriJson.message("Injected failure"));
      }
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
