import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readFlashbook } from '../../src/model/flashbook.ts';
import { DAY_MS, HOUR_MS, versionsToDrop, type Dated } from '../../server/versions/retention.ts';
import type { VersionReason } from '../../server/versions/types.ts';
import { Harness, title, titleText, waitFor } from '../helpers/server.ts';

const h = new Harness();
afterEach(() => h.cleanup());

interface VersionJson {
  id: string;
  createdAt: number;
  reason: VersionReason;
  name?: string;
  authors: { name: string; library: string }[];
  bytes: number;
}

const auth = (token: string | undefined): Record<string, string> =>
  token === undefined ? {} : { authorization: `Bearer ${token}` };

async function list(url: string, id: string, token: string): Promise<VersionJson[]> {
  const res = await fetch(`${url}/api/flashbooks/${id}/versions`, { headers: auth(token) });
  expect(res.status).toBe(200);
  return (await res.json()) as VersionJson[];
}

function post(url: string, id: string, token: string | undefined, body: unknown) {
  return fetch(`${url}/api/flashbooks/${id}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth(token) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** What a stock client does with a version: apply the bytes to a fresh Y.Doc. */
async function openVersion(url: string, id: string, vid: string, token: string): Promise<Y.Doc> {
  const res = await fetch(`${url}/api/flashbooks/${id}/versions/${vid}`, { headers: auth(token) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/octet-stream');
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(await res.arrayBuffer()));
  return doc;
}

describe('versions over HTTP', () => {
  it('makes a named version of what the server has now, which a fresh Y.Doc can apply', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Абай');
    const a = await h.connectSynced(server.url, fb.id, fb.editToken);
    titleText(a.doc).insert(4, ' жолы');
    await waitFor(async () => {
      const doc = await h.connectSynced(server.url, fb.id, fb.editToken);
      return title(doc.doc) === 'Абай жолы';
    }, 'edit stored');

    const res = await post(server.url, fb.id, fb.editToken, {
      name: '  Sent to the methodologist ',
    });
    expect(res.status).toBe(201);
    const made = (await res.json()) as VersionJson;
    expect(made).toMatchObject({ reason: 'named', name: 'Sent to the methodologist' });
    expect(res.headers.get('location')).toBe(`/api/flashbooks/${fb.id}/versions/${made.id}`);

    titleText(a.doc).delete(0, titleText(a.doc).length);
    titleText(a.doc).insert(0, 'Other');
    const doc = await openVersion(server.url, fb.id, made.id, fb.editToken);
    expect(readFlashbook(doc).title).toBe('Абай жолы');
    expect(readFlashbook(doc).posts).toHaveLength(1);

    const versions = await list(server.url, fb.id, fb.editToken);
    expect(versions.map((v) => v.id)).toEqual([made.id]);
    expect(await server.versions.bytes(fb.id)).toBe(made.bytes);
    expect(made.bytes).toBe(Y.encodeStateAsUpdate(doc).byteLength);
  });

  it('makes an automatic version after an interval of editing, with the editors present', async () => {
    const server = await h.start({ versions: { intervalMs: 300 } });
    const fb = await h.create(server.url, 'Books');
    const a = await h.connectSynced(server.url, fb.id, fb.editToken);
    const b = await h.connectSynced(server.url, fb.id, fb.editToken);
    const viewer = await h.connectSynced(server.url, fb.id, fb.viewToken);
    a.provider.awareness.setLocalStateField('user', { name: 'Aigerim', library: 'Central' });
    b.provider.awareness.setLocalStateField('user', { name: 'Dana', library: 'Branch 4' });
    viewer.provider.awareness.setLocalStateField('user', { name: 'Viewer', library: 'X' });
    await waitFor(() => b.provider.awareness.getStates().size === 3, 'awareness');
    // Nothing changed yet: no version however long we wait.
    await new Promise((r) => setTimeout(r, 500));
    expect(await list(server.url, fb.id, fb.editToken)).toEqual([]);

    titleText(a.doc).insert(0, 'New ');
    let versions: VersionJson[] = [];
    await waitFor(async () => {
      versions = await list(server.url, fb.id, fb.editToken);
      return versions.length === 1;
    }, 'automatic version');
    expect(versions[0]?.reason).toBe('automatic');
    expect(versions[0]?.name).toBeUndefined();
    expect(versions[0]?.authors).toEqual(
      expect.arrayContaining([
        { name: 'Aigerim', library: 'Central' },
        { name: 'Dana', library: 'Branch 4' },
      ]),
    );
    expect(versions[0]?.authors).toHaveLength(2);
    const doc = await openVersion(server.url, fb.id, versions[0]?.id ?? '', fb.editToken);
    expect(title(doc)).toBe('New Books');

    // Without further changes, no further automatic version.
    await new Promise((r) => setTimeout(r, 600));
    expect(await list(server.url, fb.id, fb.editToken)).toHaveLength(1);
    titleText(b.doc).insert(0, 'Two ');
    await waitFor(
      async () => (await list(server.url, fb.id, fb.editToken)).length === 2,
      'second automatic version',
    );
  });

  it('makes a version when a changed room unloads, and none when an unchanged one does', async () => {
    const server = await h.start({ idleUnloadMs: 50 });
    const fb = await h.create(server.url, 'Books');
    const other = await h.create(server.url, 'Untouched');
    const a = await h.connectSynced(server.url, fb.id, fb.editToken);
    const b = await h.connectSynced(server.url, other.id, other.editToken);
    a.provider.awareness.setLocalStateField('user', { name: 'Aigerim', library: 'Central' });
    titleText(a.doc).insert(0, 'Unloaded ');
    await waitFor(() => server.logs.some((l) => l.event === 'connect'), 'connected');
    a.provider.destroy();
    b.provider.destroy();
    await waitFor(() => server.stats().loadedDocs === 0, 'rooms unloaded');
    const versions = await list(server.url, fb.id, fb.editToken);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      reason: 'automatic',
      authors: [{ name: 'Aigerim', library: 'Central' }],
    });
    const doc = await openVersion(server.url, fb.id, versions[0]?.id ?? '', fb.editToken);
    expect(title(doc)).toBe('Unloaded Books');
    expect(await list(server.url, other.id, other.editToken)).toEqual([]);
  });

  it('makes versions for restores and imports on request, and for publishing from the server', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Books');
    expect((await post(server.url, fb.id, fb.editToken, { reason: 'restore' })).status).toBe(201);
    expect(
      (await post(server.url, fb.id, fb.editToken, { reason: 'import', name: 'books.csv' })).status,
    ).toBe(201);
    await server.versions.record(fb.id, 'publish');
    const versions = await list(server.url, fb.id, fb.editToken);
    // Newest first.
    expect(versions.map((v) => [v.reason, v.name])).toEqual([
      ['publish', undefined],
      ['import', 'books.csv'],
      ['restore', undefined],
    ]);
    for (const v of versions) {
      expect(title(await openVersion(server.url, fb.id, v.id, fb.editToken))).toBe('Books');
    }
    const total = versions.reduce((n, v) => n + v.bytes, 0);
    expect(await server.versions.bytes(fb.id)).toBe(total);
  });

  it('keeps versions across a restart', async () => {
    const first = await h.start();
    const fb = await h.create(first.url, 'Books');
    const made = (await (
      await post(first.url, fb.id, fb.editToken, { name: 'Kept' })
    ).json()) as VersionJson;
    await first.close();
    const second = await h.start({ dataDir: first.dataDir });
    expect((await list(second.url, fb.id, fb.editToken)).map((v) => v.id)).toEqual([made.id]);
  });
});

describe("versions count towards the flashbook's storage", () => {
  it('makes room by dropping the oldest automatic versions, then refuses with 413 and keeps what is stored', async () => {
    // Measure one version of this flashbook, then allow a little over two of them.
    const probe = await h.start();
    const sample = await h.create(probe.url, 'Абай');
    const one = (await (
      await post(probe.url, sample.id, sample.editToken, { name: 'x' })
    ).json()) as VersionJson;
    const server = await h.start({
      versions: { maxBytesPerFlashbook: Math.floor(one.bytes * 2.5) },
    });
    const fb = await h.create(server.url, 'Абай');
    const auto = await server.versions.record(fb.id, 'automatic');
    const named = await server.versions.record(fb.id, 'named', { name: 'Kept' });
    // A third fits only if the automatic one gives way.
    const third = await post(server.url, fb.id, fb.editToken, { name: 'Third' });
    expect(third.status).toBe(201);
    let ids = (await list(server.url, fb.id, fb.editToken)).map((v) => v.id);
    expect(ids).not.toContain(auto.id);
    expect(ids).toContain(named.id);
    // Two named versions fill it: a fourth is refused, and nothing stored goes.
    const fourth = await post(server.url, fb.id, fb.editToken, { name: 'Fourth' });
    expect(fourth.status).toBe(413);
    expect(await fourth.json()).toMatchObject({ code: 'quota' });
    ids = (await list(server.url, fb.id, fb.editToken)).map((v) => v.id);
    expect(ids).toHaveLength(2);
    expect(await server.versions.bytes(fb.id)).toBeLessThanOrEqual(Math.floor(one.bytes * 2.5));
  });
});

describe('versions: roles and validation', () => {
  it('needs a token whose role can edit', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Books');
    const made = (await (
      await post(server.url, fb.id, fb.editToken, { name: 'v' })
    ).json()) as VersionJson;
    const paths = ['versions', `versions/${made.id}`];
    for (const path of paths) {
      const url = `${server.url}/api/flashbooks/${fb.id}/${path}`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: auth('wrong') })).status).toBe(401);
      const view = await fetch(url, { headers: auth(fb.viewToken) });
      expect(view.status).toBe(403);
      expect(await view.json()).toEqual({ error: expect.any(String) });
    }
    expect((await post(server.url, fb.id, fb.viewToken, { name: 'x' })).status).toBe(403);
    expect((await post(server.url, fb.id, undefined, { name: 'x' })).status).toBe(401);
    expect(await list(server.url, fb.id, fb.editToken)).toHaveLength(1);
  });

  it('refuses malformed requests with clear JSON errors', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Books');
    const bad: [unknown, RegExp][] = [
      [{}, /needs a name/],
      [{ name: '' }, /1 to 100/],
      [{ name: '   ' }, /1 to 100/],
      [{ name: 'я'.repeat(101) }, /1 to 100/],
      [{ name: 7 }, /string/],
      [{ name: 'a\u0007b' }, /control/],
      [{ name: 'x', reason: 'automatic' }, /reason must be/],
      [{ name: 'x', reason: 'publish' }, /reason must be/],
      [{ name: 'x', extra: 1 }, /unknown field/],
      [[], /JSON object/],
      ['{not json', /not valid JSON/],
    ];
    for (const [body, message] of bad) {
      const res = await post(server.url, fb.id, fb.editToken, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect((await post(server.url, fb.id, fb.editToken, { name: 'я'.repeat(100) })).status).toBe(
      201,
    );

    const get = (path: string) => fetch(`${server.url}${path}`, { headers: auth(fb.editToken) });
    expect((await get(`/api/flashbooks/${fb.id}/versions/bad!id`)).status).toBe(400);
    expect((await get(`/api/flashbooks/${fb.id}/versions/AAAAAAAAAAAAAAAA`)).status).toBe(404);
    expect((await get(`/api/flashbooks/NoSuchBook123/versions`)).status).toBe(404);
    expect((await get(`/api/flashbooks/${fb.id}/versions/a/b`)).status).toBe(404);
    const put = await fetch(`${server.url}/api/flashbooks/${fb.id}/versions`, {
      method: 'PUT',
      headers: auth(fb.editToken),
    });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    const text = await fetch(`${server.url}/api/flashbooks/${fb.id}/versions`, {
      method: 'POST',
      headers: { ...auth(fb.editToken), 'content-type': 'text/plain' },
      body: 'name',
    });
    expect(text.status).toBe(415);
  });
});

describe('retention (table)', () => {
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);
  const at = (ms: number, reason: VersionReason = 'automatic', id = `v${ms}`): Dated => ({
    id,
    createdAt: now - ms,
    reason,
  });
  const cases: { name: string; versions: Dated[]; dropped: string[] }[] = [
    { name: 'nothing to thin', versions: [], dropped: [] },
    {
      name: 'everything of the last day is kept',
      versions: [at(1000), at(2000), at(HOUR_MS), at(HOUR_MS + 1), at(DAY_MS - 1)],
      dropped: [],
    },
    {
      name: 'older than a day: the newest of each hour',
      versions: [
        at(DAY_MS + 10 * 60_000, 'automatic', 'newest-of-hour'),
        at(DAY_MS + 20 * 60_000, 'automatic', 'older-same-hour'),
        at(DAY_MS + 30 * 60_000, 'automatic', 'oldest-same-hour'),
        at(DAY_MS + HOUR_MS + 5 * 60_000, 'automatic', 'next-hour'),
      ],
      dropped: ['older-same-hour', 'oldest-same-hour'],
    },
    {
      name: 'older than a week: the newest of each day',
      versions: [
        at(8 * DAY_MS + HOUR_MS, 'automatic', 'day8-a'),
        at(8 * DAY_MS + 3 * HOUR_MS, 'automatic', 'day8-b'),
        at(10 * DAY_MS, 'automatic', 'day10'),
      ],
      dropped: ['day8-b'],
    },
    {
      name: 'named, publish, approval, import and restore versions are kept however old',
      versions: [
        at(30 * DAY_MS, 'named', 'n1'),
        at(30 * DAY_MS + 1, 'named', 'n2'),
        at(30 * DAY_MS + 2, 'publish', 'p'),
        at(30 * DAY_MS + 3, 'approval', 'a'),
        at(30 * DAY_MS + 4, 'import', 'i'),
        at(30 * DAY_MS + 5, 'restore', 'r'),
        at(30 * DAY_MS + 6, 'automatic', 'auto-kept'),
        at(30 * DAY_MS + 7, 'automatic', 'auto-dropped'),
      ],
      dropped: ['auto-dropped'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(versionsToDrop(c.versions, now).sort()).toEqual([...c.dropped].sort());
    });
  }

  it('a configured policy keeps what it is told to', () => {
    const versions = [
      at(2 * HOUR_MS - 10 * 60_000, 'automatic', 'older'), // 10:10
      at(2 * HOUR_MS - 20 * 60_000, 'automatic', 'newer'), // 10:20, the same hour
    ];
    expect(
      versionsToDrop(versions, now, { keepAllMs: HOUR_MS, hourlyMs: DAY_MS, keep: [] }),
    ).toEqual(['older']);
    expect(
      versionsToDrop(versions, now, { keepAllMs: 0, hourlyMs: 0, keep: ['automatic'] }),
    ).toEqual([]);
  });

  it('thinning runs on the server as versions are made', async () => {
    // Everything older than a millisecond is thinned to one per hour: the named ones stay.
    const server = await h.start({ versions: { retention: { keepAllMs: 0 } } });
    const fb = await h.create(server.url, 'Books');
    for (let i = 0; i < 3; i++) await server.versions.record(fb.id, 'automatic');
    await server.versions.record(fb.id, 'named', { name: 'n' });
    await server.versions.record(fb.id, 'named', { name: 'm' });
    const versions = await list(server.url, fb.id, fb.editToken);
    expect(versions.filter((v) => v.reason === 'named')).toHaveLength(2);
    expect(versions.filter((v) => v.reason === 'automatic')).toHaveLength(1);
  });
});
