import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sha256 } from '../../server/auth/tokens.ts';
import { createLogger } from '../../server/log.ts';
import { openPostgres } from '../../server/storage/postgres/index.ts';
import { SqliteFlashbookStore } from '../../server/storage/sqlite.ts';
import type { LinkRecord } from '../../server/storage/types.ts';
import { SqliteWorkspaceStore } from '../../server/workspaces/sqlite.ts';
import { Harness, synced, title, titleText, waitFor } from '../helpers/server.ts';
import { TestPostgres } from '../helpers/services.ts';

/**
 * The one-command move of a SQLite deployment to PostgreSQL (scripts/migrate-to-postgres.ts):
 * a server on SQLite is used, stopped, migrated, and a server on PostgreSQL serves the same
 * flashbooks, images, versions and publications.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let pgsql: TestPostgres;
const h = new Harness();

beforeAll(async () => {
  pgsql = await TestPostgres.start();
});
afterAll(() => pgsql?.destroy());
afterEach(() => h.cleanup());

function migrate(dataDir: string, databaseUrl: string) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts/migrate-to-postgres.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
      encoding: 'utf8',
    },
  );
}

function seeded(): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('meta').set('title', 'A');
  return Y.encodeStateAsUpdate(doc);
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe('migrating a SQLite deployment to PostgreSQL', () => {
  it('copies flashbooks, edits, images, versions and publications; a second run changes nothing', async () => {
    const dataDir = await h.tempDir();
    const sqlite = await h.start({ dataDir, databaseUrl: '' });
    const fb = await h.create(sqlite.url, 'Мұхтар Әуезов');
    const other = await h.create(sqlite.url, 'Second');
    const editor = await h.connectSynced(sqlite.url, fb.id, fb.editToken);
    for (let i = 0; i < 30; i++) titleText(editor.doc).insert(0, `${i} `);
    const expected = title(editor.doc);
    const image = readFileSync(join(ROOT, 'tests/fixtures/images/cover.jpg'));
    const uploaded = await fetch(`${sqlite.url}/api/flashbooks/${fb.id}/assets`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', ...auth(fb.editToken) },
      body: new Uint8Array(image),
    });
    expect(uploaded.status).toBe(201);
    const named = await fetch(`${sqlite.url}/api/flashbooks/${fb.id}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth(fb.editToken) },
      body: JSON.stringify({ name: 'Before the seminar' }),
    });
    expect(named.status).toBe(201);
    const published = await fetch(`${sqlite.url}/api/flashbooks/${fb.id}/exhibition`, {
      method: 'POST',
      headers: auth(fb.editToken),
    });
    expect(published.status).toBe(200);
    const { url: pageUrl } = (await published.json()) as { url: string };
    const versionsBefore = await (
      await fetch(`${sqlite.url}/api/flashbooks/${fb.id}/versions`, { headers: auth(fb.editToken) })
    ).json();
    // The page names the server's own address (canonical, og:url): compared without it.
    const pageBefore = (await (await fetch(`${sqlite.url}${pageUrl}`)).text()).replaceAll(
      sqlite.url,
      '',
    );
    editor.provider.destroy();
    await sqlite.close();

    const databaseUrl = await pgsql.database('migrate');
    const run = migrate(dataDir, databaseUrl);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /Migrated .*: 2 flashbooks .* 1 publications, \d+ versions, 1 images/,
    );

    const pg = await h.start({ dataDir: await h.tempDir(), databaseUrl });
    const reader = await h.connectSynced(pg.url, fb.id, fb.viewToken);
    expect(title(reader.doc)).toBe(expected);
    const second = await h.connectSynced(pg.url, other.id, other.editToken);
    expect(title(second.doc)).toBe('Second');
    // Tokens still work as they did: the edit token is only stored as its hash.
    const writer = h.connect(pg.url, fb.id, fb.editToken);
    await synced(writer.provider);
    titleText(writer.doc).insert(0, 'after ');
    await waitFor(() => title(reader.doc) === `after ${expected}`, 'editing after the move');

    const assetId = createHash('sha256').update(image).digest('hex');
    const got = await fetch(`${pg.url}/api/flashbooks/${fb.id}/assets/${assetId}`, {
      headers: auth(fb.viewToken),
    });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(image)).toBe(true);
    const versionsAfter = await (
      await fetch(`${pg.url}/api/flashbooks/${fb.id}/versions`, { headers: auth(fb.editToken) })
    ).json();
    expect(versionsAfter).toEqual(versionsBefore);
    expect((await (await fetch(`${pg.url}${pageUrl}`)).text()).replaceAll(pg.url, '')).toBe(
      pageBefore,
    );

    // Run again: refused with a clear message, the database is as it was.
    const again = migrate(dataDir, databaseUrl);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/nothing was changed: .*already holds flashbooks/);
    expect(title((await h.connectSynced(pg.url, fb.id, fb.viewToken)).doc)).toBe(
      `after ${expected}`,
    );
  });

  it('copies links (current and replaced), review activity and workspaces as they were', async () => {
    const dataDir = await h.tempDir();
    const sqlite = new SqliteFlashbookStore(dataDir);
    const workspaces = new SqliteWorkspaceStore(sqlite.db);
    const link = (role: string, token: string, createdAt: number): LinkRecord => ({
      scope: 'flashbook',
      scopeId: 'flashbookA1',
      role,
      tokenHash: sha256(token),
      ...(role === 'view' ? { token } : {}),
      createdAt,
    });
    sqlite.createFlashbook({ id: 'flashbookA1', title: 'A', createdAt: 1000 }, seeded(), [
      link('edit', 'edit-1', 1000),
      link('view', 'view-1', 1000),
    ]);
    sqlite.replaceLink(link('edit', 'edit-2', 2000));
    sqlite.replaceLink(link('edit', 'edit-3', 3000));
    sqlite.addLinkIfNone({ ...link('approve', 'approve-1', 2500) });
    const by = { name: 'Айгүл', library: 'Шымкент' };
    for (const [k, to] of (['review', 'approved', 'draft'] as const).entries()) {
      sqlite.addStatusChange('flashbookA1', {
        postId: 'post1',
        from: k === 0 ? 'draft' : 'review',
        to,
        by,
        role: k === 0 ? 'edit' : 'approve',
        at: 4000 + k,
        ...(k === 2 ? { note: 'Мұқабаны ауыстырыңыз' } : {}),
        ...(k === 1 ? { versionId: 'version1' } : {}),
      });
    }
    const wsRecord = {
      id: 'workspace1',
      name: 'Қалалық кітапхана',
      libraries: '[]',
      brand: '{}',
      memberTokenSealed: new Uint8Array([1, 2, 3]),
      createdAt: 5000,
      updatedAt: 6000,
    };
    workspaces.putKey('workspace1', sha256('member'), new Uint8Array([9, 8, 7]));
    workspaces.createWorkspace(wsRecord);
    const membership = {
      flashbookId: 'flashbookA1',
      workspaceId: 'workspace1',
      sealedTokens: new Uint8Array([4, 5]),
      addedAt: 5500,
      updatedAt: 7000,
      archivedAt: 8000,
    };
    workspaces.addFlashbook(membership);
    const before = {
      links: sqlite.getLinks('flashbook', 'flashbookA1'),
      changes: sqlite.listStatusChanges('flashbookA1', 10),
    };
    sqlite.close();

    const databaseUrl = await pgsql.database('migrate-tables');
    const run = migrate(dataDir, databaseUrl);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/5 links, 3 status changes, 1 workspaces \(1 flashbooks in them\)/);

    const storage = await openPostgres(databaseUrl, createLogger({ quiet: true }));
    try {
      const order = (links: LinkRecord[]) =>
        [...links].sort((a, b) => a.createdAt - b.createdAt || a.role.localeCompare(b.role));
      expect(order(await storage.flashbooks.getLinks('flashbook', 'flashbookA1'))).toEqual(
        order(before.links),
      );
      expect(await storage.flashbooks.listStatusChanges('flashbookA1', 10)).toEqual(before.changes);
      expect(await storage.workspaces.getWorkspace('workspace1')).toEqual(wsRecord);
      expect(await storage.workspaces.getKey('workspace1', sha256('member'))).toEqual(
        new Uint8Array([9, 8, 7]),
      );
      expect(await storage.workspaces.listFlashbooks('workspace1')).toEqual([membership]);
      // The one current edit link is still the only one: another replacement works as in SQLite.
      await storage.flashbooks.replaceLink(link('edit', 'edit-4', 9000));
      const current = (await storage.flashbooks.getLinks('flashbook', 'flashbookA1')).filter(
        (l) => l.role === 'edit' && l.replacedAt === undefined,
      );
      expect(current.map((l) => l.tokenHash)).toEqual([sha256('edit-4')]);
    } finally {
      await storage.close();
    }
  });

  it('refuses a directory without a database, with a clear message', async () => {
    const run = migrate(await h.tempDir(), await pgsql.database('empty'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/no SQLite database at/);
  });
});
