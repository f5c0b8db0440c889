package org.switchboard.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.switchboard.asterisk.ari.AriEvent;
import org.switchboard.asterisk.ari.AriJson;
import org.switchboard.asterisk.router.AriEventMapper;
import org.switchboard.asterisk.router.Routing;

/** Decoding an ARI frame and mapping it to the engine's event, as recorded from Asterisk 22. */
public class AriDecodeBenchmark extends MicroBenchmark {

  static final String STASIS_START =
      "{\"type\":\"StasisStart\",\"timestamp\":\"2026-11-22T02:04:01.468+0000\",\"args\":[\"inbound\",\"100\"],"
          + "\"channel\":{\"id\":\"s01-inbound-714hs\",\"name\":\"Local/100@llamenos-in-00000000;2\","
          + "\"state\":\"Ring\",\"protocol_id\":\"\",\"caller\":{\"name\":\"Test Caller\",\"number\":\"+15551230001\"},"
          + "\"connected\":{\"name\":\"\",\"number\":\"\"},\"accountcode\":\"\",\"dialplan\":{\"context\":\"llamenos-in\","
          + "\"exten\":\"100\",\"priority\":2,\"app_name\":\"Stasis\",\"app_data\":\"llamenos,inbound,100\"},"
          + "\"creationtime\":\"2026-11-22T02:04:01.459+0000\",\"language\":\"en\"},"
          + "\"asterisk_id\":\"02:fc:00:00:00:01\",\"application\":\"llamenos\"}";

  static final String DTMF =
      "{\"type\":\"ChannelDtmfReceived\",\"timestamp\":\"2026-11-22T02:04:11.001+0000\",\"digit\":\"1\","
          + "\"duration_ms\":120,\"channel\":{\"id\":\"s02-inbound-714hs\",\"name\":\"Local/100@llamenos-in-00000001;2\","
          + "\"state\":\"Up\",\"protocol_id\":\"\",\"caller\":{\"name\":\"\",\"number\":\"\"},"
          + "\"connected\":{\"name\":\"\",\"number\":\"\"},\"accountcode\":\"\",\"dialplan\":{\"context\":\"llamenos-in\","
          + "\"exten\":\"100\",\"priority\":2,\"app_name\":\"Stasis\",\"app_data\":\"llamenos,inbound,100\"},"
          + "\"creationtime\":\"2026-11-22T02:04:10.459+0000\",\"language\":\"en\"},"
          + "\"asterisk_id\":\"02:fc:00:00:00:01\",\"application\":\"llamenos\"}";

  /** As Asterisk sends it: {@code type} is not the first field (buffered until it is known). */
  static final String HANGUP_REQUEST =
      "{\"cause\":32,\"soft\":true,\"type\":\"ChannelHangupRequest\","
          + "\"timestamp\":\"2026-11-22T02:04:02.874+0000\",\"channel\":{\"id\":\"s01-inbound-714hs\","
          + "\"name\":\"Local/100@llamenos-in-00000000;2\",\"state\":\"Up\",\"protocol_id\":\"\","
          + "\"caller\":{\"name\":\"Test Caller\",\"number\":\"+15551230001\"},"
          + "\"connected\":{\"name\":\"Test Caller\",\"number\":\"+15551230001\"},\"accountcode\":\"\","
          + "\"dialplan\":{\"context\":\"llamenos-in\",\"exten\":\"100\",\"priority\":2,"
          + "\"app_name\":\"Stasis\",\"app_data\":\"llamenos,inbound,100\"},"
          + "\"creationtime\":\"2026-11-22T02:04:01.459+0000\",\"language\":\"en\"},"
          + "\"asterisk_id\":\"02:fc:00:00:00:01\",\"application\":\"llamenos\"}";

  private final AriJson json = new AriJson();
  private final AriEventMapper mapper =
      new AriEventMapper(java.util.Set.of(), java.util.Set.of("SWITCHBOARD_"));

  @Benchmark
  public AriEvent decodeStasisStart() {
    return json.decode(STASIS_START);
  }

  @Benchmark
  public AriEvent decodeHangupRequestTypeNotFirst() {
    return json.decode(HANGUP_REQUEST);
  }

  @Benchmark
  public Routing decodeAndMapDtmf() {
    return mapper.map("asterisk-1", json.decode(DTMF));
  }
}
