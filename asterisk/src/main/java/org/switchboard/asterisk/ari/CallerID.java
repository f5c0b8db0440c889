package org.switchboard.asterisk.ari;

/** ARI {@code CallerID}: a party's name and number as Asterisk reports them. */
public record CallerID(String name, String number) {}
