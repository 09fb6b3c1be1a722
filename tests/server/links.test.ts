import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newToken, sha256 } from '../../server/auth/tokens.ts';
import { seedFlashbook } from '../../src/model/flashbook.ts';
import { SERVER } from '../../src/model/origins.ts';
import {
  LINK_REPLACED_CODE,
  tokensPath,
  type Access,
  type ReplacedToken,
} from '../../src/protocol/api.ts';
import { CLOSE } from '../../src/protocol/close-codes.ts';
import type { Role } from '../../src/protocol/roles.ts';
import {
  closedEvent,
  databaseUrlFor,
  Harness,
  synced,
  TEST_STORE,
  title,
  titleText,
  waitFor,
} from '../helpers/server.ts';

const h = new Harness();
afterEach(() => h.cleanup());

const access = (url: string, id: string, token: string) =>
  fetch(`${url}/api/flashbooks/${id}/access`, { headers: { authorization: `Bearer ${token}` } });

const replace = (url: string, id: string, role: string, token: string) =>
  fetch(`${url}${tokensPath(id, role as Role)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });

/**
 * A data dir as the server before links wrote it (schema version 2): the flashbook's edit token as
 * a SHA-256 column, its view token in clear, one seeded update.
 */
async function legacyDataDir(
  dir: string,
  id: string,
  editToken: string,
  viewToken: string,
): Promise<void> {
  if (TEST_STORE === 'postgres') return legacyDatabase(dir, id, editToken, viewToken);
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, 'flashbooks.db'));
  db.exec(`
    CREATE TABLE flashbooks (id TEXT PRIMARY KEY, title TEXT NOT NULL,
      edit_token_hash BLOB NOT NULL, view_token TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;
    CREATE TABLE updates (seq INTEGER PRIMARY KEY AUTOINCREMENT,
      flashbook_id TEXT NOT NULL REFERENCES flashbooks(id) ON DELETE CASCADE, data BLOB NOT NULL)
      STRICT;
    CREATE INDEX updates_by_flashbook ON updates (flashbook_id, seq);
    CREATE TABLE exhibitions (flashbook_id TEXT PRIMARY KEY REFERENCES flashbooks(id)
      ON DELETE CASCADE, slug TEXT NOT NULL UNIQUE, state BLOB, posts TEXT,
      embed_origins TEXT NOT NULL, og_image TEXT, published_at INTEGER, unpublished_at INTEGER)
      STRICT;`);
  db.pragma('user_version = 2');
  const doc = new Y.Doc();
  seedFlashbook(doc, { title: 'Legacy flashbook' }, SERVER);
  db.prepare('INSERT INTO flashbooks VALUES (?, ?, ?, ?, ?)').run(
    id,
    'Legacy flashbook',
    Buffer.from(sha256(editToken)),
    viewToken,
    1_700_000_000_000,
  );
  db.prepare('INSERT INTO updates (flashbook_id, data) VALUES (?, ?)').run(
    id,
    Y.encodeStateAsUpdate(doc),
  );
  db.close();
}

/** The same on PostgreSQL: a database migrated only to 0001, when tokens were columns. */
async function legacyDatabase(dir: string, id: string, editToken: string, viewToken: string) {
  const url = await databaseUrlFor(dir);
  const { createPool } = await import('../../server/storage/postgres/pool.ts');
  const { migrate } = await import('../../server/storage/postgres/migrate.ts');
  const pool = createPool(url!, { max: 1, idleTimeoutMs: 1000 }, () => undefined);
  try {
    await migrate(pool, 1);
    const doc = new Y.Doc();
    seedFlashbook(doc, { title: 'Legacy flashbook' }, SERVER);
    await pool.query(
      `INSERT INTO flashbooks (id, title, edit_token_hash, view_token, created_at, last_seq)
       VALUES ($1, $2, $3, $4, $5, 1)`,
      [id, 'Legacy flashbook', Buffer.from(sha256(editToken)), viewToken, 1_700_000_000_000],
    );
    await pool.query('INSERT INTO updates (flashbook_id, seq, data) VALUES ($1, 1, $2)', [
      id,
      Buffer.from(Y.encodeStateAsUpdate(doc)),
    ]);
  } finally {
    await pool.end();
  }
}

describe('links', () => {
  it('a flashbook from before links keeps its edit and view links; its editor claims the approve link once', async () => {
    const dataDir = await h.tempDir();
    const id = 'legacyFlashbook1';
    const editToken = newToken();
    const viewToken = newToken();
    await legacyDataDir(dataDir, id, editToken, viewToken);
    const server = await h.start({ dataDir });

    const asEditor = (await (await access(server.url, id, editToken)).json()) as Access;
    expect(asEditor).toMatchObject({ id, role: 'edit', viewToken, approveUnclaimed: true });
    // Its first comment link is issued on demand, and stays the same.
    expect(asEditor.commentToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = (await (await access(server.url, id, editToken)).json()) as Access;
    expect(again.commentToken).toBe(asEditor.commentToken);
    expect(await (await access(server.url, id, viewToken)).json()).toEqual({ id, role: 'view' });
    const commenter = (await (
      await access(server.url, id, asEditor.commentToken!)
    ).json()) as Access;
    expect(commenter.role).toBe('comment');

    const editor = await h.connectSynced(server.url, id, editToken);
    expect(title(editor.doc)).toBe('Legacy flashbook');
    const viewer = await h.connectSynced(server.url, id, viewToken);
    titleText(editor.doc).insert(0, 'Old ');
    await waitFor(() => title(viewer.doc) === 'Old Legacy flashbook', 'edit reaches the viewer');

    // A viewer cannot claim; an editor can, once.
    expect((await replace(server.url, id, 'approve', viewToken)).status).toBe(403);
    const claimed = await replace(server.url, id, 'approve', editToken);
    expect(claimed.status).toBe(200);
    const approve = (await claimed.json()) as ReplacedToken;
    expect(approve.role).toBe('approve');
    expect(approve.url).toBe(`/f/${id}#t=${approve.token}`);
    // Once claimed, the edit link is an edit link again: replacing needs the approve link.
    expect((await replace(server.url, id, 'approve', editToken)).status).toBe(403);
    expect((await (await access(server.url, id, approve.token)).json()) as Access).toMatchObject({
      role: 'approve',
      viewToken,
    });
    const afterClaim = (await (await access(server.url, id, editToken)).json()) as Access;
    expect(afterClaim.approveUnclaimed).toBeUndefined();

    // After a restart (the migration ran once) everything still holds.
    await server.close();
    const restarted = await h.start({ dataDir });
    for (const [token, role] of [
      [editToken, 'edit'],
      [viewToken, 'view'],
      [approve.token, 'approve'],
      [asEditor.commentToken!, 'comment'],
    ] as const) {
      const res = await access(restarted.url, id, token);
      expect(((await res.json()) as Access).role).toBe(role);
    }
    const reopened = await h.connectSynced(restarted.url, id, editToken);
    expect(title(reopened.doc)).toBe('Old Legacy flashbook');
  });

  it('replacing a link closes its connections with 4410 at once, refuses the old token everywhere, and the new one works', async () => {
    const server = await h.start();
    const fb = await h.create(server.url);
    const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
    const viewer = await h.connectSynced(server.url, fb.id, fb.viewToken);
    const closed = closedEvent(editor.provider);

    // Only the approve link replaces links.
    for (const token of [fb.viewToken, fb.commentToken, fb.editToken]) {
      expect((await replace(server.url, fb.id, 'edit', token)).status).toBe(403);
    }
    expect((await replace(server.url, fb.id, 'owner', fb.approveToken)).status).toBe(400);
    const res = await replace(server.url, fb.id, 'edit', fb.approveToken);
    expect(res.status).toBe(200);
    const fresh = (await res.json()) as ReplacedToken;
    expect(fresh.token).not.toBe(fb.editToken);
    expect(await closed).toEqual({ code: CLOSE.LINK_REPLACED, reason: LINK_REPLACED_CODE });

    // The viewer's link was not replaced: it stays connected and keeps receiving.
    const next = await h.connectSynced(server.url, fb.id, fresh.token);
    titleText(next.doc).insert(0, 'New ');
    await waitFor(() => title(viewer.doc).startsWith('New '), 'new editor reaches the viewer');

    const old = await access(server.url, fb.id, fb.editToken);
    expect(old.status).toBe(410);
    expect(await old.json()).toMatchObject({ code: LINK_REPLACED_CODE });
    expect((await access(server.url, fb.id, 'not-a-token-at-all')).status).toBe(401);

    // Reconnecting with the old token is refused with the same code.
    const retry = h.connect(server.url, fb.id, fb.editToken);
    expect(await closedEvent(retry.provider)).toMatchObject({ code: CLOSE.LINK_REPLACED });

    // The approve link can replace itself; the old approve token then stops working.
    const self = (await (
      await replace(server.url, fb.id, 'approve', fb.approveToken)
    ).json()) as ReplacedToken;
    expect((await replace(server.url, fb.id, 'view', fb.approveToken)).status).toBe(410);
    const view = (await (
      await replace(server.url, fb.id, 'view', self.token)
    ).json()) as ReplacedToken;
    // The viewer's connection is closed; editors see the new view token in clear.
    await waitFor(() => !viewer.provider.wsconnected, 'old viewer closed');
    const asApprover = (await (await access(server.url, fb.id, self.token)).json()) as Access;
    expect(asApprover.viewToken).toBe(view.token);
    const newViewer = h.connect(server.url, fb.id, view.token);
    await synced(newViewer.provider);
    expect(title(newViewer.doc)).toBe(title(next.doc));
  });
});
