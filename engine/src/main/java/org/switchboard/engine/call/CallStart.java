package org.switchboard.engine.call;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.AnsweredLegRunner;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.script.ScriptInput;
import org.switchboard.engine.script.Webhook;
import org.switchboard.engine.twiml.verb.Method;

/**
 * How a call's script begins: an inbound call on its {@code StasisEntered} ({@link CallActor}), or
 * the TwiML of an answered outbound leg ({@link LegSpec#onAnswer()}, {@link LegTwiml}).
 *
 * @param application where documents come from; a leg's has no status callback (the leg reports)
 * @param begin the script's first input
 * @param answeredAt set for a leg, which starts answered
 */
record CallStart(
    ChannelRef channel,
    CallParams params,
    VoiceApplication application,
    ScriptInput begin,
    Optional<Instant> answeredAt) {

  /** An inbound call on {@code entered}, run by the application of the number dialled. */
  static CallStart inbound(String callSid, ChannelEvent.StasisEntered entered, CallServices services) {
    ChannelRef channel = new ChannelRef(entered.serverId(), entered.channel().id());
    String exten = entered.channel().exten() == null ? "" : entered.channel().exten();
    CallParams params = CallParams.inbound(services.settings().accountSid(), callSid,
        entered.channel(), services.applications().calledNumber(exten));
    VoiceApplication app = services.applications().applicationFor(exten);
    Optional<Webhook> fallback = app.fallbackUrl().map(u -> new Webhook(u, app.fallbackMethod()));
    ScriptInput begin = new ScriptInput.Begin(new Webhook(app.voiceUrl(), app.voiceMethod()), fallback);
    return new CallStart(channel, params, app, begin, Optional.empty());
  }

  /**
   * The TwiML of an answered leg: From is the caller id presented, To the target, Direction
   * {@code outbound-dial} (or {@code outbound-api} standalone), ParentCallSid when it has a parent.
   */
  static CallStart leg(AnsweredLegRunner.AnsweredLeg leg, CallServices services) {
    LegSpec spec = leg.spec();
    LegSpec.TwimlSource source = spec.onAnswer().orElseThrow();
    CallParams params =
        new CallParams(
            services.settings().accountSid(),
            leg.callSid(),
            CallParams.e164(spec.callerId()),
            spec.target(),
            Optional.empty(),
            Optional.empty(),
            spec.direction(),
            spec.parentCallSid(),
            leg.answeredBy());
    VoiceApplication app =
        new VoiceApplication(
            source.url(), source.method(), source.fallbackUrl(), source.fallbackMethod(),
            Optional.empty(), Method.POST, Set.of());
    Optional<Webhook> fallback = source.fallbackUrl().map(u -> new Webhook(u, source.fallbackMethod()));
    ScriptInput begin =
        source.twiml().isPresent()
            ? new ScriptInput.BeginInline(source.twiml().get(), source.url(), fallback)
            : new ScriptInput.Begin(new Webhook(source.url(), source.method()), fallback);
    Instant answered = leg.answeredAt() != null ? leg.answeredAt() : services.clock().instant();
    return new CallStart(leg.channel(), params, app, begin, Optional.of(answered));
  }

  /** This start running {@code twiml} inline (relative URLs against the voice URL). */
  CallStart withInlineTwiml(String twiml) {
    Optional<Webhook> fallback =
        application.fallbackUrl().map(u -> new Webhook(u, application.fallbackMethod()));
    ScriptInput inline = new ScriptInput.BeginInline(twiml, application.voiceUrl(), fallback);
    return new CallStart(channel, params, application, inline, answeredAt);
  }
}
