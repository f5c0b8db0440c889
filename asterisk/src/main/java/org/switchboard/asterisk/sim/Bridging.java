package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Bridge life cycle and membership. Callers hold the core's lock. */
final class Bridging {
  private static final Set<String> TYPES = Set.of("mixing", "holding", "dtmf_events",
      "proxy_media", "video_sfu", "video_single", "sdp_label");
  private final SimCore core;

  Bridging(SimCore core) {
    this.core = core;
  }

  SimBridge bridge(String id) {
    SimBridge b = core.bridges.get(id);
    if (b == null) {
      throw AriError.of(404, "Bridge not found");
    }
    return b;
  }

  SimBridge create(String id, String types, String name) {
    String typeList = types == null || types.isBlank() ? "mixing" : types;
    for (String t : typeList.split(",")) {
      if (!TYPES.contains(t.trim())) {
        throw AriError.of(500, "Unable to create bridge. Possible duplicate bridge id '"
            + (id == null ? "(null)" : id) + "'");
      }
    }
    if (id != null && core.bridges.containsKey(id)) {
      throw AriError.of(409, "Bridge with id '" + id + "' already exists");
    }
    String bridgeId = id != null ? id : java.util.UUID.randomUUID().toString();
    String type = typeList.contains("holding") ? "holding" : "mixing";
    SimBridge b = new SimBridge(bridgeId, type, name == null ? "" : name, core.clock.now(), null);
    core.bridges.put(bridgeId, b);
    // As on Asterisk, creating a bridge does not subscribe the application to it: only a channel
    // of the application entering it does (add), so an empty bridge that is deleted sends nothing.
    emit("BridgeCreated", b, null);
    return b;
  }

  void add(SimBridge b, String channelList) {
    List<SimChannel> toAdd = new ArrayList<>();
    for (String id : split(channelList)) {
      toAdd.add(stasisChannel(id));
    }
    for (SimChannel c : toAdd) {
      if (b.id.equals(c.bridgeId)) {
        continue;
      }
      if (c.bridgeId != null) {
        leave(c);
      }
      b.channels.add(c.id);
      c.bridgeId = b.id;
      core.hub.subscribe(c.stasisApp, b.id);
      emit("ChannelEnteredBridge", b, c);
    }
  }

  void remove(SimBridge b, String channelList) {
    List<SimChannel> toRemove = new ArrayList<>();
    for (String id : split(channelList)) {
      SimChannel c = stasisChannel(id);
      if (!b.id.equals(c.bridgeId)) {
        throw AriError.of(422, "Channel not in this bridge");
      }
      toRemove.add(c);
    }
    toRemove.forEach(this::leave);
  }

  /** A channel a bridge may take in or let go: live (else 400) and in Stasis (else 422). */
  private SimChannel stasisChannel(String id) {
    SimChannel c = core.channels.get(id);
    if (c == null || c.destroyed) {
      throw AriError.of(400, "Channel not found");
    }
    if (!c.inStasis()) {
      throw AriError.of(422, "Channel not in Stasis application");
    }
    return c;
  }

  /** The channel leaves its bridge: ChannelLeftBridge. */
  void leave(SimChannel c) {
    SimBridge b = core.bridges.get(c.bridgeId);
    c.bridgeId = null;
    if (b == null) {
      return;
    }
    b.channels.remove(c.id);
    emit("ChannelLeftBridge", b, c);
  }

  void destroy(SimBridge b) {
    for (String id : new ArrayList<>(b.channels)) {
      SimChannel c = core.channels.get(id);
      if (c != null) {
        leave(c);
      }
    }
    core.media.targetGone(b.id);
    core.bridges.remove(b.id);
    emit("BridgeDestroyed", b, null);
    core.hub.forget(b.id);
  }

  private void emit(String type, SimBridge b, SimChannel c) {
    ObjectNode e = core.event(type);
    e.set("bridge", AriJson.bridge(b));
    if (c != null) {
      e.set("channel", AriJson.channel(c));
      core.hub.emit(e, List.of(b.id, c.id), null, false);
    } else {
      core.hub.emit(e, List.of(b.id), null, false);
    }
  }

  private static List<String> split(String list) {
    if (list == null || list.isBlank()) {
      throw AriError.of(400, "Missing parameter channel");
    }
    List<String> ids = new ArrayList<>();
    for (String s : list.split(",")) {
      if (!s.isBlank()) {
        ids.add(s.trim());
      }
    }
    return ids;
  }
}
