package org.switchboard.asterisk.ari;

/** ARI {@code DialplanCEP}: where a channel is in the dialplan (context, extension, priority). */
public record DialplanCEP(
    String context, String exten, long priority, String appName, String appData) {}
