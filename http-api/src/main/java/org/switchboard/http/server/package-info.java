/**
 * The node's HTTP server: Pekko HTTP bound through {@link org.switchboard.http.server.GuardedServer},
 * which adds what Pekko's settings do not cover: a deadline for each request head and body
 * ({@link org.switchboard.http.server.ConnectionDeadlines}) and a cap on the connections of one
 * client address ({@link org.switchboard.http.server.ConnectionsPerAddress}).
 */
package org.switchboard.http.server;
