/**
 * Where flashbooks live. SQLite is the default implementation; a PostgreSQL one will follow for
 * scale-out, so the interface stays small and says nothing about SQL.
 *
 * Every method may answer synchronously or with a Promise (`MaybePromise`): callers accept both.
 * A synchronous store (better-sqlite3) then costs no event-loop turn on the hot path, which keeps
 * the order "stored, then forwarded" without any queueing latency.
 */

import type { LinkRecord, LinkScope } from '../auth/links.ts';
import type { StatusChange } from '../../src/protocol/api.ts';

export type MaybePromise<T> = T | PromiseLike<T>;

export type { LinkRecord, LinkScope };

/** What the server knows about a flashbook besides its content. */
export interface FlashbookRecord {
  id: string;
  /** The title given at creation (the live title is in the document). */
  title: string;
  /** Milliseconds since the epoch. (Its links are LinkRecords of scope `flashbook`.) */
  createdAt: number;
}

/** The update log of one flashbook, in the order it must be applied. */
export interface StoredUpdates {
  updates: Uint8Array[];
  /** The seq of each update, when the store tells (loadUpdatesAfter). */
  seqs?: number[];
  /** Sequence number of the last update, 0 when there is none. */
  lastSeq: number;
}

export interface FlashbookStore {
  /**
   * Stores the record, the document's first update and its first links atomically. Returns
   * false, and changes nothing, when the id is taken: an existing flashbook is never overwritten.
   */
  createFlashbook(
    record: FlashbookRecord,
    initialUpdate: Uint8Array,
    links?: readonly LinkRecord[],
  ): MaybePromise<boolean>;
  getFlashbook(id: string): MaybePromise<FlashbookRecord | undefined>;
  /**
   * Durably appends a Yjs update (the caller forwards it to other clients only after this
   * completes). Returns its sequence number, greater than every earlier one of this flashbook.
   */
  appendUpdate(id: string, update: Uint8Array): MaybePromise<number>;
  /**
   * Appends several updates in order, atomically, returning their seqs. A networked store
   * provides it so that a busy room pays one round trip and one commit for what queued up.
   */
  appendUpdates?(id: string, updates: Uint8Array[]): MaybePromise<number[]>;
  loadUpdates(id: string): MaybePromise<StoredUpdates>;
  /**
   * The rows with seq > afterSeq (what an instance sharing the room lacks). A store whose seqs
   * are dense per flashbook (PostgreSQL) provides it; rooms are shared only on such a store.
   */
  loadUpdatesAfter?(id: string, afterSeq: number): MaybePromise<StoredUpdates>;
  /**
   * Atomically replaces the updates with seq <= upToSeq by `merged` (which must contain all of
   * them); updates appended after upToSeq are kept and still apply after it.
   */
  compact(id: string, upToSeq: number, merged: Uint8Array): MaybePromise<void>;
  /** Number of stored update rows of a flashbook (for tests, benchmarks and operators). */
  countUpdates(id: string): MaybePromise<number>;

  // Links (server/auth/links.ts): any scope, at most one current link per (scope, id, role).

  /** Every link of a scope, current and replaced, in any order. */
  getLinks(scope: LinkScope, scopeId: string): MaybePromise<LinkRecord[]>;
  /**
   * Atomically marks the current link of (scope, scopeId, role) replaced (replacedAt = the new
   * link's createdAt) and stores `link` (without replacedAt) as the current one.
   */
  replaceLink(link: LinkRecord): MaybePromise<void>;
  /**
   * Stores `link` as the current one only if no link of its (scope, scopeId, role) was ever
   * stored, current or replaced; returns whether it did. Atomic.
   */
  addLinkIfNone(link: LinkRecord): MaybePromise<boolean>;

  // Review activity (the status API, docs/server.md "Review").

  /** Appends one status change of a flashbook. */
  addStatusChange(flashbookId: string, change: StatusChange): MaybePromise<void>;
  /** A flashbook's status changes, newest first, at most `limit`. */
  listStatusChanges(flashbookId: string, limit: number): MaybePromise<StatusChange[]>;
  /**
   * Deletes a flashbook for good: its record and every stored update (and what hangs off the
   * record in the same database: its exhibition, its workspace membership). False when there was
   * no such flashbook. Optional: a store without it cannot delete, and the API answers 501.
   */
  deleteFlashbook?(id: string): MaybePromise<boolean>;
  close(): MaybePromise<void>;
}

export function isPromiseLike<T>(value: MaybePromise<T>): value is PromiseLike<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Continues with `next` right away when `value` is already there, after it resolves otherwise. */
export function andThen<T, R>(
  value: MaybePromise<T>,
  next: (v: T) => MaybePromise<R>,
): MaybePromise<R> {
  return isPromiseLike(value) ? Promise.resolve(value).then(next) : next(value);
}

/**
 * Work that one of several instances should do (an automatic version of a room): a lease held
 * by `holder` for `ttlMs`. With one instance (SQLite) every lease is granted.
 */
export interface Leases {
  tryAcquire(name: string, holder: string, ttlMs: number): MaybePromise<boolean>;
}
