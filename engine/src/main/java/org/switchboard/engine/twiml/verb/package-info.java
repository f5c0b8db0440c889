/**
 * The TwiML model: one immutable record per verb or noun, named like the element, its fields
 * named like the attributes, defaults applied and values validated in the constructors. Closed
 * value sets are enums implementing {@link org.switchboard.engine.twiml.verb.WireEnum}. Absent
 * optional values are {@link java.util.Optional} / {@link java.util.OptionalInt}, never null.
 * Every URL is an absolute {@link java.net.URI}, resolved by the parser against the document URL.
 */
package org.switchboard.engine.twiml.verb;
