package org.switchboard.engine.hotline;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.CallRouting;
import org.switchboard.engine.call.Delegation;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.HangupReason;

/**
 * {@code <Echo>} with Asterisk's own media path, the caller staying in Stasis and out of any
 * bridge: a snoop on the caller that hears it ({@code spy=in}, {@code <CallSid>-echo-<n>_}) and a
 * snoop that whispers to it ({@code spy=none}, {@code whisper=out}, {@code
 * <CallSid>-echoback-<n>_}) share a mixing bridge ({@code <CallSid>-br-echo-<n>}), so what the
 * caller says comes back to its ear. {@link Delegation#stop} (the echo's time is up, a redirect,
 * the hangup) hangs both snoops up and destroys the bridge. Chosen over {@code Echo()} in dialplan,
 * which would take the call out of Stasis with no way back but {@code #} or a hangup.
 */
final class EchoLoop {
  private static final Logger LOG = LoggerFactory.getLogger(EchoLoop.class);
  private static final AtomicInteger COUNT = new AtomicInteger();

  private EchoLoop() {}

  /** Starts the echo of the call of {@code c}. */
  static Delegation start(CallDelegates.Context c, AriPort ari) {
    int n = COUNT.incrementAndGet() & Integer.MAX_VALUE;
    ChannelRef caller = c.channel();
    String server = caller.serverId();
    ChannelRef hear = new ChannelRef(server, CallRouting.channelId(c.callSid(), "echo", n));
    ChannelRef speak = new ChannelRef(server, CallRouting.channelId(c.callSid(), "echoback", n));
    String bridge = c.callSid() + "-br-echo-" + n;
    CompletionStage<Done> running = ari.createBridge(server, bridge, "mixing", bridge)
        .thenCompose(d -> ari.snoop(caller, hear.channelId(), "in", "none"))
        .thenCompose(d -> ari.snoop(caller, speak.channelId(), "none", "out"))
        .thenCompose(d -> ari.addToBridge(server, bridge,
            List.of(hear.channelId(), speak.channelId())));
    running.whenComplete((d, error) -> {
      if (error != null) {
        LOG.error("{}: <Echo> could not start: {}; the caller hears silence", c.callSid(),
            Failures.cause(error).getMessage());
      }
    });
    return new Delegation() {
      @Override
      public void stop(String reason) {
        running.handle((d, error) -> null).thenRun(() -> {
          ari.hangup(hear, HangupReason.NORMAL);
          ari.hangup(speak, HangupReason.NORMAL);
          ari.destroyBridge(server, bridge);
        });
      }
    };
  }
}
