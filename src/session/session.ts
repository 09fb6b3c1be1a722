import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { Awareness, removeAwarenessStates } from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { FlashbookReader, readFlashbook, type FlashbookView } from '../model/flashbook.ts';
import { LOCAL_STORE, LocalDocStore, type LocalLoad } from '../local/docStore.ts';
import { loadSyncState, saveSyncState } from '../local/db.ts';
import { AckTracker, MESSAGE_ACK } from './acks.ts';
import { shareStructure } from './structural.ts';
import { SessionUndoManager } from './undo.ts';

export type Role = 'edit' | 'view';

/** What the user sees of the connection. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused';

export interface Presence {
  clientId: number;
  name: string;
  library: string;
  color: string;
  slideId: string | null;
}

export interface User {
  name: string;
  library: string;
  color: string;
}

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
}

export interface SessionOptions {
  id: string;
  /** Null for a flashbook created offline: it connects once registered (see `connect`). */
  token: string | null;
  role: Role;
  user: User;
  /** ws(s)://host/sync; defaults to this page's origin. */
  syncUrl?: string;
}

/**
 * What a refusal (a close code 4400-4499, after which the client stops retrying) means for the
 * user. 'fatal' ones are about the link (bad id, wrong token, no such flashbook): nothing to edit.
 * The others are about one change or this connection: the editor stays, with an explanation.
 * See docs/server.md, "Close codes".
 */
export type RefusalKind = 'fatal' | 'sizeLimit' | 'tooLarge' | 'rateLimited' | 'clientId';

export function refusalKind(code: number): RefusalKind {
  switch (code) {
    case 4423:
      return 'sizeLimit';
    case 4413:
      return 'tooLarge';
    case 4429:
      return 'rateLimited';
    case 4409:
      return 'clientId';
    default:
      return 'fatal';
  }
}

/** After a rate-limit refusal the session reconnects by itself this much later. */
const RATE_LIMIT_RETRY_MS = 10_000;

