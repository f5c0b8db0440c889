package org.switchboard.asterisk.sim;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Originate, create + dial, and what the far end does afterwards. Local dial strings produce a
 * {@code ;1}/{@code ;2} pair like Asterisk; other technologies produce one channel. Callers hold the
 * core's lock.
 */
final class Dialing {
  private static final Set<String> TECHNOLOGIES =
      Set.of("Local", "PJSIP", "SIP", "IAX2", "DAHDI", "Motif");
  private static final Pattern CALLER_ID = Pattern.compile("\\s*\"?([^\"<]*?)\"?\\s*<([^>]*)>\\s*");
  private final SimCore core;

  Dialing(SimCore core) {
    this.core = core;
  }

  /** POST /channels (create = false) or POST /channels/create (create = true). */
  SimChannel originate(OriginateRequest r, boolean create) {
    if (r.endpoint() == null || r.endpoint().isBlank()) {
      throw AriError.of(400, "Endpoint must be specified");
    }
    if (create && (r.app() == null || r.app().isBlank())) {
      throw AriError.of(400, "Application is required");
    }
    if (r.app() == null && r.extension() == null) {
      throw AriError.of(400, "Application or extension must be specified");
    }
    int slash = r.endpoint().indexOf('/');
    String tech = slash > 0 ? r.endpoint().substring(0, slash) : "";
    if (!TECHNOLOGIES.contains(tech) || slash == r.endpoint().length() - 1) {
      throw AriError.allocationFailed();
    }
    String resource = r.endpoint().substring(slash + 1);
    boolean local = tech.equals("Local");
    String context = local && resource.contains("@")
        ? resource.substring(resource.indexOf('@') + 1).replaceFirst("/.*$", "") : "default";
    String exten = local && resource.contains("@")
        ? resource.substring(0, resource.indexOf('@')) : "s";
    boolean inbound = local && context.matches(core.config.inboundContextPattern());
    DialBehaviour behaviour = inbound ? null : core.dialPlan.resolve(r.endpoint());
    if (behaviour instanceof DialBehaviour.Fail || (local && !resource.contains("@"))) {
      throw AriError.allocationFailed();
    }
    if (r.channelId() != null) {
      core.requireUnusedUniqueId(r.channelId());
    }
    if (r.otherChannelId() != null) {
      core.requireUnusedUniqueId(r.otherChannelId());
      if (r.channelId() != null
          && r.channelId().regionMatches(true, 0, r.otherChannelId(), 0, r.otherChannelId().length())) {
        // Asterisk creates the ;1 half first, so the ;2 id is then looked up against it.
        throw AriError.of(409, "Channel with given unique ID already exists");
      }
    }
    String legId = r.channelId() != null ? r.channelId() : core.uniqueId();
    SimChannel leg;
    SimChannel far = null;
    if (local) {
      String farId = r.otherChannelId() != null ? r.otherChannelId()
          : r.channelId() != null ? r.channelId() + ";2" : core.uniqueId();
      String base = "Local/" + exten + "@" + context + "-" + core.localSuffix();
      leg = core.newChannel(legId, base + ";1", tech, "Down");
      far = core.newChannel(farId, base + ";2", tech, "Ring");
      far.secondHalf = true;
      leg.localPeer = far;
      far.localPeer = leg;
      far.context = context;
      far.exten = exten;
      leg.dialString = exten + "@" + context;
    } else {
      String device = resource.contains("@") ? resource.substring(resource.indexOf('@') + 1)
          : resource;
      leg = core.newChannel(legId, tech + "/" + device + "-" + core.localSuffix(), tech, "Down");
      leg.dialString = resource;
    }
    leg.context = context;
    leg.exten = exten;
    applyCallerId(leg, r.callerId());
    if (r.originator() != null && core.channels.containsKey(r.originator())) {
      SimChannel o = core.channels.get(r.originator());
      leg.connectedName = o.callerName;
      leg.connectedNumber = o.callerNumber;
    } else {
      leg.connectedName = leg.callerName;
      leg.connectedNumber = leg.callerNumber;
    }
    if (r.variables() != null) {
      leg.variables.putAll(r.variables());
    }
    core.emitSimple("ChannelCreated", leg);
    if (far != null) {
      far.callerName = leg.callerName;
      far.callerNumber = leg.callerNumber;
      far.connectedName = leg.callerName;
      far.connectedNumber = leg.callerNumber;
      core.emitSimple("ChannelCreated", far);
    }
    leg.appName = "AppDial2";
    leg.appData = "(Outgoing Line)";
    if (r.app() != null) {
      core.hub.subscribe(r.app(), leg.id);
      if (far != null && !create) {
        // Asterisk subscribes the app to both halves of an originated Local pair; after create
        // the ;2 half's events are not delivered (AriFidelityTest).
        core.hub.subscribe(r.app(), far.id);
      }
    }
    if (behaviour instanceof DialBehaviour.Nonexistent && far != null) {
      core.destroy(far, Causes.UNKNOWN);
      core.destroy(leg, Causes.UNKNOWN);
      return leg;
    }
    if (create) {
      core.dialplanApp(leg, "Stasis", String.join(",", SimCore.prepend(r.app(), r.appArgs())));
      core.enterStasis(leg, r.app(), r.appArgs(), false);
      return leg;
    }
    leg.dialMode = SimChannel.DialMode.ORIGINATE;
    leg.pendingApp = r.app();
    leg.pendingArgs = r.appArgs();
    leg.pendingExtension = r.app() == null ? r.extension() : null;
    core.dial(leg, "", leg.dialString);
    if (inbound) {
      startInboundFarEnd(far, exten);
    } else {
      startFarEnd(leg, behaviour);
    }
    if (r.timeoutSeconds() > 0) {
      core.later(leg, Duration.ofSeconds(r.timeoutSeconds()), () -> timeout(leg));
    }
    return leg;
  }

