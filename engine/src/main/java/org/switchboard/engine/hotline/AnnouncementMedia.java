package org.switchboard.engine.hotline;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.MediaResolver;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.script.MediaRef;
import org.switchboard.engine.twiml.TwimlDocument;
import org.switchboard.engine.twiml.TwimlException;
import org.switchboard.engine.twiml.TwimlParser;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.Play;
import org.switchboard.engine.twiml.verb.Say;
import org.switchboard.engine.twiml.verb.Verb;

/**
 * What an announcement URL asks to be heard ({@code <Queue url>}, a conference's or participant's
 * {@code AnnounceUrl}), as ARI media URIs in one playlist: the document's {@code <Say>} (rendered
 * by the TTS engine) and {@code <Play>} verbs in order, other verbs skipped with a warning; an
 * answer that is audio itself ({@code audio/*}, e.g. an MP3 or WAV file) is played as a {@code
 * <Play>} of its URL. A non-2xx answer or a document that cannot be read fails the stage.
 */
public final class AnnouncementMedia {
  private static final Logger LOG = LoggerFactory.getLogger(AnnouncementMedia.class);
  private static final TwimlParser PARSER = new TwimlParser();

  private final WebhookPort webhooks;
  private final MediaResolver resolver;
  private final String accountSid;

  AnnouncementMedia(WebhookPort webhooks, MediaResolver resolver, String accountSid) {
    this.webhooks = webhooks;
    this.resolver = resolver;
    this.accountSid = accountSid;
  }

  /**
   * Requests {@code url} with {@code AccountSid} and {@code params} (signed as every webhook) and
   * answers its media.
   *
   * @param sid the call or conference the request is for, in logs
   */
  public CompletionStage<List<String>> fetch(URI url, Method method,
      List<Map.Entry<String, String>> params, String sid, String purpose) {
    List<Map.Entry<String, String>> all = new ArrayList<>();
    all.add(Map.entry("AccountSid", accountSid));
    all.addAll(params);
    return webhooks.fetch(new WebhookPort.WebhookRequest(url, method, List.copyOf(all), sid,
        purpose)).thenCompose(response -> media(response, resolver, sid, purpose));
  }

  /** The media of one answer; {@code where} names the announcement in warnings. */
  static CompletionStage<List<String>> media(WebhookPort.WebhookResponse response,
      MediaResolver resolver, String sid, String where) {
    if (response.status() < 200 || response.status() > 299) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "HTTP status " + response.status() + " from " + response.finalUrl()));
    }
    String type = response.contentType() == null ? ""
        : response.contentType().toLowerCase(Locale.ROOT);
    if (type.startsWith("audio/")) {
      return resolver.resolve(MediaRef.forPlay(response.finalUrl()));
    }
    TwimlDocument document;
    try {
      document = PARSER.parse(response.body(), response.finalUrl());
    } catch (TwimlException e) {
      return CompletableFuture.failedFuture(e);
    }
    List<CompletionStage<List<String>>> parts = new ArrayList<>();
    for (Verb verb : document.verbs()) {
      if (verb instanceof Say say) {
        parts.add(resolver.resolve(MediaRef.Speech.of(say)));
      } else if (verb instanceof Play play && play.url().isPresent()) {
        parts.add(resolver.resolve(MediaRef.forPlay(play.url().get())));
      } else {
        LOG.warn("{} <{}> is not played in a {} document", sid, verb.getClass().getSimpleName(),
            where);
      }
    }
    CompletionStage<List<String>> all = CompletableFuture.completedFuture(List.of());
    for (CompletionStage<List<String>> part : parts) {
      all = all.thenCombine(part, (a, b) -> {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
      });
    }
    return all;
  }
}
