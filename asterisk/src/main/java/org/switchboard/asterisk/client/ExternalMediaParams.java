package org.switchboard.asterisk.client;

/**
 * Parameters of {@code POST /channels/externalMedia}. {@code externalHost} is {@code host:port}
 * for RTP; {@code connectionType} only matters for the websocket transport. Nullable fields are
 * left out.
 */
public record ExternalMediaParams(
    String channelId,
    String externalHost,
    String format,
    String encapsulation,
    String transport,
    String connectionType,
    String direction,
    String data) {}
