package org.switchboard.loadtest;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.switchboard.asterisk.sim.AriSimulator;

/**
 * The simulator process of {@code scripts/loadtest --split}: the ARI simulator (driven through
 * its {@code /sim} control API) plus {@code GET /harvest} on a second loopback port, which hands
 * over and forgets what the simulator logged since the last call, and {@code GET /dropped}, the
 * entries its bounded log dropped before they were harvested. Prints {@code ports SIM HARVEST}
 * on stdout when ready; exits when its stdin closes (the load generator went away).
 */
public final class SimProcessMain {
  private SimProcessMain() {}

  /** Starts the simulator and the harvest endpoint; runs until stdin closes. */
  public static void main(String[] args) throws Exception {
    AriSimulator sim = new AriSimulator();
    int port =
        sim.start(InProcessHarness.simConfig(Files.createTempDirectory("loadtest-sim-recordings")));
    LogHarvester harvester = new LogHarvester(sim.log());
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext(
        "/harvest",
        exchange -> {
          byte[] body = EntryCodec.encode(harvester.drain()).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext(
        "/dropped",
        exchange -> {
          byte[] body = Long.toString(sim.log().dropped()).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    System.out.println("ports " + port + " " + server.getAddress().getPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // the parent never writes; EOF means it is gone
    }
    server.stop(0);
    sim.close();
  }
}
