/**
 * TwiML documents: {@link org.switchboard.engine.twiml.TwimlDocument} and the parser that builds
 * it from the application's response body. The verb records live in {@code twiml.verb}.
 */
package org.switchboard.engine.twiml;
