package org.switchboard.engine.ring;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Optional;
import org.switchboard.engine.port.Sids;
import org.switchboard.engine.protocol.AmdOptions;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.twiml.verb.Client;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.MachineDetection;
import org.switchboard.engine.twiml.verb.Number;
import org.switchboard.engine.twiml.verb.Sip;
import org.switchboard.engine.twiml.verb.StatusCallback;

/** The legs a {@link DialSession} rings: one {@link LegSpec} per Number, Sip or Client noun. */
final class DialLegs {
  private static final Logger LOG = LoggerFactory.getLogger(DialLegs.class);

  private DialLegs() {}

  /** The leg that rings {@code noun} of {@code dial} for {@code parent}. */
  static LegSpec legSpec(Dial.Noun noun, ParentCall parent, Dial dial, DialContext ctx) {
    StatusCallback callback;
    Optional<LegSpec.TwimlSource> onAnswer;
    if (noun instanceof Number n) {
      callback = n.statusCallback();
      onAnswer = n.url().map(u -> new LegSpec.TwimlSource(u, n.method()));
    } else if (noun instanceof Sip s) {
      if (s.username().isEmpty() && s.password().isPresent()) {
        LOG.warn("{} <Sip password> without username: {} is called without digest credentials",
            parent.callSid(), s.uri());
      }
      callback = s.statusCallback();
      onAnswer = s.url().map(u -> new LegSpec.TwimlSource(u, s.method()));
    } else if (noun instanceof Client c) {
      callback = c.statusCallback();
      onAnswer = c.url().map(u -> new LegSpec.TwimlSource(u, c.method()));
    } else {
      throw new IllegalArgumentException("not a ringing noun: " + noun.getClass().getSimpleName());
    }
    Optional<LegSpec.StatusCallback> legCallback =
        callback.url()
            .map(
                url ->
                    new LegSpec.StatusCallback(
                        url, callback.events().stream().map(e -> e.wire()).toList(), callback.method()));
    String channelId = Sids.random("sb-");
    String endpoint = ctx.plan().endpoint(noun);
    return new LegSpec(
        parent.channel().serverId(),
        channelId,
        SipCredentials.wanted(noun) ? SipCredentials.through(endpoint, channelId) : endpoint,
        DialPlan.target(noun),
        dial.callerId().orElse(parent.from()),
        dial.timeout(),
        Optional.of(parent.callSid()),
        onAnswer,
        legCallback,
        Map.of()).withMachineDetection(machineDetection(noun));
  }

  /**
   * The noun's {@code machineDetection}: the verdict goes to its {@code amdStatusCallback} when it
   * has one (a dial leg has no answer webhook of its own to carry it).
   */
  private static Optional<AmdOptions> machineDetection(Dial.Noun noun) {
    Optional<MachineDetection> d = noun instanceof Number n ? n.machineDetection()
        : noun instanceof Sip s ? s.machineDetection() : Optional.empty();
    return d.map(m -> new AmdOptions(m, m.amdStatusCallback().isPresent(), false));
  }
}
