import * as Y from 'yjs';
import { MESSAGE, POST, ROOT, SERVER_OWNED_POST_FIELDS, THREAD } from '../../src/model/schema.ts';
import { roleCanApprove, roleCanEdit } from '../auth/roles.ts';
import type { Role } from '../auth/tokens.ts';
import type { DecodedUpdate } from './integrity.ts';

/**
 * What a connection's update may change, decided from the update's content (never from what the
 * app claims), before anything of it is applied:
 *
 * - a `comment` connection only the root `comments`; anything else makes the whole update
 *   `drop` (never applied, forwarded or stored, like a viewer's);
 * - nobody but the server writes a post's server-owned fields (SERVER_OWNED_POST_FIELDS): an
 *   update that sets or deletes one on an existing post is `forbid` (closed 4403); a client
 *   creating a post may give it `status: "draft"` in the same update, and a new post with other
 *   values (an undo of its deletion restores them) is accepted with a `repair`: the room resets
 *   it to a draft at once;
 * - a comment message belongs to its author: a new one must carry `authorId` =
 *   authorIdOf(the connection's `author` key), and only a connection with that key changes or
 *   removes an existing one (an approver may also delete it: `deleted`, or `text` emptied, or
 *   removing it); replacing a thread or its `messages` array, or removing a thread, is for
 *   approvers only.
 *
 * How: every new item of the update is located (its root, and the chain of items from it up to
 * the root's entry, each with its map key), its parent taken from the update (a root name or a
 * parent item id) or implied by its left or right origin, found in the document or in the same
 * update. Every item the update deletes is located in the document; a deletion implied by its
 * parent's deletion in the same update is not checked again. An editor typing costs one origin
 * lookup and a walk up a handful of parents.
 *
 * An item whose parent or origin is neither in the document nor in the update (its dependencies
 * have not arrived) cannot be located: from a comment connection, or when its own map key is
 * one that is protected, the update is `retry` (1013: the client resends once they are there);
 * otherwise an editor's such item is let through to wait as a pending struct (see room.ts).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any shared type, as Yjs types it
type SharedType = Y.AbstractType<any>;

export type Verdict =
  | {
      ok: true;
      /**
       * Posts this update creates with server-owned fields other than `status: "draft"` (an undo
       * of a post's deletion brings them back): the room resets them right after applying it.
       */
      repair?: PostRepair[];
    }
  | { ok: false; action: 'drop' | 'forbid' | 'retry'; reason: string };

/** A new post (the item of `posts[key]` with this id) whose review state the server resets. */
export interface PostRepair {
  key: string;
  id: Y.ID;
}

export interface Writer {
  role: Role | undefined;
  /** authorIdOf the connection's author key, if it gave one. */
  authorId?: string | undefined;
}

interface Node {
  item: Y.Item;
  /** Its map key (parentSub), null for an array or text element. */
  key: string | null;
  /** Written by this update (not yet in the document). */
  fresh: boolean;
}

interface Place {
  root: string;
  /** From the item itself (index 0) up to the root's entry (last). */
  chain: Node[];
}

/** Located, or 'gc' (next to garbage-collected content: Yjs integrates it as deleted), or not. */
type Located = Place | 'gc' | undefined;

const OK: Verdict = { ok: true };
const PROTECTED_KEYS = new Set<string>([
  ...SERVER_OWNED_POST_FIELDS,
  MESSAGE.authorId,
  MESSAGE.text,
  MESSAGE.deleted,
  THREAD.messages,
]);

