/**
 * WebSocket close codes. The y-websocket client stops for good on 4400-4499 (and emits `closed`)
 * and reconnects with backoff on anything else, so a 44xx code means "retrying cannot help".
 */
export const CLOSE = {
  /** Invalid flashbook id, or a message the server cannot decode or apply. */
  BAD_REQUEST: 4400,
  /** Missing or wrong token. */
  UNAUTHORIZED: 4401,
  /** The client sent a change its role may not make (for example a post's status). */
  FORBIDDEN_CHANGE: 4403,
  /** No flashbook with this id. */
  NOT_FOUND: 4404,
  /** Another connection writes (or wrote) a different history under this Yjs client id. */
  CLIENT_ID_CONFLICT: 4409,
  /** The link's token was replaced (POST …/tokens/<role>): the app shows "this link was replaced". */
  LINK_REPLACED: 4410,
  /** A message larger than MAX_MESSAGE_BYTES. */
  TOO_LARGE: 4413,
  /** The update would take the document over MAX_DOC_BYTES; nothing of it was stored. */
  FLASHBOOK_FULL: 4423,
  /**
   * A flood of document updates over the per-connection limit: clear abuse (awareness never
   * causes it). Retrying at once would only flood again.
   */
  RATE_LIMITED: 4429,
  /**
   * The update was not stored, for now: the flashbook's shared write budget is spent, its log
   * waits for compaction, or it depends on changes the server does not have yet. The client
   * reconnects with backoff and resends it.
   */
  TRY_AGAIN_LATER: 1013,
  /** Server shutting down: the client reconnects to the restarted server. */
  GOING_AWAY: 1001,
  /** Storage failed: transient, the client reconnects and resends what storage is missing. */
  INTERNAL_ERROR: 1011,
} as const;

/**
 * Slow readers and dead peers are terminated instead of closed with a 44xx code: their problem is
 * the network, so the client should reconnect (it sees 1006), not give up.
 */
export const TERMINATED = 1006;

/** Whether the y-websocket client gives up for good on this close code. */
export function isFinalClose(code: number): boolean {
  return code >= 4400 && code <= 4499;
}