  /** POST /channels/{id}/dial on a created channel. */
  void dialCreated(SimChannel leg, int timeoutSeconds) {
    if (leg.dialMode != SimChannel.DialMode.NONE) {
      throw AriError.of(409, "Channel is already dialing");
    }
    leg.dialMode = SimChannel.DialMode.CREATED;
    core.dial(leg, "", leg.dialString);
    SimChannel far = leg.localPeer;
    if (far != null && core.config.inboundContextPattern() != null
        && far.context.matches(core.config.inboundContextPattern())) {
      startInboundFarEnd(far, far.exten);
    } else {
      startFarEnd(leg, core.dialPlan.resolve(leg.technology + "/" + leg.dialString));
    }
    if (timeoutSeconds > 0) {
      core.later(leg, Duration.ofSeconds(timeoutSeconds), () -> timeout(leg));
    }
  }

  /** The {@code ;2} half of an inbound Local call runs {@code Stasis(app,inbound,exten)}. */
  private void startInboundFarEnd(SimChannel far, String exten) {
    far.appName = "Stasis";
    far.appData = core.config.app() + ",inbound," + exten;
    if (!core.enterStasis(far, core.config.app(), List.of("inbound", exten), true)) {
      far.inDialplan = true;
      core.hangup(far, Causes.NORMAL, SimCore.HangupStart.DIALPLAN);
    }
  }

  private void startFarEnd(SimChannel leg, DialBehaviour b) {
    if (leg.localPeer != null) {
      leg.localPeer.inDialplan = true;
    }
    Duration after = Duration.ZERO;
    if (b instanceof DialBehaviour.Answer a) {
      after = a.after();
    } else if (b instanceof DialBehaviour.Busy x) {
      after = x.after();
    } else if (b instanceof DialBehaviour.Congestion x) {
      after = x.after();
    } else if (b instanceof DialBehaviour.Reject x) {
      after = x.after();
    } else if (b instanceof DialBehaviour.NoAnswer || b instanceof DialBehaviour.Nonexistent) {
      ringing(leg);
      return;
    }
    if (!after.isZero()) {
      ringing(leg);
    }
    core.later(leg, after, () -> farOutcome(leg, b));
  }