class Inspection {
  private readonly byClient = new Map<number, (Y.Item | Y.GC | Y.Skip)[]>();
  private readonly memo = new Map<Y.Item, Located>();
  private readonly visiting = new Set<Y.Item>();
  private rootNames: Map<SharedType, string> | undefined;
  /** New messages, and those of them whose authorId was seen (and checked). */
  private readonly newMessages = new Set<Y.Item>();
  private readonly authored = new Set<Y.Item>();
  private readonly repairs = new Map<Y.Item, PostRepair>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly decoded: DecodedUpdate,
    private readonly writer: Writer,
  ) {}

  run(): Verdict {
    const store = this.doc.store;
    for (const struct of this.decoded.structs) {
      let list = this.byClient.get(struct.id.client);
      if (!list) this.byClient.set(struct.id.client, (list = []));
      list.push(struct);
    }
    for (const struct of this.decoded.structs) {
      if (!(struct instanceof Y.Item)) continue; // GC and Skip change nothing anyone can see
      const { client, clock } = struct.id;
      if (clock + struct.length <= Y.getState(store, client)) continue; // known: skipped by Yjs
      const place = this.locateNew(struct);
      if (place === 'gc') continue;
      const verdict = place ? this.checkInsert(struct, place) : this.unlocatable(struct);
      if (!verdict.ok) return verdict;
    }
    for (const message of this.newMessages) {
      if (!this.authored.has(message)) {
        return this.violation('a new comment message must carry its author’s id');
      }
    }
    const verdict = this.checkDeletions();
    if (verdict.ok && this.repairs.size) return { ok: true, repair: [...this.repairs.values()] };
    return verdict;
  }

  private violation(reason: string): Verdict {
    // A comment link's change that is not its to make is dropped, like a viewer's; an editor's
    // client that writes one is not the app (which never does), and is closed.
    return { ok: false, action: roleCanEdit(this.writer.role) ? 'forbid' : 'drop', reason };
  }

  private unlocatable(item: Y.Item): Verdict {
    if (!roleCanEdit(this.writer.role) || (item.parentSub && PROTECTED_KEYS.has(item.parentSub))) {
      return { ok: false, action: 'retry', reason: 'update depends on changes not yet here' };
    }
    return OK;
  }

  // --- locating ---

  private rootName(type: SharedType): string {
    if (!this.rootNames) {
      this.rootNames = new Map();
      for (const [name, t] of this.doc.share) this.rootNames.set(t, name);
    }
    return this.rootNames.get(type) ?? '';
  }

  /** An integrated item: walk its parents. */
  private locateDoc(item: Y.Item): Place {
    const chain: Node[] = [];
    let node = item;
    for (;;) {
      chain.push({ item: node, key: node.parentSub, fresh: false });
      const parent = node.parent as SharedType;
      if (!parent._item) return { root: this.rootName(parent), chain };
      node = parent._item;
    }
  }

  /** The struct holding `id`: in the document first (Yjs skips what it has), else the update. */
  private find(id: Y.ID): Located {
    const store = this.doc.store;
    if (id.clock < Y.getState(store, id.client)) {
      const structs = store.clients.get(id.client)!;
      const struct = structs[Y.findIndexSS(structs, id.clock)];
      return struct instanceof Y.Item ? this.locateDoc(struct) : 'gc';
    }
    const list = this.byClient.get(id.client);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid]!;
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s instanceof Y.Item ? this.locateNew(s) : s instanceof Y.GC ? 'gc' : undefined;
    }
    return undefined;
  }

  private locateNew(item: Y.Item): Located {
    if (this.memo.has(item)) return this.memo.get(item);
    if (this.visiting.has(item)) return undefined; // a cycle: no honest update has one
    this.visiting.add(item);
    const located = this.locateNewUncached(item);
    this.visiting.delete(item);
    this.memo.set(item, located);
    return located;
  }

  private locateNewUncached(item: Y.Item): Located {
    const parent = item.parent as unknown;
    if (typeof parent === 'string') {
      return { root: parent, chain: [{ item, key: item.parentSub, fresh: true }] };
    }
    if (parent instanceof Y.ID) {
      const up = this.find(parent);
      if (!up || up === 'gc') return up;
      return { root: up.root, chain: [{ item, key: item.parentSub, fresh: true }, ...up.chain] };
    }
    // Encoded without parent: it sits next to its origin (or right origin), in the same parent.
    const neighbour = item.origin ?? item.rightOrigin;
    if (!neighbour) return undefined;
    const beside = this.find(neighbour);
    if (!beside || beside === 'gc') return beside;
    const [self, ...up] = beside.chain;
    return { root: beside.root, chain: [{ item, key: self!.key, fresh: true }, ...up] };
  }

  // --- rules ---

  private checkInsert(item: Y.Item, { root, chain }: Place): Verdict {
    if (root === ROOT.comments) return this.commentInsert(item, chain);
    if (!roleCanEdit(this.writer.role)) {
      return this.violation('a comment link may change only the comments');
    }
    if (root === ROOT.posts && chain.length === 2) {
      const key = chain[0]!.key;
      if (key !== null && SERVER_OWNED_POST_FIELDS.includes(key)) {
        const post = chain[1]!;
        if (!post.fresh) {
          return { ok: false, action: 'forbid', reason: `only the server sets a post’s ${key}` };
        }
        // A new post: a draft is what the app writes. Anything else comes from undoing a post's
        // deletion (Yjs brings its fields back): accepted, and reset by the server at once.
        if (!(key === POST.status && valueOf(item) === 'draft') && post.key !== null) {
          this.repairs.set(post.item, { key: post.key, id: post.item.id });
        }
      }
    }
    return OK;
  }

  private commentInsert(item: Y.Item, chain: Node[]): Verdict {
    const depth = chain.length;
    const approver = roleCanApprove(this.writer.role);
    if (depth === 1) {
      // A thread under a key that holds a live one replaces it.
      const existing = this.doc.share.get(ROOT.comments)?._map.get(chain[0]!.key ?? '');
      if (existing && !existing.deleted && !approver) {
        return this.violation('only an approver may replace a comment thread');
      }
      return OK;
    }
    const thread = chain[depth - 1]!;
    const field = chain[depth - 2]!;
    if (depth === 2) {
      if (field.key === THREAD.messages && !thread.fresh && !approver) {
        return this.violation('only an approver may replace a thread’s messages');
      }
      return OK;
    }
    if (field.key !== THREAD.messages) return OK; // nothing else under a thread is owned
    const message = chain[depth - 3]!;
    if (depth === 3) {
      if (!(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.Map)) {
        return this.violation('a comment message must be a map');
      }
      if (!this.writer.authorId) {
        return this.violation('writing a comment needs an author key (author= in the sync URL)');
      }
      this.newMessages.add(item);
      return OK;
    }
    const key = chain[depth - 4]!.key;
    const value = depth === 4 ? valueOf(item) : undefined;
    if (message.fresh) {
      if (depth === 4 && key === MESSAGE.authorId) {
        if (value !== this.writer.authorId || this.writer.authorId === undefined) {
          return this.violation('a new comment message must carry its author’s own id');
        }
        this.authored.add(message.item);
      }
      return OK;
    }
    const owner = ownerOf(message.item);
    if (this.writer.authorId !== undefined && owner === this.writer.authorId) {
      if (key === MESSAGE.authorId && value !== owner) {
        return this.violation('a message’s author cannot be changed');
      }
      return OK;
    }
    if (approver && depth === 4 && approverMayDelete(key, value)) return OK;
    return this.violation('only its author may change a comment message');
  }

  private checkDeletions(): Verdict {
    const { ds } = this.decoded;
    if (ds.clients.size === 0) return OK;
    const store = this.doc.store;
    for (const [client, ranges] of ds.clients) {
      const structs = store.clients.get(client);
      if (!structs) continue;
      const state = Y.getState(store, client);
      for (const { clock, len } of ranges) {
        if (clock >= state) continue; // not here yet: the room refuses such deletions itself
        for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
          const struct = structs[i]!;
          if (struct.id.clock >= clock + len) break;
          if (!(struct instanceof Y.Item) || struct.deleted) continue;
          const parentItem = (struct.parent as SharedType)._item;
          // Deleted with its parent (a post, a thread): the parent's deletion is what is checked.
          if (parentItem && (parentItem.deleted || Y.isDeleted(ds, parentItem.id))) continue;
          const verdict = this.checkDeletion(this.locateDoc(struct));
          if (!verdict.ok) return verdict;
        }
      }
    }
    return OK;
  }

  private checkDeletion({ root, chain }: Place): Verdict {
    const depth = chain.length;
    if (root === ROOT.comments) {
      const approver = roleCanApprove(this.writer.role);
      if (depth === 1) {
        return approver ? OK : this.violation('only an approver may remove a comment thread');
      }
      const field = chain[depth - 2]!;
      if (depth === 2) {
        if (field.key === THREAD.messages && !approver) {
          return this.violation('only an approver may remove a thread’s messages');
        }
        return OK;
      }
      if (field.key !== THREAD.messages) return OK;
      const message = chain[depth - 3]!;
      const owner = ownerOf(message.item);
      if (this.writer.authorId !== undefined && owner === this.writer.authorId) return OK;
      if (approver && (depth === 3 || (depth === 4 && isDeletableKey(chain[0]!.key)))) return OK;
      return this.violation('only its author may change a comment message');
    }
    if (!roleCanEdit(this.writer.role)) {
      return this.violation('a comment link may change only the comments');
    }
    if (root === ROOT.posts && depth === 2) {
      const key = chain[0]!.key;
      if (key !== null && SERVER_OWNED_POST_FIELDS.includes(key)) {
        return { ok: false, action: 'forbid', reason: `only the server sets a post’s ${key}` };
      }
    }
    return OK;
  }
}

function valueOf(item: Y.Item): unknown {
  const content = item.content;
  return content instanceof Y.ContentAny && content.arr.length === 1 ? content.arr[0] : undefined;
}

/** The authorId an integrated message holds. */
function ownerOf(message: Y.Item): unknown {
  const content = message.content;
  if (!(content instanceof Y.ContentType) || !(content.type instanceof Y.Map)) return undefined;
  return (content.type as Y.Map<unknown>).get(MESSAGE.authorId);
}

const isDeletableKey = (key: string | null) => key === MESSAGE.deleted || key === MESSAGE.text;

/** What an approver may write into another's message: mark it deleted, or empty its text. */
function approverMayDelete(key: string | null, value: unknown): boolean {
  return key === MESSAGE.deleted || (key === MESSAGE.text && value === '');
}

/** Whether `writer` may make the changes of `decoded` to `doc` (see the top of this file). */
export function checkUpdate(doc: Y.Doc, decoded: DecodedUpdate, writer: Writer): Verdict {
  if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return OK;
  return new Inspection(doc, decoded, writer).run();
}
