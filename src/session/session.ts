import { CLOSE } from '../protocol/close-codes.ts';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { FlashbookReader, readFlashbook, type FlashbookView } from '../model/flashbook.ts';
import { LOCAL_STORE, type LocalLoad } from '../local/docStore.ts';
import { roleCanComment, roleCanEdit, type Role } from '../protocol/roles.ts';
import { authorIdOf } from '../model/review.ts';
import { readThreads, type ThreadView } from '../model/comments.ts';
import { AckTracker } from './acks.ts';
import { SyncConnection, type ConnectionStatus } from './connection.ts';
import { browserEnvironment, type DeviceDoc, type SessionEnvironment } from './environment.ts';
import { PresenceChannel, type Presence, type User } from './presence.ts';
import { shareStructure } from './structural.ts';
import { SessionUndoManager } from './undo.ts';

export type { ConnectionStatus, Presence, Role, User };

export interface SessionState {
  view: FlashbookView;
  status: ConnectionStatus;
  /** True once there is a document to show: from this device's storage or from the server. */
  loaded: boolean;
  /** What this device's storage held when the flashbook opened. */
  local: 'loading' | LocalLoad;
  /** True while a change is being written to this device's storage. */
  savingLocally: boolean;
  /** Local storage failed (quota, disabled storage): the flashbook lives in memory only. */
  storageProblem: boolean;
  /** Local changes the server has not confirmed yet. */
  pending: number;
  /** When the server last confirmed every local change, ms since the epoch. */
  lastSync: number | null;
  /** Created offline and not registered with the server yet. */
  localOnly: boolean;
  /** Why the server refused the connection (close code and reason), when it did. */
  refusal: { code: number; reason: string } | null;
  peers: Presence[];
  selectedSlideId: string | null;
  canUndo: boolean;
  canRedo: boolean;
  /** The comment threads, oldest first (src/model/comments.ts). */
  threads: ThreadView[];
  /** authorIdOf this device's author key: whose comment messages are this user's. Null until known. */
  authorId: string | null;
}

export interface SessionOptions {
  id: string;
  /** Null for a flashbook created offline: it connects once registered (see `connect`). */
  token: string | null;
  role: Role;
  user: User;
  /** The secret comment-author key; by default the device's (env.device.authorKey). */
  authorKey?: string;
  /** Where the session runs; a browser tab by default. */
  env?: SessionEnvironment;
}

/**
 * One open flashbook: the Y.Doc, its copy on this device, its connection to the sync server
 * (connection.ts), presence (presence.ts) and undo. Vanilla (no React): the UI subscribes to
 * `store`. Everything it needs from its surroundings comes in as a SessionEnvironment, so the same
 * code runs in a tab and in a Node test against the real server.
 *
 * Data flow: edits land in the Y.Doc; the device store appends them to IndexedDB; the provider
 * sends them to the server, which acknowledges what it stored (AckTracker). Offline, the first two
 * still happen and the provider catches up on reconnect (sync step 1/2 exchange). A session never
 * seeds default content: the server does, or registration.ts for a flashbook created offline.
 */
/**
 * What a refusal (a close code 4400-4499, after which the client stops retrying) means for the
 * user. 'fatal' ones are about the link (bad id, wrong token, no such flashbook): nothing to edit.
 * The others are about one change or this connection: the editor stays, with an explanation.
 * See docs/server.md, "Close codes".
 */
export type RefusalKind =
  | 'fatal'
  | 'linkReplaced'
  | 'forbiddenChange'
  | 'sizeLimit'
  | 'tooLarge'
  | 'rateLimited'
  | 'clientId';

/**
 * 'linkReplaced' (4410): the link's token was replaced by the flashbook's approver; like 'fatal' it
 * ends the editor, with its own page. 'forbiddenChange' (4403): this tab sent a change its role may
 * not make (a post's status); the editor stays, explained, and nothing more is sent.
 */
