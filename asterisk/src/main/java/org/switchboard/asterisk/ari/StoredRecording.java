package org.switchboard.asterisk.ari;

/** ARI {@code StoredRecording}: a finished recording file on the Asterisk host. */
public record StoredRecording(String name, String format) {}
