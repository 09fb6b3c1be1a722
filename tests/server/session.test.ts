import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type * as Y from 'yjs';
import { editText, readFlashbook } from '../../src/model/flashbook.ts';
import type { SyncState } from '../../src/local/db.ts';
import type { DeviceDoc, SessionEnvironment } from '../../src/session/environment.ts';
import { FlashbookSession } from '../../src/session/session.ts';
import { Harness, waitFor } from '../helpers/server.ts';

const h = new Harness();
afterEach(() => h.cleanup());

/** A Node environment: `ws` sockets, timer frames, a network switch the test flips, no disk. */
function nodeEnvironment(syncUrl: string) {
  let online = true;
  const onlineListeners = new Set<() => void>();
  const syncStates = new Map<string, SyncState>();
  const env: SessionEnvironment = {
    syncUrl,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    online: {
      now: () => online,
      subscribe(listener) {
        onlineListeners.add(listener);
        return () => onlineListeners.delete(listener);
      },
    },
    frames: {
      request: (callback) => setTimeout(callback, 0) as unknown as number,
      cancel: (handle) => clearTimeout(handle),
    },
    device: {
      // This device keeps nothing: the server's copy is the only one (as in a tab whose storage
      // is disabled).
      openDoc: (_docId: string, _doc: Y.Doc): DeviceDoc => ({
        loaded: Promise.resolve('empty'),
        saving: false,
        subscribe: () => () => {},
        destroy: () => {},
      }),
      loadSyncState: (docId) => Promise.resolve(syncStates.get(docId)),
      saveSyncState: async (state) => void syncStates.set(state.docId, state),
    },
  };
  const setOnline = (value: boolean) => {
    online = value;
    for (const l of onlineListeners) l();
  };
  return { env, setOnline, syncStates };
}

const user = { name: 'Айгерім', library: 'Central library', color: '#aa3355' };

describe('FlashbookSession in Node against the real server', () => {
  it('loads the server’s document, sends an edit and counts it confirmed', async () => {
    const server = await h.start();
    const created = await h.create(server.url, 'Жаңа кітаптар');
    const { env, syncStates } = nodeEnvironment(`${server.wsUrl}/sync`);
    const session = new FlashbookSession({
      id: created.id,
      token: created.editToken,
      role: 'edit',
      user,
      env,
    });
    try {
      await waitFor(() => session.store.getState().status === 'connected', 'connected');
      await waitFor(() => session.store.getState().view.title === 'Жаңа кітаптар', 'title read');
      expect(session.store.getState().loaded).toBe(true);

      editText(session.doc, { kind: 'title' }, 'Жаңа кітаптар 2026');
      const other = await h.connectSynced(server.url, created.id, created.editToken);
      await waitFor(() => readFlashbook(other.doc).title === 'Жаңа кітаптар 2026', 'edit relayed');
      // The server acknowledged the stored change: nothing pending, and the count is persisted.
      await waitFor(() => session.store.getState().pending === 0, 'acknowledged');
      expect(session.store.getState().lastSync).not.toBeNull();
      expect(syncStates.get(created.id)?.pending).toBe(0);
    } finally {
      session.destroy();
    }
  });

  it('shows who else is here and on which slide, and tells them its own selection', async () => {
    const server = await h.start();
    const created = await h.create(server.url);
    const { env } = nodeEnvironment(`${server.wsUrl}/sync`);
    const session = new FlashbookSession({
      id: created.id,
      token: created.editToken,
      role: 'edit',
      user,
      env,
    });
    try {
      const other = await h.connectSynced(server.url, created.id, created.editToken);
      const slideId = readFlashbook(other.doc).posts[0]?.slides[0]?.id ?? '';
      other.provider.awareness.setLocalStateField('user', {
        name: 'Methodologist',
        library: 'Branch 4',
        color: 'not a colour',
      });
      other.provider.awareness.setLocalStateField('slideId', slideId);
      await waitFor(() => session.store.getState().peers.length === 1, 'the other user');
      expect(session.store.getState().peers[0]).toMatchObject({
        name: 'Methodologist',
        library: 'Branch 4',
        color: '#888888',
        slideId,
      });

      session.select(slideId);
      await waitFor(
        () =>
          other.provider.awareness.getStates().get(session.doc.clientID)?.['slideId'] === slideId,
        'my selection at the other user',
      );
    } finally {
      session.destroy();
    }
  });

  it('keeps edits made offline as pending and sends them when the network is back', async () => {
    const server = await h.start();
    const created = await h.create(server.url, 'Title');
    const { env, setOnline } = nodeEnvironment(`${server.wsUrl}/sync`);
    const session = new FlashbookSession({
      id: created.id,
      token: created.editToken,
      role: 'edit',
      user,
      env,
    });
    try {
      await waitFor(() => session.store.getState().status === 'connected', 'connected');
      setOnline(false);
      expect(session.store.getState().status).toBe('offline');
      editText(session.doc, { kind: 'title' }, 'Title written offline');
      await waitFor(() => session.store.getState().pending === 1, 'one change pending');
      expect(session.store.getState().status).toBe('offline');

      setOnline(true);
      await waitFor(() => session.store.getState().status === 'connected', 'reconnected');
      await waitFor(() => session.store.getState().pending === 0, 'acknowledged');
      const other = await h.connectSynced(server.url, created.id, created.editToken);
      expect(readFlashbook(other.doc).title).toBe('Title written offline');
    } finally {
      session.destroy();
    }
  });
});