export function refusalKind(code: number): RefusalKind {
  switch (code) {
    case CLOSE.LINK_REPLACED:
      return 'linkReplaced';
    case CLOSE.FORBIDDEN_CHANGE:
      return 'forbiddenChange';
    case CLOSE.FLASHBOOK_FULL:
      return 'sizeLimit';
    case CLOSE.TOO_LARGE:
      return 'tooLarge';
    case CLOSE.RATE_LIMITED:
      return 'rateLimited';
    case CLOSE.CLIENT_ID_CONFLICT:
      return 'clientId';
    default:
      return 'fatal';
  }
}

/** After a rate-limit refusal the session reconnects by itself this much later. */
const RATE_LIMIT_RETRY_MS = 10_000;

export class FlashbookSession {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly undo: SessionUndoManager | null;
  readonly store: StoreApi<SessionState>;
  readonly role: Role;
  readonly id: string;
  private connection: SyncConnection | null = null;
  private readonly env: SessionEnvironment;
  private readonly localStore: DeviceDoc;
  private readonly presence: PresenceChannel;
  private readonly reader = new FlashbookReader(this.doc);
  private readonly acks = new AckTracker();
  private frame = 0;
  private destroyed = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(opts: SessionOptions) {
    this.id = opts.id;
    this.role = opts.role;
    const env = (this.env = opts.env ?? browserEnvironment());
    this.store = createStore<SessionState>(() => ({
      view: readFlashbook(this.doc),
      status: env.online.now() ? 'connecting' : 'offline',
      loaded: false,
      local: 'loading',
      savingLocally: false,
      storageProblem: false,
      pending: 0,
      lastSync: null,
      localOnly: opts.token === null,
      refusal: null,
      peers: [],
      selectedSlideId: null,
      canUndo: false,
      canRedo: false,
      authorId: null,
      threads: readThreads(this.doc),
    }));

    this.localStore = env.device.openDoc(opts.id, this.doc, (error) => {
      console.warn('Local storage failed; this flashbook is kept in memory only.', error);
      this.store.setState({ storageProblem: true });
    });
    this.cleanups.push(
      this.localStore.subscribe(() =>
        this.store.setState({ savingLocally: this.localStore.saving }),
      ),
    );
    void this.localStore.loaded.then((local) => {
      if (this.destroyed) return;
      const loaded =
        this.store.getState().loaded || local === 'found' || this.store.getState().localOnly;
      this.store.setState({ local, loaded });
      this.scheduleRead();
    });

    // What the server had not confirmed when this flashbook was last open here.
    const syncStateRead = env.device.loadSyncState(opts.id).then((s) => {
      if (!s || this.destroyed) return;
      this.acks.restore(s.pending);
      this.store.setState({ lastSync: s.lastSync ?? null });
    });
    this.cleanups.push(
      this.acks.subscribe(() => {
        const pending = this.acks.pending;
        const lastSync = this.acks.lastConfirmed ?? this.store.getState().lastSync;
        const before = this.store.getState();
        // The tracker reports every message it numbers; storage is written only on a change.
        if (pending === before.pending && lastSync === before.lastSync) return;
        this.store.setState({ pending, lastSync });
        void env.device.saveSyncState({ docId: opts.id, pending, lastSync });
      }),
    );

    this.undo = roleCanEdit(opts.role) ? new SessionUndoManager(this.doc) : null;
    this.presence = new PresenceChannel(this.awareness, opts.user, (peers) =>
      this.store.setState({ peers }),
    );

    this.doc.on('update', this.scheduleRead);
    this.cleanups.push(() => this.doc.off('update', this.scheduleRead));
    // Subscribed before the provider exists, so the tracker hears of each update before the
    // provider sends it. Viewers' changes never count: the server drops them (a commenter's count:
    // the server stores their comments).
    const onUpdate = (_u: Uint8Array, origin: unknown, _d: Y.Doc, tr: Y.Transaction) => {
      if (origin === this.connection?.provider) return;
      this.acks.noteUpdate(tr.local && origin !== LOCAL_STORE && roleCanComment(this.role));
    };
    this.doc.on('update', onUpdate);
    this.cleanups.push(() => this.doc.off('update', onUpdate));

    if (this.undo) {
      const undo = this.undo;
      const onStack = () =>
        this.store.setState({
          canUndo: undo.undoStack.length > 0,
          canRedo: undo.redoStack.length > 0,
        });
      undo.listen('stack-item-added', onStack);
      undo.listen('stack-item-popped', onStack);
      undo.listen('stack-cleared', onStack);
    }

    // Connect once this device's copy is in the document and its unconfirmed count is known, so
    // the first step 2 carries (and accounts for) everything made offline. Both are bounded waits.
    // The author key goes with the connection, so it is read before connecting too.
    const keyRead = (this.keyRead = Promise.resolve(opts.authorKey ?? env.device.authorKey?.())
      .catch(() => undefined)
      .then((key) => {
        this.authorKey = key;
        this.keyKnown = true;
        if (key && !this.destroyed) this.store.setState({ authorId: authorIdOf(key) });
      }));
    const token = opts.token;
    if (token !== null)
      void Promise.all([this.localStore.loaded, syncStateRead, keyRead]).then(() =>
        this.connect(token),
      );
    this.updateStatus();
  }