export function defaultSyncUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/sync`;
}

/**
 * One open flashbook: the Y.Doc, its copy on this device, its connection to the sync server,
 * presence and undo. Vanilla (no React): the UI subscribes to `store`.
 *
 * Data flow: edits land in the Y.Doc; LocalDocStore appends them to IndexedDB; the provider sends
 * them to the server, which acknowledges what it stored (AckTracker). Offline, the first two still
 * happen and the provider catches up on reconnect (sync step 1/2 exchange). Nothing here ever seeds
 * default content: that is the server's job.
 */
export class FlashbookSession {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly undo: SessionUndoManager | null;
  readonly store: StoreApi<SessionState>;
  readonly role: Role;
  readonly id: string;
  provider: WebsocketProvider | null = null;
  private readonly localStore: LocalDocStore;
  private readonly reader = new FlashbookReader(this.doc);
  private readonly acks = new AckTracker();
  private frame = 0;
  private destroyed = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(private readonly opts: SessionOptions) {
    this.id = opts.id;
    this.role = opts.role;
    this.store = createStore<SessionState>(() => ({
      view: readFlashbook(this.doc),
      status: navigator.onLine ? 'connecting' : 'offline',
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
    }));

    this.localStore = new LocalDocStore(opts.id, this.doc, (error) => {
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
    const syncStateRead = loadSyncState(opts.id).then((s) => {
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
        void saveSyncState({ docId: opts.id, pending, lastSync });
      }),
    );

    this.undo = opts.role === 'edit' ? new SessionUndoManager(this.doc) : null;
    this.awareness.setLocalStateField('user', opts.user);
    this.awareness.setLocalStateField('slideId', null);

    this.doc.on('update', this.scheduleRead);
    this.cleanups.push(() => this.doc.off('update', this.scheduleRead));
    // Subscribed before the provider exists, so the tracker hears of each update before the
    // provider sends it. Viewers' changes never count: the server drops them.
    const onUpdate = (_u: Uint8Array, origin: unknown, _d: Y.Doc, tr: Y.Transaction) => {
      if (origin === this.provider) return;
      this.acks.noteUpdate(tr.local && origin !== LOCAL_STORE && this.role === 'edit');
    };
    this.doc.on('update', onUpdate);
    this.cleanups.push(() => this.doc.off('update', onUpdate));

    // Without a network the socket is closed on purpose rather than left hanging (a half-dead
    // socket can swallow edits until a timeout notices); back online, it reconnects at once and
    // the sync step 1/2 exchange sends what was made meanwhile.
    const onOnline = () => {
      const p = this.provider;
      if (p && this.store.getState().status !== 'refused') {
        if (navigator.onLine) p.connect();
        else p.disconnect();
      }
      this.updateStatus();
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOnline);
    this.cleanups.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOnline);
    });

    // Carets move on every keystroke; the list only changes when someone comes, goes or switches slide.
    const onAwareness = () =>
      this.store.setState({ peers: shareStructure(this.store.getState().peers, this.readPeers()) });
    this.awareness.on('change', onAwareness);
    this.cleanups.push(() => this.awareness.off('change', onAwareness));

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
    const token = opts.token;
    if (token !== null)
      void Promise.all([this.localStore.loaded, syncStateRead]).then(() => this.connect(token));
    this.updateStatus();
  }

  /** Connects to the sync server; for a flashbook created offline, once it has its token. */
  connect(token: string): void {
    if (this.provider || this.destroyed) return;
    const acks = this.acks;
    // Numbers the update messages this client sends, so acknowledgements can be matched to them.
    class CountingWebSocket extends WebSocket {
      override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
        acks.onSend(data);
        super.send(data);
      }
    }
    const provider = new WebsocketProvider(
      this.opts.syncUrl ?? defaultSyncUrl(),
      this.id,
      this.doc,
      {
        params: { token, ack: '1' },
        awareness: this.awareness,
        WebSocketPolyfill: CountingWebSocket,
        // A viewer's tab must not pass edits to other tabs behind the server's back.
        disableBc: this.role === 'view',
        maxBackoffTime: 5000,
        connect: navigator.onLine,
      },
    );
    this.provider = provider;
    provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder) => {
      acks.onAck(decoding.readVarUint(decoder));
    };
    provider.on('status', () => this.updateStatus());
    provider.on('connection-close', () => acks.onSocketClosed());
    provider.on('sync', (synced: boolean) => {
      if (synced) this.store.setState({ loaded: true });
      this.updateStatus();
    });
    provider.on('closed', (event: { code: number; reason: string }) => {
      this.store.setState({ status: 'refused', refusal: event });
      if (refusalKind(event.code) === 'rateLimited') {
        const timer = setTimeout(() => this.reconnect(), RATE_LIMIT_RETRY_MS);
        this.cleanups.push(() => clearTimeout(timer));
      }
    });
    this.store.setState({ localOnly: false });
    this.updateStatus();
  }

  /** Tries again after a refusal that is about a change or the connection, not the link. */
  reconnect(): void {
    const p = this.provider;
    const refusal = this.store.getState().refusal;
    if (!p || this.destroyed || !refusal || refusalKind(refusal.code) === 'fatal') return;
    this.store.setState({ refusal: null, status: 'connecting' });
    p.connect();
    this.updateStatus();
  }

  private updateStatus(): void {
    const state = this.store.getState();
    if (state.status === 'refused') return;
    const p = this.provider;
    const status: ConnectionStatus =
      p?.wsconnected && p.synced
        ? 'connected'
        : !navigator.onLine || !p
          ? 'offline'
          : state.loaded
            ? 'reconnecting'
            : 'connecting';
    this.store.setState({ status });
  }

  /** Re-reads the document once per animation frame, however many updates arrive in it. */
  private readonly scheduleRead = () => {
    if (this.frame || this.destroyed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const view = shareStructure(this.store.getState().view, this.reader.read());
      const selected = this.store.getState().selectedSlideId;
      const stillThere =
        selected &&
        [...view.posts.flatMap((p) => p.slides), ...view.orphanSlides].some(
          (s) => s.id === selected,
        );
      const selectedSlideId = stillThere ? selected : (view.posts[0]?.slides[0]?.id ?? null);
      this.store.setState({ view, selectedSlideId });
      if (!stillThere) this.awareness.setLocalStateField('slideId', selectedSlideId);
    });
  };

  private readPeers(): Presence[] {
    const peers: Presence[] = [];
    this.awareness.getStates().forEach((state, clientId) => {
      if (clientId === this.doc.clientID) return;
      const user = state['user'] as Partial<User> | undefined;
      if (!user || typeof user.name !== 'string') return;
      const slideId = state['slideId'];
      peers.push({
        clientId,
        name: user.name.slice(0, 80),
        library: typeof user.library === 'string' ? user.library.slice(0, 120) : '',
        color:
          typeof user.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color)
            ? user.color
            : '#888888',
        slideId: typeof slideId === 'string' ? slideId : null,
      });
    });
    return peers.sort((a, b) => a.clientId - b.clientId);
  }

  select(slideId: string | null): void {
    this.store.setState({ selectedSlideId: slideId });
    this.awareness.setLocalStateField('slideId', slideId);
  }

  setUser(user: User): void {
    this.awareness.setLocalStateField('user', user);
  }

  destroy(): void {
    this.destroyed = true;
    if (this.frame) cancelAnimationFrame(this.frame);
    for (const c of this.cleanups) c();
    removeAwarenessStates(this.awareness, [this.doc.clientID], 'destroy');
    this.provider?.destroy();
    this.awareness.destroy();
    this.localStore.destroy();
    this.reader.destroy();
    this.undo?.dispose();
    this.doc.destroy();
  }
}
