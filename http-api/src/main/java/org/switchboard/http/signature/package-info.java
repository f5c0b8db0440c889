/**
 * Request signatures: Twilio's {@code X-Twilio-Signature} ({@link
 * org.switchboard.http.signature.TwilioSignature}, computed on every outgoing webhook and usable
 * to validate inbound REST calls) and the Llamenos Worker's timestamped {@code X-Bridge-Signature}
 * ({@link org.switchboard.http.signature.BridgeSignature}, {@link
 * org.switchboard.http.signature.BridgeSignatureVerifier}).
 */
package org.switchboard.http.signature;
