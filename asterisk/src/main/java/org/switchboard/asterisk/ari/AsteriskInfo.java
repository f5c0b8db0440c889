package org.switchboard.asterisk.ari;

import java.time.Instant;

/** ARI {@code AsteriskInfo} ({@code GET /asterisk/info}); every section is optional. */
public record AsteriskInfo(BuildInfo build, SystemInfo system, ConfigInfo config, StatusInfo status) {

  /** How Asterisk was built. */
  public record BuildInfo(
      String os, String kernel, String options, String machine, String date, String user) {}

  /** Version and entity id (the {@code asterisk_id} every event carries). */
  public record SystemInfo(String version, String entityId) {}

  /** Run-time configuration. */
  public record ConfigInfo(
      String name,
      String defaultLanguage,
      Integer maxChannels,
      Integer maxOpenFiles,
      Double maxLoad,
      SetId setid) {}

  /** The user and group Asterisk runs as. */
  public record SetId(String user, String group) {}

  /** Start and last reload time. */
  public record StatusInfo(Instant startupTime, Instant lastReloadTime) {}
}
