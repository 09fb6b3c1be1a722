import { LocalDocStore, type LocalLoad } from '../local/docStore.ts';
import { authorKey, loadSyncState, saveSyncState, type SyncState } from '../local/db.ts';

/** One flashbook's copy on this device (LocalDocStore in browsers). */
export interface DeviceDoc {
  /** Resolves once stored updates are in the document (or storage failed or timed out). */
  readonly loaded: Promise<LocalLoad>;
  /** True while a change is being written. */
  readonly saving: boolean;
  subscribe(listener: () => void): () => void;
  destroy(): void;
}

/**
 * What a session needs from the place it runs in. Browsers pass `browserEnvironment()`; tests in
 * Node pass `ws`, a timer for frames, an online flag they control and in-memory device storage,
 * and run the same session code against the real server.
 */
export interface SessionEnvironment {
  /** ws(s)://host/sync. */
  syncUrl: string;
  /** The WebSocket class the provider opens sockets with. */
  WebSocket: typeof WebSocket;
  /** Whether the device has a network, and a way to hear when that changes. */
  online: { now(): boolean; subscribe(onChange: () => void): () => void };
  /** Runs `callback` before the next paint (requestAnimationFrame in browsers). */
  frames: { request(callback: () => void): number; cancel(handle: number): void };
  /** This device's storage of documents and of their unconfirmed-change counts. */
  device: {
    openDoc(docId: string, doc: import('yjs').Doc, onError: (error: unknown) => void): DeviceDoc;
    loadSyncState(docId: string): Promise<SyncState | undefined>;
    saveSyncState(state: SyncState): Promise<void>;
    /** This device's secret comment-author key (src/local/db.ts); absent: the session has none. */
    authorKey?(): Promise<string>;
  };
}

export function defaultSyncUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/sync`;
}

/** The environment of a browser tab: IndexedDB, the page's network state and animation frames. */
export function browserEnvironment(syncUrl = defaultSyncUrl()): SessionEnvironment {
  return {
    syncUrl,
    WebSocket,
    online: {
      now: () => navigator.onLine,
      subscribe(onChange) {
        window.addEventListener('online', onChange);
        window.addEventListener('offline', onChange);
        return () => {
          window.removeEventListener('online', onChange);
          window.removeEventListener('offline', onChange);
        };
      },
    },
    frames: {
      request: (callback) => requestAnimationFrame(callback),
      cancel: (handle) => cancelAnimationFrame(handle),
    },
    device: {
      openDoc: (docId, doc, onError) => new LocalDocStore(docId, doc, onError),
      loadSyncState,
      saveSyncState,
      authorKey,
    },
  };
}