  /** The token this session connected with; none before it connects (offline-created, not yet registered). */
  get token(): string | undefined {
    return this.connectedToken;
  }
  private connectedToken: string | undefined;
  private authorKey: string | undefined;
  private keyKnown = false;
  private keyRead: Promise<void> = Promise.resolve();

  /** Connects to the sync server; for a flashbook created offline, once it has its token. */
  connect(token: string): void {
    if (this.connection || this.destroyed) return;
    if (!this.keyKnown) {
      void this.keyRead.then(() => this.connect(token));
      return;
    }
    this.connectedToken = token;
    this.connection = new SyncConnection(
      this.id,
      token,
      this.doc,
      this.awareness,
      this.role,
      this.acks,
      this.env,
      {
        changed: () => this.updateStatus(),
        synced: () => this.store.setState({ loaded: true }),
        refused: (refusal) => {
          this.store.setState({ status: 'refused', refusal });
          if (refusalKind(refusal.code) === 'rateLimited') {
            const timer = setTimeout(() => this.reconnect(), RATE_LIMIT_RETRY_MS);
            this.cleanups.push(() => clearTimeout(timer));
          }
        },
      },
      this.authorKey,
    );
    this.store.setState({ localOnly: false });
    this.updateStatus();
  }

  /** Tries again after a refusal that is about a change or the connection, not the link. */
  reconnect(): void {
    const refusal = this.store.getState().refusal;
    const kind = refusal ? refusalKind(refusal.code) : 'fatal';
    if (!this.connection || this.destroyed || kind === 'fatal' || kind === 'linkReplaced') return;
    this.store.setState({ refusal: null, status: 'connecting' });
    this.connection.retry();
    this.updateStatus();
  }

  private updateStatus(): void {
    const state = this.store.getState();
    if (state.status === 'refused') return;
    const status = this.connection ? this.connection.status(state.loaded) : 'offline';
    this.store.setState({ status });
  }

  /** Re-reads the document once per frame, however many updates arrive in it. */
  private readonly scheduleRead = () => {
    if (this.frame || this.destroyed) return;
    this.frame = this.env.frames.request(() => {
      this.frame = 0;
      const view = shareStructure(this.store.getState().view, this.reader.read());
      const threads = shareStructure(this.store.getState().threads, readThreads(this.doc));
      const selected = this.store.getState().selectedSlideId;
      const stillThere =
        selected &&
        [...view.posts.flatMap((p) => p.slides), ...view.orphanSlides].some(
          (s) => s.id === selected,
        );
      const selectedSlideId = stillThere ? selected : (view.posts[0]?.slides[0]?.id ?? null);
      this.store.setState({ view, threads, selectedSlideId });
      if (!stillThere) this.presence.select(selectedSlideId);
    });
  };

  select(slideId: string | null): void {
    this.store.setState({ selectedSlideId: slideId });
    this.presence.select(slideId);
  }

  setUser(user: User): void {
    this.presence.setUser(user);
  }

  destroy(): void {
    this.destroyed = true;
    if (this.frame) this.env.frames.cancel(this.frame);
    for (const c of this.cleanups) c();
    this.presence.destroy();
    this.connection?.destroy();
    this.awareness.destroy();
    this.localStore.destroy();
    this.reader.destroy();
    this.undo?.dispose();
    this.doc.destroy();
  }
}
