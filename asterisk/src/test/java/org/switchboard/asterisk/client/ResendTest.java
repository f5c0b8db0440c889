package org.switchboard.asterisk.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The resend rule of commands the event socket lost, on a fake HTTP side that answers from a
 * script and records what was sent.
 */
class ResendTest {
  private static final Map<String, Object> ORIGINATE =
      Params.of("endpoint", "PJSIP/100", "app", "switchboard", "channelId", "sb-1");

  /** Answers (or failures) in order; every request is recorded as "METHOD path". */
  private static final class FakeHttp implements Resend.Http {
    final Deque<Object> script = new ArrayDeque<>();
    final List<String> sent = new ArrayList<>();

    FakeHttp then(int status, String body) {
      script.add(new SocketRest.Answer(status, body.getBytes(StandardCharsets.UTF_8)));
      return this;
    }

    FakeHttp thenFail(Throwable error) {
      script.add(error);
      return this;
    }

    @Override
    public CompletableFuture<SocketRest.Answer> send(
        String method, String path, Map<String, ?> query, byte[] json) {
      sent.add(method + " " + path);
      Object next = script.poll();
      if (next == null) {
        throw new AssertionError("unexpected request " + method + " " + path);
      }
      return next instanceof SocketRest.Answer a
          ? CompletableFuture.completedFuture(a)
          : CompletableFuture.failedFuture((Throwable) next);
    }
  }

  private static final Resend.Lost WRITTEN = new Resend.Lost("socket closed", true);
  private static final Resend.Lost UNWRITTEN = new Resend.Lost("socket closed", false);

  private static Resend resend(FakeHttp http) {
    return new Resend("ast1", http, List.of(Duration.ZERO, Duration.ZERO, Duration.ZERO));
  }

