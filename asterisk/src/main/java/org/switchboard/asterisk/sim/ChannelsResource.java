package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** {@code /ari/channels…}. Runs under the core's lock. */
final class ChannelsResource {
  private static final Set<String> MUTE_DIRECTIONS = Set.of("both", "in", "out");
  private final SimCore core;
  private final Dialing dialing;

  ChannelsResource(SimCore core, Dialing dialing) {
    this.core = core;
    this.dialing = dialing;
  }

  static void allow(AriRequest r, String... methods) {
    if (!Arrays.asList(methods).contains(r.method())) {
      throw AriError.of(405, "Invalid method");
    }
  }

  AriRequest.Reply handle(AriRequest r) {
    int n = r.segments().size();
    if (n == 1) {
      allow(r, "GET", "POST");
      if (r.method().equals("GET")) {
        ArrayNode list = AriJson.array();
        core.channels.values().forEach(c -> list.add(AriJson.channel(c)));
        return AriRequest.Reply.json(200, list);
      }
      return AriRequest.Reply.json(200, AriJson.channel(dialing.originate(originate(r, null),
          false)));
    }
    String id = r.seg(1);
    if (n == 2 && id.equals("create")) {
      allow(r, "POST");
      return AriRequest.Reply.json(200, AriJson.channel(dialing.originate(originate(r, null),
          true)));
    }
    if (n == 2 && id.equals("externalMedia")) {
      allow(r, "POST");
      return AriRequest.Reply.json(200, new ExternalMediaFactory(core).create(r));
    }
    if (n == 2) {
      allow(r, "GET", "POST", "DELETE");
      if (r.method().equals("POST")) {
        return AriRequest.Reply.json(200, AriJson.channel(dialing.originate(originate(r, id),
            false)));
      }
      SimChannel c = core.channel(id);
      if (r.method().equals("GET")) {
        return AriRequest.Reply.json(200, AriJson.channel(c));
      }
      core.hangup(c, hangupCause(r), SimCore.HangupStart.ARI);
      return AriRequest.Reply.noContent();
    }
    String op = r.seg(2);
    if (n == 3 && op.equals("variable")) {
      allow(r, "GET", "POST");
      return variable(r, core.channel(id));
    }
    if (n == 3 && op.equals("rtp_statistics")) {
      allow(r, "GET");
      core.channel(id);
      throw AriError.of(404, "RTP info not found");
    }
    if (n == 4 && (op.equals("play") || op.equals("snoop"))) {
      allow(r, "POST");
      return op.equals("play") ? play(r, core.stasisChannel(id), r.seg(3))
          : snoop(r, core.stasisChannel(id), r.seg(3));
    }
    if (n != 3) {
      throw AriError.of(404, "Resource not found");
    }
    return operation(r, id, op);
  }

  private AriRequest.Reply operation(AriRequest r, String id, String op) {
    switch (op) {
      case "answer", "dial", "play", "record", "dtmf", "continue", "redirect", "snoop",
          "transfer_progress" -> allow(r, "POST");
      case "ring", "moh", "silence", "hold", "mute" -> allow(r, "POST", "DELETE");
      default -> throw AriError.of(404, "Resource not found");
    }
    SimChannel c = core.stasisChannel(id);
    switch (op) {
      case "answer" -> answer(c);
      case "ring" -> {
        if (r.method().equals("POST") && c.secondHalf && !c.localPeer.destroyed
            && !c.localPeer.dialFinished) {
          dialing.ringing(c.localPeer);
        }
      }
      case "dial" -> dialing.dialCreated(c, r.intParam("timeout", 0));
      case "transfer_progress" -> core.transfers.progress(c, r.param("states"));
      case "play" -> {
        return play(r, c, r.param("playbackId"));
      }
      case "record" -> {
        return record(r, c);
      }
      case "dtmf" -> {
        String dtmf = r.param("dtmf");
        if (dtmf == null) {
          throw AriError.of(400, "DTMF is required");
        }
        core.media.sendDtmf(c, dtmf, r.intParam("before", 0), r.intParam("between", 100),
            r.intParam("duration", 100));
      }
      case "mute" -> {
        String dir = r.param("direction") == null ? "both" : r.param("direction");
        if (!MUTE_DIRECTIONS.contains(dir)) {
          throw AriError.of(400, "Invalid direction specified");
        }
      }
      case "continue" -> continueInDialplan(c, r.param("context"), r.param("extension"));
      case "redirect" -> redirect(r, c);
      case "snoop" -> {
        return snoop(r, c, r.param("snoopId"));
      }
      default -> {
        // moh, silence, hold: accepted with no event, as Asterisk does
      }
    }
    return AriRequest.Reply.noContent();
  }

