import { sha256 } from '../../server/auth/tokens.ts';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readFlashbook } from '../../src/model/flashbook.ts';
import { Harness, openTestStore, type TestServer } from '../helpers/server.ts';

const h = new Harness();
afterEach(() => h.cleanup());

function post(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/flashbooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function expectJsonError(res: Response, status: number): Promise<string> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { error?: unknown };
  expect(typeof body.error).toBe('string');
  return body.error as string;
}

async function storedDoc(dataDir: string, id: string): Promise<Y.Doc> {
  const store = await openTestStore(dataDir);
  try {
    const doc = new Y.Doc();
    for (const u of (await store.loadUpdates(id)).updates) Y.applyUpdate(doc, u);
    return doc;
  } finally {
    await store.close();
  }
}

describe('HTTP API', () => {
  it('answers /healthz', async () => {
    const server = await h.start();
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('creates a seeded flashbook with two strong tokens and relative links', async () => {
    const server = await h.start();
    const res = await post(server, { title: '  Kazakh literature: Әбіш Кекілбаев  ' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, string>;
    const { id, editToken, viewToken } = body as {
      id: string;
      editToken: string;
      viewToken: string;
    };
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(body.editUrl).toBe(`/f/${id}#t=${editToken}`);
    expect(body.viewUrl).toBe(`/f/${id}#t=${viewToken}`);
    for (const token of [editToken, viewToken]) {
      expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
    expect(editToken).not.toBe(viewToken);
    // Persisted before the answer, seeded on the server with the trimmed title.
    const view = readFlashbook(await storedDoc(server.dataDir, id));
    expect(view.title).toBe('Kazakh literature: Әбіш Кекілбаев');
    expect(view.posts).toHaveLength(1);
  });

  it('stores the edit and approve tokens only as hashes', async () => {
    const server = await h.start();
    const created = await h.create(server.url);
    const store = await openTestStore(server.dataDir);
    const links = await store.getLinks('flashbook', created.id);
    await store.close();
    const byRole = new Map(links.map((l) => [l.role, l]));
    expect([...byRole.keys()].sort()).toEqual(['approve', 'comment', 'edit', 'view']);
    // Shown again to editors: in clear. The edit and approve tokens: only their SHA-256.
    expect(byRole.get('view')?.token).toBe(created.viewToken);
    expect(byRole.get('comment')?.token).toBe(created.commentToken);
    for (const role of ['edit', 'approve'] as const) {
      const link = byRole.get(role);
      const token = role === 'edit' ? created.editToken : created.approveToken;
      expect(link?.token).toBeUndefined();
      expect(link?.tokenHash).toEqual(sha256(token));
      expect(Buffer.from(link?.tokenHash ?? []).toString('utf8')).not.toContain(token);
    }
  });

  it('requires the invite key when one is configured', async () => {
    const server = await h.start({ inviteKey: 'branch-libraries-2026' });
    await expectJsonError(await post(server, { title: 'T' }), 403);
    await expectJsonError(await post(server, { title: 'T' }, { 'x-invite-key': 'wrong' }), 403);
    const ok = await post(server, { title: 'T' }, { 'x-invite-key': 'branch-libraries-2026' });
    expect(ok.status).toBe(201);
  });

  it('accepts a client-chosen id once and never overwrites it', async () => {
    const server = await h.start();
    const id = 'offline_Draft-0001';
    const first = await h.create(server.url, 'First', { id });
    expect(first.id).toBe(id);
    await expectJsonError(await post(server, { title: 'Second', id }), 409);
    expect(readFlashbook(await storedDoc(server.dataDir, id)).title).toBe('First');
    await expectJsonError(await post(server, { title: 'Bad id', id: '../etc' }), 400);
    await expectJsonError(await post(server, { title: 'Bad id', id: 12345678 }), 400);
  });

  it('validates the title', async () => {
    const server = await h.start();
    for (const body of [
      {},
      { title: '' },
      { title: '   ' },
      { title: 42 },
      { title: 'x'.repeat(201) },
    ]) {
      await expectJsonError(await post(server, body), 400);
    }
    expect((await post(server, { title: 'x'.repeat(200) })).status).toBe(201);
  });

  it('answers malformed requests with JSON 4xx errors', async () => {
    const server = await h.start();
    await expectJsonError(await post(server, '{"title": '), 400);
    await expectJsonError(await post(server, '[1,2]'), 400);
    await expectJsonError(await post(server, 'null'), 400);
    await expectJsonError(await post(server, { title: 'x'.repeat(70 * 1024) }), 413);
    const wrongType = await fetch(`${server.url}/api/flashbooks`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"title":"T"}',
    });
    await expectJsonError(wrongType, 415);
    await expectJsonError(await fetch(`${server.url}/api/nothing-here`), 404);
    const getCollection = await fetch(`${server.url}/api/flashbooks`);
    await expectJsonError(getCollection, 405);
    expect(getCollection.headers.get('allow')).toBe('POST');
    await expectJsonError(await fetch(`${server.url}/healthz`, { method: 'DELETE' }), 405);
    await expectJsonError(await fetch(`${server.url}/`, { method: 'PUT' }), 405);
    await expectJsonError(await fetch(`${server.url}/sync/abcdefgh12`), 426);
  });

  it('reports the role of a token', async () => {
    const server = await h.start();
    const fb = await h.create(server.url);
    const access = (token: string | undefined, id = fb.id) =>
      fetch(`${server.url}/api/flashbooks/${id}/access`, {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      });
    const shared = { viewToken: fb.viewToken, commentToken: fb.commentToken };
    expect(await (await access(fb.editToken)).json()).toEqual({
      id: fb.id,
      role: 'edit',
      ...shared,
    });
    expect(await (await access(fb.approveToken)).json()).toEqual({
      id: fb.id,
      role: 'approve',
      ...shared,
    });
    expect(await (await access(fb.viewToken)).json()).toEqual({ id: fb.id, role: 'view' });
    expect(await (await access(fb.commentToken)).json()).toEqual({ id: fb.id, role: 'comment' });
    await expectJsonError(await access('not-a-token'), 401);
    await expectJsonError(await access(undefined), 401);
    await expectJsonError(await access(fb.editToken, 'Unknown_but_valid_1'), 404);
    await expectJsonError(await access(fb.editToken, 'bad.id'), 400);
  });

  it('never logs tokens or invite keys', async () => {
    const server = await h.start({ inviteKey: 'secret-invite-key' });
    const fb = await h.create(server.url, 'T', {
      headers: { 'x-invite-key': 'secret-invite-key' },
    });
    await fetch(`${server.url}/api/flashbooks/${fb.id}/access`, {
      headers: { authorization: `Bearer ${fb.viewToken}x` },
    });
    await fetch(`${server.url}/sync/${fb.id}?token=${fb.editToken}`);
    const client = h.connect(server.url, fb.id, fb.editToken);
    await new Promise((r) => client.provider.once('sync', r));
    const logs = JSON.stringify(server.logs);
    expect(server.logs.length).toBeGreaterThan(0);
    for (const secret of [fb.editToken, fb.viewToken, 'secret-invite-key']) {
      expect(logs).not.toContain(secret);
    }
  });
});