  private static SocketRest.Answer get(CompletableFuture<SocketRest.Answer> answer)
      throws Exception {
    return answer.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aCommandWhoseSocketClosedIsSentAgainOverHttp() throws Exception {
    FakeHttp http = new FakeHttp().then(204, "");
    SocketRest.Answer answer = get(resend(http).after(WRITTEN, "POST /channels/{id}/answer",
        "POST", "/channels/c1/answer", Map.of(), null));
    assertEquals(204, answer.status());
    assertEquals(List.of("POST /channels/c1/answer"), http.sent);
  }

  @Test
  void anOriginateWithOurIdThatAlreadyExistsOnTheResendIsTheChannelFound() throws Exception {
    String channel = "{\"id\":\"sb-1\"}";
    FakeHttp http = new FakeHttp()
        .then(409, "{\"message\":\"Channel with given unique ID already exists\"}")
        .then(200, channel);
    SocketRest.Answer answer = get(resend(http).after(UNWRITTEN, "POST /channels", "POST",
        "/channels", ORIGINATE, null));
    assertEquals(200, answer.status());
    assertEquals(channel, new String(answer.body(), StandardCharsets.UTF_8));
    assertEquals(List.of("POST /channels", "GET /channels/sb-1"), http.sent);
  }

  @Test
  void aWrittenOriginateIsLookedUpFirstAndNotMadeTwice() throws Exception {
    FakeHttp http = new FakeHttp().then(200, "{\"id\":\"sb-1\"}");
    SocketRest.Answer answer = get(resend(http).after(WRITTEN, "POST /channels", "POST",
        "/channels", ORIGINATE, null));
    assertEquals(200, answer.status());
    assertEquals(List.of("GET /channels/sb-1"), http.sent);
  }

  @Test
  void aWrittenOriginateThatDidNotRunIsSentAgain() throws Exception {
    FakeHttp http = new FakeHttp()
        .then(404, "{\"message\":\"Channel not found\"}")
        .then(200, "{\"id\":\"sb-1\"}");
    assertEquals(200, get(resend(http).after(WRITTEN, "POST /channels", "POST", "/channels",
        ORIGINATE, null)).status());
    assertEquals(List.of("GET /channels/sb-1", "POST /channels"), http.sent);
  }

  @Test
  void aPlaybackAlreadyRunningIsNotPlayedTwice() throws Exception {
    // Asterisk would accept a second playback under the same id and play it again.
    FakeHttp http = new FakeHttp().then(200, "{\"id\":\"pb-1\",\"state\":\"playing\"}");
    assertEquals(200, get(resend(http).after(WRITTEN, "POST /channels/{id}/play", "POST",
        "/channels/c1/play", Params.of("media", "sound:hello", "playbackId", "pb-1"), null))
        .status());
    assertEquals(List.of("GET /playbacks/pb-1"), http.sent);
  }

  @Test
  void aRecordingThatRanAndFinishedIsFoundAmongTheStoredOnes() throws Exception {
    FakeHttp http = new FakeHttp()
        .then(404, "{\"message\":\"Recording not found\"}")
        .then(200, "{\"name\":\"RE1\",\"format\":\"wav\"}");
    assertEquals(200, get(resend(http).after(WRITTEN, "POST /bridges/{id}/record", "POST",
        "/bridges/b1/record", Params.of("name", "RE1", "format", "wav", "ifExists", "fail"), null))
        .status());
    assertEquals(List.of("GET /recordings/live/RE1", "GET /recordings/stored/RE1"), http.sent);
  }

  @Test
  void anAddChannelThatRanBeforeTheCalleeHungUpSucceeds() throws Exception {
    // The first frame bridged caller c1 and callee c2; c2 hung up; the resend finds c2 gone.
    FakeHttp http = new FakeHttp()
        .then(400, "{\"message\":\"Channel not found\"}")
        .then(200, "{\"id\":\"b1\",\"channels\":[\"c1\"]}");
    assertEquals(204, get(resend(http).after(WRITTEN, "POST /bridges/{id}/addChannel", "POST",
        "/bridges/b1/addChannel", Params.of("channel", "c1,c2"), null)).status());
    assertEquals(List.of("POST /bridges/b1/addChannel", "GET /bridges/b1"), http.sent);
  }

  @Test
  void anAddChannelWhoseChannelsAreNotInTheBridgeKeepsTheResendsAnswer() throws Exception {
    FakeHttp http = new FakeHttp()
        .then(400, "{\"message\":\"Channel not found\"}")
        .then(200, "{\"id\":\"b1\",\"channels\":[]}");
    SocketRest.Answer answer = get(resend(http).after(WRITTEN, "POST /bridges/{id}/addChannel",
        "POST", "/bridges/b1/addChannel", Params.of("channel", "c1,c2"), null));
    assertEquals(400, answer.status());
    // A frame never written cannot have run: no lookup.
    FakeHttp unwritten = new FakeHttp().then(422, "{\"message\":\"Channel not in Stasis\"}");
    assertEquals(422, get(resend(unwritten).after(UNWRITTEN, "POST /bridges/{id}/addChannel",
        "POST", "/bridges/b1/addChannel", Params.of("channel", "c1,c2"), null)).status());
    assertEquals(List.of("POST /bridges/b1/addChannel"), unwritten.sent);
  }

  private static final TimeoutException NO_ANSWER = new TimeoutException("no answer within 1000 ms");

  @Test
  void aPlaybackThatTimedOutButRunsIsAnsweredByItsLookup() throws Exception {
    FakeHttp http = new FakeHttp().then(200, "{\"id\":\"pb-1\",\"state\":\"playing\"}");
    assertEquals(200, get(resend(http).afterNoAnswer(NO_ANSWER, "POST /channels/{id}/play",
        "POST", "/channels/c1/play", Params.of("media", "sound:hello", "playbackId", "pb-1")))
        .status());
    assertEquals(List.of("GET /playbacks/pb-1"), http.sent);
  }

  @Test
  void aCommandThatTimedOutAndIsNotFoundFailsWithItsTimeoutAndIsNotSentAgain() {
    FakeHttp http = new FakeHttp().then(404, "{\"message\":\"Playback not found\"}");
    ExecutionException e = assertThrows(ExecutionException.class, () -> get(resend(http)
        .afterNoAnswer(NO_ANSWER, "POST /channels/{id}/play", "POST", "/channels/c1/play",
            Params.of("media", "sound:hello", "playbackId", "pb-1"))));
    assertSame(NO_ANSWER, e.getCause());
    assertEquals(List.of("GET /playbacks/pb-1"), http.sent);
    // A command that creates nothing of ours is not looked up.
    FakeHttp none = new FakeHttp();
    assertThrows(ExecutionException.class, () -> get(resend(none).afterNoAnswer(NO_ANSWER,
        "POST /channels/{id}/dtmf", "POST", "/channels/c1/dtmf", Params.of("dtmf", "1"))));
    assertEquals(List.of(), none.sent);
  }

  @Test
  void anAddChannelThatTimedOutCountsAsRunOnlyWhenTheBridgeHoldsItsChannels() throws Exception {
    FakeHttp joined =
        new FakeHttp().then(200, "{\"id\":\"b1\",\"channels\":[\"c1\",\"c2\"]}");
    assertEquals(204, get(resend(joined).afterNoAnswer(NO_ANSWER,
        "POST /bridges/{id}/addChannel", "POST", "/bridges/b1/addChannel",
        Params.of("channel", "c1,c2"))).status());
    FakeHttp empty = new FakeHttp().then(200, "{\"id\":\"b1\",\"channels\":[]}");
    assertThrows(ExecutionException.class, () -> get(resend(empty).afterNoAnswer(NO_ANSWER,
        "POST /bridges/{id}/addChannel", "POST", "/bridges/b1/addChannel",
        Params.of("channel", "c1,c2"))));
    assertEquals(List.of("GET /bridges/b1"), empty.sent);
  }

  @Test
  void aHangupThatFindsTheChannelGoneOnTheResendSucceeded() throws Exception {
    FakeHttp http = new FakeHttp().then(404, "{\"message\":\"Channel not found\"}");
    assertEquals(204, get(resend(http).after(WRITTEN, "DELETE /channels/{id}", "DELETE",
        "/channels/c1", Params.of("reason", "normal"), null)).status());
  }

  @Test
  void anAriErrorIsTheAnswerAndIsNotRetried() throws Exception {
    FakeHttp http = new FakeHttp().then(412, "{\"message\":\"Channel in invalid state\"}");
    SocketRest.Answer answer = get(resend(http).after(WRITTEN, "POST /channels/{id}/answer",
        "POST", "/channels/c1/answer", Map.of(), null));
    assertEquals(412, answer.status());
    assertEquals(1, http.sent.size(), "an answer of Asterisk is never retried: " + http.sent);

    FakeHttp bridge = new FakeHttp().then(409, "{\"message\":\"Channel not in Stasis application\"}");
    assertEquals(409, get(resend(bridge).after(WRITTEN, "POST /bridges/{id}/addChannel", "POST",
        "/bridges/b1/addChannel", Params.of("channel", "c1"), null)).status());
    assertEquals(1, bridge.sent.size());
  }

  @Test
  void httpFailuresWithoutAnAnswerAreRetriedAFewTimes() throws Exception {
    FakeHttp http = new FakeHttp()
        .thenFail(new ConnectException("Connection refused"))
        .thenFail(new TimeoutException())
        .then(204, "");
    assertEquals(204, get(resend(http).after(WRITTEN, "POST /channels/{id}/answer", "POST",
        "/channels/c1/answer", Map.of(), null)).status());
    assertEquals(3, http.sent.size());

    IOException reset = new IOException("Connection reset");
    FakeHttp down = new FakeHttp().thenFail(reset).thenFail(reset).thenFail(reset).thenFail(reset);
    ExecutionException failed = assertThrows(ExecutionException.class, () -> get(
        resend(down).after(WRITTEN, "POST /channels/{id}/answer", "POST", "/channels/c1/answer",
            Map.of(), null)));
    assertSame(reset, failed.getCause());
    assertEquals(4, down.sent.size(), "once at once, then after each of the three pauses");
  }

  @Test
  void digitsThatMayHaveBeenSentAreNotSentTwice() throws Exception {
    FakeHttp http = new FakeHttp();
    ExecutionException failed = assertThrows(ExecutionException.class, () -> get(
        resend(http).after(WRITTEN, "POST /channels/{id}/dtmf", "POST", "/channels/c1/dtmf",
            Params.of("dtmf", "123"), null)));
    assertInstanceOf(Resend.Lost.class, failed.getCause());
    assertEquals(List.of(), http.sent);

    FakeHttp unwritten = new FakeHttp().then(204, "");
    assertEquals(204, get(resend(unwritten).after(UNWRITTEN, "POST /channels/{id}/dtmf", "POST",
        "/channels/c1/dtmf", Params.of("dtmf", "123"), null)).status());
  }
}
