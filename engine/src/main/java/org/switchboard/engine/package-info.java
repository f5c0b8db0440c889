/** Switchboard's call-control engine: TwiML, the pure interpreter, call actors and their ports. */
package org.switchboard.engine;
