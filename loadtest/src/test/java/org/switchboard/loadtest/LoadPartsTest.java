package org.switchboard.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator's pure parts: arguments, percentiles, log lines and the JSON result. */
class LoadPartsTest {

  @Test
  void parsesEveryFlag() {
    LoadArgs a =
        LoadArgs.parse("--profile", "hotline", "--calls", "2000", "--rate", "12.5",
            "--concurrency", "500", "--duration", "90", "--json", "--split", "--grace", "500ms",
            "--hold", "1.5s", "--no-heap-probe", "--warmup", "0", "--samples", "run.csv");
    assertEquals(Profile.HOTLINE, a.profile());
    assertEquals(2000, a.calls());
    assertEquals(12.5, a.rate());
    assertEquals(500, a.concurrency());
    assertEquals(Duration.ofSeconds(90), a.duration());
    assertTrue(a.json());
    assertEquals(LoadArgs.Mode.SPLIT, a.mode());
    assertEquals(Duration.ofMillis(500), a.grace());
    assertEquals(Duration.ofMillis(1500), a.hold());
    assertFalse(a.heapProbe());
    assertEquals(0, a.warmup());
    assertEquals(Path.of("run.csv"), a.samples().orElseThrow());
    LoadArgs warm = a.warmupRun(300);
    assertTrue(warm.samples().isEmpty(), "warm-up calls are not sampled");
    assertEquals(300, warm.calls());
    assertEquals(300, warm.concurrency(), "the cap never exceeds the round's calls");
    assertFalse(warm.heapProbe());
  }

  @Test
  void theSamplesFileHasOneCsvLinePerSample(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("samples.csv");
    try (SampleFile file = SampleFile.open(Optional.of(csv)).orElseThrow()) {
      file.sample("eventToWebhook", 1_700_000_000_000_000L, 2_345, "CA01", "incoming");
      file.sample("twimlToCommand", 1_700_000_000_100_000L, -4, "CA01", "incoming");
    }
    assertEquals(
        List.of(SampleFile.HEADER,
            "eventToWebhook,1700000000000000,2345,CA01,incoming",
            "twimlToCommand,1700000000100000,0,CA01,incoming"),
        Files.readAllLines(csv));
    assertTrue(SampleFile.open(Optional.empty()).isEmpty());
  }

