/**
 * The WebSocket contract at `/sync/<id>?token=…`: the y-websocket wire protocol, in which each
 * binary message starts with a varUint type. Types 0 (sync) and 1 (awareness) carry y-protocols
 * payloads; 3 asks for all awareness states; 2 (auth) is defined by the client but unused (access
 * is decided once, at connection time). messages.test.ts checks these against y-protocols.
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/**
 * Server to client only, and only to clients that asked with `ack=1` (ACK_PARAM): a varUint, the
 * number of sync step 2 and update messages received on this connection that are now stored. Our
 * client counts what it sent the same way, to show exactly which changes the server holds. Stock
 * y-websocket clients never ask and never see this type.
 */
export const MESSAGE_ACK = 100;

/** Query parameter with which a client asks for MESSAGE_ACK (`ack=1`). */
export const ACK_PARAM = 'ack';

/** Subtypes of a MESSAGE_SYNC message (y-protocols/sync). */
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;