  private void answer(SimChannel c) {
    if (c.isUp()) {
      return;
    }
    if (c.secondHalf && c.localPeer != null && !c.localPeer.destroyed
        && !c.localPeer.dialFinished) {
      dialing.answerLeg(c.localPeer);
    } else {
      core.stateChange(c, "Up");
    }
  }

  private AriRequest.Reply play(AriRequest r, SimChannel c, String playbackId) {
    SimPlayback p = core.media.play("channel:" + c.id, mediaList(r), playbackId);
    return AriRequest.Reply.json(201, p.queuedView);
  }

  static List<String> mediaList(AriRequest r) {
    List<String> media = new ArrayList<>();
    String m = r.param("media");
    if (m != null) {
      for (String s : m.split(",")) {
        if (!s.isBlank()) {
          media.add(s.trim());
        }
      }
    }
    return media;
  }

  private AriRequest.Reply record(AriRequest r, SimChannel c) {
    SimRecording rec = core.media.recorder.start("channel:" + c.id, r.param("name"),
        r.param("format"), r.intParam("maxDurationSeconds", 0),
        r.intParam("maxSilenceSeconds", 0), r.param("terminateOn"), r.param("ifExists"),
        c.bridgeId != null);
    ObjectNode view = AriJson.recording(rec);
    view.put("state", "queued");
    if (rec.failedEvent != null) {
      core.media.recorder.announceFailure(rec);
    }
    return AriRequest.Reply.json(201, view);
  }

  private AriRequest.Reply variable(AriRequest r, SimChannel c) {
    String name = r.param("variable");
    if (name == null) {
      throw AriError.of(400, "Variable name is required");
    }
    if (r.method().equals("POST") && name.toUpperCase(java.util.Locale.ROOT).startsWith("TALK_DETECT(")
        && name.endsWith(")")) {
      core.media.talk.write(c, name, r.params().getOrDefault("value", ""));
      return AriRequest.Reply.noContent();
    }
    if (r.method().equals("POST") && Transfers.isHandling(name)) {
      core.transfers.handling(c, r.params().getOrDefault("value", ""));
      return AriRequest.Reply.noContent();
    }
    if (r.method().equals("POST")) {
      String value = r.params().getOrDefault("value", "");
      c.variables.put(name, value);
      core.emitChannel(AriJson.object().put("variable", name).put("value", value)
          .put("type", "ChannelVarset").put("timestamp", AriJson.time(core.clock.now())), c);
      return AriRequest.Reply.noContent();
    }
    String value = switch (name) {
      case "CALLERID(num)" -> c.callerNumber;
      case "CALLERID(name)" -> c.callerName;
      case "CONNECTEDLINE(num)" -> c.connectedNumber;
      case "CONNECTEDLINE(name)" -> c.connectedName;
      case "CHANNEL(state)" -> c.state;
      case "CHANNEL(name)" -> c.name;
      case "CHANNEL(uniqueid)", "UNIQUEID" -> c.id;
      case "CHANNEL(language)" -> "en";
      // chan_pjsip's dialplan functions: a Call-ID of the simulator's own, and a far end that
      // answers without X-headers (the empty list PJSIP_RESPONSE_HEADERS gives then)
      case "CHANNEL(pjsip,call-id)" -> "PJSIP".equals(c.technology) ? c.id + "@sim" : null;
      default -> name.startsWith("PJSIP_RESPONSE_HEADERS(") && "PJSIP".equals(c.technology)
          ? "" : c.variables.get(name);
    };
    if (value == null) {
      throw AriError.of(404, "Provided variable was not found");
    }
    return AriRequest.Reply.json(200, AriJson.object().put("value", value));
  }

