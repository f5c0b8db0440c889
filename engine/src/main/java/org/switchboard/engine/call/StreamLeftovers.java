package org.switchboard.engine.call;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.protocol.CallCommand;

/**
 * A media stream's channel or bridge ({@link CallRouting#streamResource}) that Asterisk lists for
 * a call and no stream of this node runs: a stream is never taken back after a restart (a resumed
 * {@code <Connect>} goes on at its action), so it is a leftover of an earlier incarnation, or of
 * a stream whose own teardown failed, and goes at once. Removed by the call's entity whether no
 * call runs there yet ({@link CallEntity}) or the call already resumed ({@link ScriptRunner}).
 */
final class StreamLeftovers {
  private static final Logger LOG = LoggerFactory.getLogger(StreamLeftovers.class);

  private StreamLeftovers() {}

  /** Hangs up or destroys the leftover {@code r} of the call {@code callSid}. */
  static CompletionStage<Done> remove(AriPort ari, String callSid, CallCommand.Reconcile r) {
    LOG.info("call {}: {} {} on {} is a stream's that no stream here runs: removed", callSid,
        r.bridge() ? "bridge" : "channel", r.resourceId(), r.serverId());
    return r.bridge() ? ari.destroyBridge(r.serverId(), r.resourceId())
        : ari.hangup(new ChannelRef(r.serverId(), r.resourceId()), HangupReason.NORMAL);
  }
}
