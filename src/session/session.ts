import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { readFlashbook, type FlashbookView } from '../model/flashbook.ts';
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
  /** True once the document has been received from the server at least once. */
  loaded: boolean;
  /** Why the server refused the connection (close code and reason), when it did. */
  refusal: { code: number; reason: string } | null;
  peers: Presence[];
  selectedSlideId: string | null;
  canUndo: boolean;
  canRedo: boolean;
}

export interface SessionOptions {
  id: string;
  token: string;
  role: Role;
  user: User;
  /** ws(s)://host/sync; defaults to this page's origin. */
  syncUrl?: string;
}

export function defaultSyncUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/sync`;
}

/**
 * One open flashbook: the Y.Doc, its connection to the sync server, presence and undo. Vanilla
 * (no React): the UI subscribes to `store`.
 */
export class FlashbookSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly undo: SessionUndoManager | null;
  readonly store: StoreApi<SessionState>;
  readonly role: Role;
  readonly id: string;
  private frame = 0;
  private readonly cleanups: (() => void)[] = [];

  constructor(opts: SessionOptions) {
    this.id = opts.id;
    this.role = opts.role;
    this.store = createStore<SessionState>(() => ({
      view: readFlashbook(this.doc),
      status: navigator.onLine ? 'connecting' : 'offline',
      loaded: false,
      refusal: null,
      peers: [],
      selectedSlideId: null,
      canUndo: false,
      canRedo: false,
    }));
    this.provider = new WebsocketProvider(opts.syncUrl ?? defaultSyncUrl(), opts.id, this.doc, {
      params: { token: opts.token },
      // A viewer's tab must not pass edits to other tabs behind the server's back.
      disableBc: opts.role === 'view',
      maxBackoffTime: 5000,
    });
    this.undo = opts.role === 'edit' ? new SessionUndoManager(this.doc) : null;

    const awareness = this.provider.awareness;
    awareness.setLocalStateField('user', opts.user);
    awareness.setLocalStateField('slideId', null);

    this.doc.on('update', this.scheduleRead);
    this.cleanups.push(() => this.doc.off('update', this.scheduleRead));

    const onStatus = ({ status }: { status: string }) => {
      if (this.store.getState().status === 'refused') return;
      const next: ConnectionStatus =
        status === 'connected'
          ? 'connected'
          : !navigator.onLine
            ? 'offline'
            : this.store.getState().loaded
              ? 'reconnecting'
              : 'connecting';
      this.store.setState({ status: next });
    };
    this.provider.on('status', onStatus);
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.store.setState({ loaded: true, status: 'connected' });
    });
    this.provider.on('closed', (event: { code: number; reason: string }) => {
      this.store.setState({ status: 'refused', refusal: event });
    });
    const onOnline = () =>
      onStatus({ status: this.provider.wsconnected ? 'connected' : 'connecting' });
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOnline);
    this.cleanups.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOnline);
    });

    const onAwareness = () => this.store.setState({ peers: this.readPeers() });
    awareness.on('change', onAwareness);
    this.cleanups.push(() => awareness.off('change', onAwareness));

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
  }

  /** Re-reads the document once per animation frame, however many updates arrive in it. */
  private readonly scheduleRead = () => {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const view = shareStructure(this.store.getState().view, readFlashbook(this.doc));
      const selected = this.store.getState().selectedSlideId;
      const stillThere =
        selected &&
        [...view.posts.flatMap((p) => p.slides), ...view.orphanSlides].some(
          (s) => s.id === selected,
        );
      this.store.setState({
        view,
        selectedSlideId: stillThere ? selected : (view.posts[0]?.slides[0]?.id ?? null),
      });
      if (!stillThere)
        this.provider.awareness.setLocalStateField(
          'slideId',
          this.store.getState().selectedSlideId,
        );
    });
  };

  private readPeers(): Presence[] {
    const peers: Presence[] = [];
    this.provider.awareness.getStates().forEach((state, clientId) => {
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
    this.provider.awareness.setLocalStateField('slideId', slideId);
  }

  setUser(user: User): void {
    this.provider.awareness.setLocalStateField('user', user);
  }

  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    for (const c of this.cleanups) c();
    this.provider.destroy();
    this.undo?.dispose();
    this.doc.destroy();
  }
}