  private void farOutcome(SimChannel leg, DialBehaviour b) {
    if (leg.dialFinished) {
      return;
    }
    if (b instanceof DialBehaviour.Answer) {
      answerLeg(leg);
    } else if (b instanceof DialBehaviour.Busy) {
      busy(leg, "BUSY", Causes.BUSY);
    } else if (b instanceof DialBehaviour.Congestion) {
      busy(leg, "CONGESTION", Causes.CONGESTION);
    } else {
      reject(leg);
    }
  }

  /** The far end rings: the leg goes to Ringing. */
  void ringing(SimChannel leg) {
    if (leg.dialFinished || "Ringing".equals(leg.state) || leg.isUp()) {
      return;
    }
    core.stateChange(leg, "Ringing");
    core.dial(leg, "RINGING", eventDialString(leg));
  }

  /** The far end answers: far Up, leg Up, Dial(ANSWER), then the leg's app or dialplan. */
  void answerLeg(SimChannel leg) {
    leg.dialFinished = true;
    if (leg.localPeer != null) {
      core.stateChange(leg.localPeer, "Up");
    }
    core.stateChange(leg, "Up");
    core.dial(leg, "ANSWER", eventDialString(leg));
    if (leg.pendingApp != null) {
      String app = leg.pendingApp;
      leg.pendingApp = null;
      if (!core.enterStasis(leg, app, leg.pendingArgs, false)) {
        leg.inDialplan = true;
        core.hangup(leg, Causes.NORMAL, SimCore.HangupStart.DIALPLAN);
      }
    } else if (leg.pendingExtension != null) {
      leg.inDialplan = true;
      leg.talkLoop = leg.pendingExtension.equals("talk");
      leg.pendingExtension = null;
    }
  }

  private void busy(SimChannel leg, String status, int realCause) {
    leg.dialFinished = true;
    SimChannel far = leg.localPeer;
    if (far != null) {
      core.stateChange(far, "Busy");
    }
    core.dial(leg, status, eventDialString(leg));
    if (leg.dialMode == SimChannel.DialMode.CREATED) {
      return;
    }
    if (far == null) {
      core.destroy(leg, realCause);
      return;
    }
    core.hangupRequest(far, Causes.UNKNOWN, false);
    core.destroy(leg, Causes.UNKNOWN);
    core.hangupRequest(far, 16, true);
    core.destroy(far, realCause);
  }

  private void reject(SimChannel leg) {
    leg.dialFinished = true;
    SimChannel far = leg.localPeer;
    if (far != null) {
      core.hangupRequest(far, 16, true);
    }
    core.hangupRequest(leg, Causes.REJECTED, false);
    if (far != null) {
      core.destroy(far, Causes.REJECTED);
    }
    if (leg.dialMode == SimChannel.DialMode.ORIGINATE) {
      core.dial(leg, "NOANSWER", eventDialString(leg));
    }
    core.detach(leg);
    core.destroy(leg, Causes.REJECTED);
  }

  /** The originate or dial timeout expired before an answer: cause 19. */
  private void timeout(SimChannel leg) {
    if (leg.dialFinished || leg.destroyed) {
      return;
    }
    leg.dialFinished = true;
    SimChannel far = leg.localPeer;
    if (leg.dialMode == SimChannel.DialMode.CREATED) {
      core.hangupRequest(leg, 32, true);
      core.detach(leg);
    }
    if (far != null) {
      far.cancelTimers();
      core.hangupRequest(far, Causes.NO_ANSWER, false);
    }
    core.destroy(leg, Causes.NO_ANSWER);
    if (far != null) {
      core.hangupRequest(far, 16, true);
      core.destroy(far, Causes.NO_ANSWER);
    }
  }

  private static String eventDialString(SimChannel leg) {
    return leg.dialMode == SimChannel.DialMode.CREATED ? "" : leg.dialString;
  }

  static void applyCallerId(SimChannel c, String callerId) {
    if (callerId == null || callerId.isBlank()) {
      return;
    }
    Matcher m = CALLER_ID.matcher(callerId);
    if (m.matches()) {
      c.callerName = m.group(1).trim();
      c.callerNumber = m.group(2).trim();
    } else {
      c.callerNumber = callerId.trim();
    }
  }
}
