/**
 * The webhook client that calls the TwiML application ({@link
 * org.switchboard.http.webhook.HttpWebhookClient}, the engine's {@code WebhookPort}).
 *
 * <p>Choices where Twilio's behaviour is unconfirmed (spec §3.5, §5.4):
 *
 * <ul>
 *   <li>Retry policy {@code rp} defaults to {@code ct}: with the default {@code rc=1} only a failed
 *       connection (refused, reset during connect, connect timeout) is tried once more,
 *       immediately. A 5xx or a read timeout is not retried unless the URL fragment asks for it
 *       ({@code #rp=5xx}, {@code rt}, {@code 4xx}, {@code all}): repeating a TwiML request can
 *       repeat its side effects in the application. {@code tt} bounds all attempts and redirects.
 *   <li>Redirects: 303, and 301/302 after a POST, become a GET without the parameters (browser
 *       behaviour; Twilio does not resend {@code Digits} after a redirect). 307 and 308 repeat the
 *       method and parameters. Each hop is signed for its own URL. The 11th 3xx fails like Twilio's
 *       error 11215.
 *   <li>Status and recording callbacks go through {@link org.switchboard.http.webhook.CallbackOutbox}
 *       and are retried on any non-2xx answer until their maximum age; their {@code
 *       I-Twilio-Idempotency-Token} stays the same across retries and restarts, so an application
 *       can drop the second copy it gets when an attempt timed out after reaching it (the only
 *       way a callback is delivered twice).
 *   <li>A failed connection (refused, or no connection within {@code ct}) and a timeout are
 *       reported to the fallback URL as {@code ErrorCode=11205} (HTTP connection failure), other
 *       failures as 11200. A request is never sent after its deadline: attempts wait for one of a
 *       host's {@code max-connections} only until then ({@code HostGate}), and a timed-out one is
 *       cancelled with its connection ({@code WebhookTransport}).
 * </ul>
 */
package org.switchboard.http.webhook;
