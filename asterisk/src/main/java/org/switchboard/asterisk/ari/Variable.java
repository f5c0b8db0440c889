package org.switchboard.asterisk.ari;

/** ARI {@code Variable}: the reply of {@code GET /channels/{id}/variable}. */
public record Variable(String value) {}