  @Test
  void defaultsComeFromTheProfile() {
    LoadArgs a = LoadArgs.parse("--profile", "queue", "--calls", "100");
    assertEquals(100, a.concurrency(), "the cap never exceeds the number of calls");
    assertEquals(Profile.QUEUE.defaultRate(), a.rate());
    assertEquals(LoadArgs.Mode.IN_PROCESS, a.mode());
    assertEquals(100, a.warmup(), "queue runs measure memory: one fixed warm-up round");
    assertEquals(LoadArgs.AUTO_WARMUP, LoadArgs.parse("--calls", "100").warmup(),
        "in-process runs warm up until the JIT compiler is quiet");
    assertEquals(100, LoadArgs.parse("--calls", "100", "--split").warmup());
    assertEquals(LoadArgs.AUTO_WARMUP, LoadArgs.parse("--warmup", "auto").warmup());
    LoadArgs ast = LoadArgs.parse("--asterisk", "http://127.0.0.1:8088/ari/", "--ari-user", "u");
    assertEquals(LoadArgs.Mode.ASTERISK, ast.mode());
    assertEquals("http://127.0.0.1:8088/ari", ast.asterisk().orElseThrow().ariUrl().toString());
    assertEquals("u", ast.asterisk().orElseThrow().user());
    assertEquals(0, ast.warmup());
    assertEquals("loadtest-caller", ast.asterisk().orElseThrow().callerContext());
    assertEquals("s", ast.asterisk().orElseThrow().callerExtension());
    LoadArgs.AsteriskTarget menu = LoadArgs.parse("--asterisk", "http://127.0.0.1:8088/ari",
        "--profile", "menu").asterisk().orElseThrow();
    assertEquals("phones", menu.callerContext(), "the menu caller presses 1 through the dialplan");
    assertEquals("dtmf-1", menu.callerExtension());
    assertEquals("answer", LoadArgs.parse("--asterisk", "http://127.0.0.1:8088/ari",
        "--caller-extension", "answer").asterisk().orElseThrow().callerExtension());
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> LoadArgs.parse("--profile", "nope"));
    assertThrows(IllegalArgumentException.class, () -> LoadArgs.parse("--calls", "0"));
    assertThrows(IllegalArgumentException.class, () -> LoadArgs.parse("--calls", "x"));
    assertThrows(IllegalArgumentException.class, () -> LoadArgs.parse("--rate", "-3"));
    assertThrows(IllegalArgumentException.class, () -> LoadArgs.parse("--calls"));
    assertThrows(IllegalArgumentException.class, () -> LoadArgs.parse("--calls", "--json"));
    assertThrows(IllegalArgumentException.class, () -> LoadArgs.parse("--bogus"));
    assertThrows(IllegalArgumentException.class,
        () -> LoadArgs.parse("--split", "--asterisk", "http://127.0.0.1:8088/ari"));
    assertThrows(IllegalArgumentException.class,
        () -> LoadArgs.parse("--split", "--warmup", "auto"));
  }

  @Test
  void percentilesUseNearestRank() {
    Percentiles p = new Percentiles();
    for (int i = 100; i >= 1; i--) {
      p.add(i * 10L);
    }
    Percentiles.Summary s = p.summary();
    assertEquals(100, s.count());
    assertEquals(500, s.p50());
    assertEquals(900, s.p90());
    assertEquals(990, s.p99());
    assertEquals(1000, s.max());
    assertEquals(7, Percentiles.rank(new long[] {7}, 99));
    assertEquals(0, new Percentiles().summary().count());
  }

  @Test
  void percentilesGrowAndClampNegativeSamples() {
    Percentiles p = new Percentiles();
    for (int i = 0; i < 5000; i++) {
      p.add(i);
    }
    p.add(-5);
    assertEquals(5001, p.count());
    assertEquals(2499, p.summary().p50(), "the negative sample counts as 0");
    assertEquals(4999, p.summary().max());
  }

  @Test
  void eventLinesFindTheirChannel() {
    SimEntry.Event start = SimEntry.Event.of(1, "StasisStart",
        "{\"type\":\"StasisStart\",\"channel\":{\"id\":\"sim-call-7\",\"name\":\"Local/x\","
            + "\"caller\":{\"name\":\"\",\"number\":\"+15550000007\"}}}");
    assertEquals("sim-call-7", start.channelId());
    assertEquals("+15550000007", start.callerNumber());
    SimEntry.Event rec = SimEntry.Event.of(2, "RecordingFinished",
        "{\"recording\":{\"name\":\"r\",\"target_uri\":\"channel:sim-call-9\"}}");
    assertEquals("sim-call-9", rec.channelId());
    assertEquals("", rec.callerNumber());
    SimEntry.Request play = new SimEntry.Request(3, "POST", "/ari/channels/sim-call-9/play", "");
    assertEquals("sim-call-9", play.channelInPath());
    assertEquals("play", play.verb());
    assertEquals(null, new SimEntry.Request(4, "POST", "/ari/bridges/b/addChannel", "").channelInPath());
  }

  @Test
  void logLinesRoundTrip() {
    List<SimEntry> entries = List.of(
        new SimEntry.Event(10, "StasisStart", "sim-call-1", "+1555"),
        new SimEntry.Request(11, "POST", "/ari/bridges/b/addChannel", "channel=a,b\t{\n}"));
    long[] malformed = new long[1];
    List<SimEntry> back = EntryCodec.decode(EntryCodec.encode(entries) + "garbage\n", malformed);
    assertEquals(entries.get(0), back.get(0));
    assertEquals("channel=a,b { }", ((SimEntry.Request) back.get(1)).params());
    assertEquals(1, malformed[0]);
  }

  @Test
  void queueCallersAreSpreadOverQueues() {
    assertEquals("loadtest-0", TestApp.waitingQueue("+15550000000"));
    assertEquals("loadtest-" + (1234 % TestApp.WAIT_QUEUES), TestApp.waitingQueue("+15550001234"));
  }

  @Test
  void threadsAreCountedForThePartTheyServe() {
    assertEquals("switchboard", ThreadCpu.part("switchboard-pekko.actor.default-dispatcher-7"));
    assertEquals("switchboard", ThreadCpu.part("switchboard-ari-socket-sim"));
    assertEquals("simulator", ThreadCpu.part("ari-sim-pekko.actor.default-dispatcher-3"));
    assertEquals("driver", ThreadCpu.part("main"));
    assertEquals(null, ThreadCpu.part("ForkJoinPool.commonPool-worker-1"));
    ThreadCpu cpu = ThreadCpu.start();
    org.junit.jupiter.api.Assumptions.assumeTrue(cpu != null, "thread CPU time is measured");
    long spin = 0;
    for (int i = 0; i < 5_000_000; i++) {
      spin += Integer.toString(i).length();
    }
    Map<String, Double> parts = cpu.seconds();
    assertEquals(List.of("switchboard", "simulator", "driver", "other", "storeWriters",
        "h2Background"), List.copyOf(parts.keySet()));
    assertTrue(spin > 0);
    assertTrue(parts.values().stream().allMatch(v -> v >= 0), parts.toString());
    if (Thread.currentThread().getName().equals("main")) {
      assertTrue(parts.get("driver") > 0, "the spin above ran on main: " + parts);
    }
  }

  @Test
  void storeTrafficIsGivenPerCompletedCall() {
    Map<String, Long> before = new java.util.LinkedHashMap<>();
    before.put("state.upserts", 100L);
    before.put("state.bytes", 1_000L);
    Map<String, Long> after = new java.util.LinkedHashMap<>();
    after.put("state.upserts", 130L);
    after.put("state.bytes", 4_000L);
    after.put("history.upserts", 40L);
    assertEquals("state.upserts 3.00, state.bytes 300.00, history.upserts 4.00",
        LoadTestMain.perCall(before, after, 10));
    assertEquals("", LoadTestMain.perCall(Map.of(), Map.of(), 10));
  }

  @Test
  void jsonLineCarriesEveryMeasure() throws Exception {
    Percentiles lat = new Percentiles();
    lat.add(1500);
    lat.add(2500);
    Map<String, Integer> orphans = new LinkedHashMap<>();
    orphans.put("channels", 0);
    orphans.put("bridges", 0);
    LoadResult ok = new LoadResult("hotline", "in-process", 10, 10, 0, 2.0, 7, lat.summary(),
        lat.summary(), OptionalLong.of(12345), 7, OptionalDouble.of(1.5), OptionalDouble.of(0.25), 0, orphans,
        "", Map.of("switchboard", 0.75, "simulator", 0.5), OptionalLong.of(-42));
    JsonNode j = new ObjectMapper().readTree(ok.toJsonLine());
    assertFalse(ok.toJsonLine().contains("\n"));
    assertEquals(10, j.get("attempted").asInt());
    assertEquals(5.0, j.get("callsPerSecond").asDouble());
    assertEquals(7, j.get("peakConcurrent").asInt());
    assertEquals(1.5, j.get("eventToWebhookMs").get("p50").asDouble());
    assertEquals(2.5, j.get("twimlToCommandMs").get("max").asDouble());
    assertEquals(12345, j.get("heapBytesPerLiveCall").asLong());
    assertEquals(-42, j.get("heapRetainedBytesPerCall").asLong());
    assertEquals(0.25, j.get("jitSeconds").asDouble());
    assertEquals(0.75, j.get("cpuByPart").get("switchboard").asDouble());
    assertEquals(0.5, j.get("cpuByPart").get("simulator").asDouble());
    assertEquals(0, j.get("lostEvents").asInt());
    assertEquals(0, j.get("orphaned").get("bridges").asInt());
    assertTrue(j.get("ok").asBoolean());
    assertTrue(ok.ok());

    orphans.put("bridges", 1);
    LoadResult orphaned = new LoadResult("simple", "split", 10, 10, 0, 2.0, 7, lat.summary(),
        lat.summary(), OptionalLong.empty(), 0, OptionalDouble.empty(), OptionalDouble.empty(), 0, orphans, "x");
    JsonNode o = new ObjectMapper().readTree(orphaned.toJsonLine());
    assertTrue(o.get("heapBytesPerLiveCall").isNull());
    assertTrue(o.get("heapRetainedBytesPerCall").isNull());
    assertTrue(o.get("jitSeconds").isNull());
    assertTrue(o.get("cpuByPart").isNull());
    assertFalse(o.get("ok").asBoolean());
    assertEquals("x", o.get("notes").asText());
    assertFalse(new LoadResult("simple", "split", 10, 9, 1, 2.0, 7, lat.summary(),
        lat.summary(), OptionalLong.empty(), 0, OptionalDouble.empty(), OptionalDouble.empty(), 0, Map.of(),
        "").ok());
    assertFalse(new LoadResult("simple", "split", 10, 10, 0, 2.0, 7, lat.summary(),
        lat.summary(), OptionalLong.empty(), 0, OptionalDouble.empty(), OptionalDouble.empty(), 1, Map.of(),
        "").ok());
  }

  @Test
  void aMissingTtsEngineStopsTheRunBeforeItStarts() {
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> LoadTestMain.checkTts(ConfigFactory.parseString(
            "switchboard.audio.tts { engine = espeak, espeak.executable = \"/nonexistent/espeak-ng\" }")));
    assertTrue(missing.getMessage().contains("/nonexistent/espeak-ng"), missing.getMessage());
    // A runnable executable passes; another engine is not checked.
    LoadTestMain.checkTts(ConfigFactory.parseString(
        "switchboard.audio.tts { engine = espeak, espeak.executable = \"true\" }"));
    LoadTestMain.checkTts(ConfigFactory.parseString(
        "switchboard.audio.tts { engine = http, espeak.executable = \"/nonexistent/espeak-ng\" }"));
  }

  @Test
  void anAsteriskCallIsOverOnceAPollAfterItsOriginateFindsItGoneSeenAliveOrNot() {
    long answered = 5_000_000_000L;
    assertFalse(AsteriskRun.gone(null, answered), "originate not answered yet");
    assertFalse(AsteriskRun.gone(answered, answered - 1), "the poll began before the answer");
    assertTrue(AsteriskRun.gone(answered, answered + 1), "a 25 ms call no poll saw alive");
    assertTrue(AsteriskRun.gone(AsteriskRun.ORIGINATE_FAILED, answered), "originate refused");
  }

  @Test
  void childJvmOptionsAreSplitOnWhitespaceAndNoneWhenBlank() {
    assertEquals(List.of("-XX:+UseParallelGC", "-XX:StartFlightRecording=filename=/tmp/jfr/"),
        SplitHarness.childJvmOptions("  -XX:+UseParallelGC \t -XX:StartFlightRecording=filename=/tmp/jfr/\n"));
    assertEquals(List.of(), SplitHarness.childJvmOptions(" "));
  }

  @Test
  void aThreadOfAnotherProcessIsReadFromProcWithoutItsDigits() {
    // /proc/<pid>/task/<tid>/stat: the name may hold spaces and parentheses; utime 14, stime 15.
    ProcessThreads.Named t = ProcessThreads.parse(
        "4242 (GC Thread#1) S 1 2 3 0 -1 4194368 10 0 0 0 150 25 0 0 20 0 40 0 100 0 0",
        "Name:\tGC Thread#1\nvoluntary_ctxt_switches:\t900\nnonvoluntary_ctxt_switches:\t7\n");
    assertEquals("GC Thread#", t.group());
    assertEquals(new ProcessThreads.Counters(175, 900, 7), t.counters());
    String line = ProcessThreads.perCall(Map.of("GC Thread#", t.counters()), 100);
    assertEquals("GC Thread# 17.500 ms, 9.0 + 0.1 switches; all 17.500 ms, 9.0 + 0.1 switches",
        line);
    assertEquals("", ProcessThreads.perCall(Map.of(), 100));
  }

  @Test
  void inSplitModeEachProcessHasItsOwnCpuPart() {
    Map<String, Double> before = new LinkedHashMap<>();
    before.put("node", 10.0);
    before.put("simulator", 4.0);
    Map<String, Double> after = new LinkedHashMap<>();
    after.put("node", 25.5);
    after.put("simulator", 9.0);
    Map<String, Double> parts = LoadTestMain.childParts(before, after, 3.0);
    assertEquals(List.of("node", "simulator", "driver"), List.copyOf(parts.keySet()));
    assertEquals(15.5, parts.get("node"), 1e-9);
    assertEquals(5.0, parts.get("simulator"), 1e-9);
    assertEquals(3.0, parts.get("driver"), 1e-9);
    assertEquals(Map.of(), LoadTestMain.childParts(Map.of(), Map.of(), 3.0));
  }

  @Test
  void actorMessagesAreCountedByKindOfActorAndPerCall() {
    assertEquals("sharding entity Call", CountingMailbox.kind("/system/sharding/Call/12/CA01"));
    assertEquals("sharding entity Call child",
        CountingMailbox.kind("/system/sharding/Call/12/CA01/checkpoints"));
    assertEquals("sharding shard Call", CountingMailbox.kind("/system/sharding/Call/12"));
    assertEquals("sharding region Call", CountingMailbox.kind("/system/sharding/Call"));
    assertEquals("stream",
        CountingMailbox.kind("/system/Materializers/StreamSupervisor-0/flow-3-0-ignoreSink"));
    assertEquals("user ring", CountingMailbox.kind("/user/ring-rg12"));
    String line = CountingMailbox.perCall(
        Map.of("sb stream", 100L, "sb user ring", 100L, "sb user x", 100L),
        Map.of("sb stream", 700L, "sb user ring", 105L, "sb user x", 101L), 100);
    assertEquals("sb stream 6.0; all 6.1", line);
    assertEquals("", CountingMailbox.perCall(Map.of(), Map.of(), 100));
  }
}
