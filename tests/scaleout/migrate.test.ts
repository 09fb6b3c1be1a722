import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

  it('refuses a directory without a database, with a clear message', async () => {
    const run = migrate(await h.tempDir(), await pgsql.database('empty'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/no SQLite database at/);
  });
});
