package org.switchboard.asterisk.ari;

/** ARI {@code DeviceState}: a device name and its state (e.g. {@code INUSE}). */
public record DeviceState(String name, String state) {}