  private void continueInDialplan(SimChannel c, String context, String extension) {
    String app = c.stasisApp;
    if (AmdDialplan.CONTEXT.equals(context)) {
      core.leaveStasis(c, c.stasisFromDialplan ? 1 : 0);
      core.amd.run(c, app, extension == null ? "" : extension);
      return;
    }
    core.leaveStasis(c);
    if (context != null && context.matches(core.config.reentryContextPattern())) {
      c.inDialplan = true;
      c.context = context;
      core.later(c, Duration.ofSeconds(1), () -> {
        c.variables.put("AFTER_CONTINUE", "yes");
        c.variables.put("STASISSTATUS", "");
        if (!core.enterStasis(c, app, List.of("returned-from-dialplan"), true)) {
          core.hangup(c, Causes.NORMAL, SimCore.HangupStart.DIALPLAN);
        }
      });
      return;
    }
    c.inDialplan = true;
    core.hangup(c, Causes.NORMAL, SimCore.HangupStart.DIALPLAN);
  }

  private void redirect(AriRequest r, SimChannel c) {
    String endpoint = r.param("endpoint");
    if (endpoint == null) {
      throw AriError.of(400, "Required parameter endpoint not provided");
    }
    String tech = endpoint.contains("/") ? endpoint.substring(0, endpoint.indexOf('/')) : endpoint;
    if (!tech.equalsIgnoreCase(c.technology)) {
      throw AriError.of(422, "Endpoint technology '" + tech
          + "' does not match channel technology '" + c.technology + "'");
    }
    if (!"PJSIP".equalsIgnoreCase(c.technology)) {
      return; // Local and other channels: 204 with no effect, as Asterisk does
    }
    transfer(c, endpoint.substring(tech.length() + 1));
  }

  /**
   * A PJSIP channel told to redirect: Asterisk sends the device a REFER (302 while unanswered)
   * and reports nothing of it over ARI. The simulated device does what the dial rules say of
   * {@code PJSIP/<target>}: one that answers takes the transfer and hangs up (cause 16) 200 ms
   * later; any other leaves the channel up, as a failed transfer does.
   */
  private void transfer(SimChannel c, String target) {
    DialBehaviour outcome = core.dialPlan.resolve("PJSIP/" + target);
    if (outcome instanceof DialBehaviour.Answer) {
      core.later(c, Duration.ofMillis(200), () -> {
        if (!c.destroyed) {
          core.hangup(c, Causes.NORMAL, SimCore.HangupStart.REMOTE);
        }
      });
    }
  }

  private AriRequest.Reply snoop(AriRequest r, SimChannel c, String snoopId) {
    String app = r.param("app");
    if (app == null) {
      throw AriError.of(400, "Missing parameter app");
    }
    String id = snoopId != null ? snoopId : core.uniqueId();
    SimChannel s = core.newChannel(id, "Snoop/" + c.id + "-" + core.localSuffix(), "Snoop", "Up");
    String spy = r.param("spy");
    s.snoopOf = spy == null || spy.equals("in") || spy.equals("both") ? c.id : null;
    s.context = "default";
    s.exten = "s";
    s.localPeer = null;
    core.emitSimple("ChannelCreated", s);
    String args = r.param("appArgs");
    core.enterStasis(s, app, args == null ? List.of() : List.of(args.split(",")), false);
    return AriRequest.Reply.json(200, AriJson.channel(s));
  }

  private static int hangupCause(AriRequest r) {
    String code = r.param("reason_code");
    if (code != null) {
      return r.intParam("reason_code", Causes.NORMAL);
    }
    String reason = r.param("reason");
    if (reason == null) {
      return Causes.NORMAL;
    }
    return Causes.forReason(reason)
        .orElseThrow(() -> AriError.of(400, "Invalid reason for hangup reason provided"));
  }

  private static OriginateRequest originate(AriRequest r, String pathId) {
    String args = r.param("appArgs");
    return new OriginateRequest(r.param("endpoint"), r.param("app"),
        args == null ? List.of() : List.of(args.split(",", -1)), r.param("context"),
        r.param("extension"), pathId != null ? pathId : r.param("channelId"),
        r.param("otherChannelId"), r.param("callerId"), r.intParam("timeout", 30),
        r.param("originator"), r.variables());
  }
}
