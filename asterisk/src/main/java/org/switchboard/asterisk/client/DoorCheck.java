package org.switchboard.asterisk.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.switchboard.asterisk.ari.AriDecodeException;
import org.switchboard.asterisk.ari.AriEvent;
import org.switchboard.asterisk.ari.AriJson;
import org.switchboard.asterisk.router.EngineViews;
import org.switchboard.engine.port.CallDoor;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;

/**
 * The event socket's side of the {@link CallDoor}: run on every frame as it is read (on the
 * socket's thread, in frame order, before the frame is buffered), it takes out of the stream a new
 * call's {@code StasisStart} that the door turns away, and every later frame of that channel. It
 * looks into frames only while the door is {@link CallDoor#watching()}: a {@code StasisStart} is
 * decoded in full, other frames are scanned for their {@code type} and {@code channel.id} only.
 * Channels Switchboard created (legs, snoops, ExternalMedia) and a channel that replaces another
 * are never new calls. A turned-away channel's {@code StasisEnd} (or {@code ChannelDestroyed}) ends
 * the door's watch over it; with subscribeAll a {@code ChannelDestroyed} after it is routed and
 * dropped by the unclaimed call entity as a trailing event.
 */
final class DoorCheck {
  private final String serverId;
  private final AriJson decoder;
  private final Clock clock;
  private volatile CallDoor door = CallDoor.OPEN;

  DoorCheck(String serverId, AriJson decoder, Clock clock) {
    this.serverId = serverId;
    this.decoder = decoder;
    this.clock = clock;
  }

  void door(CallDoor door) {
    this.door = door;
  }

  /** Whether {@code text} stays out of the stream (the door took it). */
  boolean takes(String text) {
    CallDoor d = door;
    if (!d.watching()) {
      return false;
    }
    if (text.indexOf("\"StasisStart\"") >= 0 && d.refusing()) {
      AriEvent event;
      try {
        event = decoder.decode(text);
      } catch (AriDecodeException e) {
        return false; // the stream's own decoding logs it
      }
      if (event instanceof AriEvent.StasisStart start) {
        return newCall(d, start);
      }
    }
    return ofTurnedAway(d, text);
  }

  private boolean newCall(CallDoor d, AriEvent.StasisStart start) {
    if (start.replaceChannel() != null
        || AriEventStream.createdBySwitchboard(start.channel().id())) {
      return false;
    }
    return d.turnAway(new ChannelEvent.StasisEntered(serverId,
        start.timestamp() != null ? start.timestamp() : clock.instant(),
        EngineViews.channelInfo(start.channel()), start.args(), Optional.empty()));
  }

  /** Whether {@code text} is an event of a channel the door turned away. */
  private boolean ofTurnedAway(CallDoor d, String text) {
    String type = null;
    String channelId = null;
    try (JsonParser p = AriJson.MAPPER.getFactory().createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        JsonToken value = p.nextToken();
        if (name.equals("type")) {
          type = p.getValueAsString();
        } else if (name.equals("channel") && value == JsonToken.START_OBJECT) {
          channelId = idOf(p);
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      return false;
    }
    return channelId != null && type != null && d.absorbs(new ChannelRef(serverId, channelId),
        type.equals("StasisEnd") || type.equals("ChannelDestroyed"));
  }

  /** The {@code id} of the object the parser is at the start of; leaves the parser at its end. */
  private static String idOf(JsonParser p) throws IOException {
    String id = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.getCurrentName();
      p.nextToken();
      if (name.equals("id")) {
        id = p.getValueAsString();
      } else {
        p.skipChildren();
      }
    }
    return id;
  }
}
