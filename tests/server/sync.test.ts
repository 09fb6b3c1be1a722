import { afterEach, describe, expect, it } from 'vitest';
import {
  Harness,
  closedEvent,
  sleep,
  synced,
  title,
  titleText,
  waitFor,
} from '../helpers/server.ts';

const h = new Harness();
afterEach(() => h.cleanup());

describe('sync', () => {
  it('syncs two editors both ways', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Books about the war');
    const a = await h.connectSynced(server.url, fb.id, fb.editToken);
    const b = await h.connectSynced(server.url, fb.id, fb.editToken);
    expect(title(a.doc)).toBe('Books about the war');
    expect(title(b.doc)).toBe('Books about the war');

    titleText(a.doc).insert(0, 'Kazakh ');
    await waitFor(() => title(b.doc) === 'Kazakh Books about the war', 'edit of A at B');
    titleText(b.doc).insert(title(b.doc).length, ' 1941–1945');
    await waitFor(() => title(a.doc) === 'Kazakh Books about the war 1941–1945', 'edit of B at A');

    // Concurrent edits converge to the same text everywhere.
    titleText(a.doc).insert(0, 'Ә');
    titleText(b.doc).insert(0, 'Қ');
    await waitFor(() => title(a.doc) === title(b.doc) && title(a.doc).length === 38, 'convergence');
    expect(server.stats()).toEqual({ loadedDocs: 1, connections: 2 });
    const connects = server.logs.filter((l) => l.event === 'connect');
    expect(connects).toHaveLength(2);
    expect(connects[0]).toMatchObject({ level: 'info', room: fb.id, role: 'edit' });
  });

  it('relays awareness and removes it when its connection closes', async () => {
    const server = await h.start();
    const fb = await h.create(server.url);
    const a = await h.connectSynced(server.url, fb.id, fb.editToken);
    const b = await h.connectSynced(server.url, fb.id, fb.editToken);
    a.provider.awareness.setLocalStateField('user', { name: 'Aigerim' });
    await waitFor(
      () => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Aigerim',
      'awareness of A at B',
    );
    // A late joiner receives the current states on connect.
    const c = await h.connectSynced(server.url, fb.id, fb.editToken);
    await waitFor(() => c.provider.awareness.getStates().has(a.doc.clientID), 'states at C');
    // y-websocket sends no goodbye state on disconnect: the server must clear A's presence.
    a.provider.disconnect();
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), 'A gone at B');
  });

  for (const [name, token] of [
    ['a wrong token', 'wrong-token'],
    ['no token', undefined],
  ] as const) {
    it(`closes a connection with ${name} with 4401 and the client stops`, async () => {
      const server = await h.start();
      const fb = await h.create(server.url);
      const client = h.connect(server.url, fb.id, token);
      const closed = await closedEvent(client.provider);
      expect(closed.code).toBe(4401);
      expect(client.provider.shouldConnect).toBe(false);
      // Longer than the client's first backoff steps: a retry would show as a second refusal.
      await sleep(700);
      expect(server.logs.filter((l) => l.event === 'refused')).toHaveLength(1);
      expect(server.logs.find((l) => l.event === 'refused')).toMatchObject({
        room: fb.id,
        code: 4401,
      });
      expect(client.provider.synced).toBe(false);
      expect(client.doc.getMap('meta').size).toBe(0);
    });
  }

  it('closes with 4404 for an unknown flashbook and 4400 for an invalid id', async () => {
    const server = await h.start();
    const fb = await h.create(server.url);
    const unknown = h.connect(server.url, 'Unknown_flashbook_1', fb.editToken);
    expect((await closedEvent(unknown.provider)).code).toBe(4404);
    const invalid = h.connect(server.url, 'bad.id', fb.editToken);
    expect((await closedEvent(invalid.provider)).code).toBe(4400);
    const nested = h.connect(server.url, `${fb.id}/x`, fb.editToken);
    expect((await closedEvent(nested.provider)).code).toBe(4400);
    await waitFor(() => server.stats().connections === 0, 'refused sockets closed');
    expect(server.stats().loadedDocs).toBe(0);
  });

  it('shares one load between concurrent connections', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Shared');
    const clients = Array.from({ length: 5 }, () => h.connect(server.url, fb.id, fb.editToken));
    await Promise.all(clients.map((c) => synced(c.provider)));
    for (const c of clients) expect(title(c.doc)).toBe('Shared');
    expect(server.stats()).toEqual({ loadedDocs: 1, connections: 5 });
  });
});
