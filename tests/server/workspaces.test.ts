import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readFlashbook } from '../../src/model/read.ts';
import {
  API_WORKSPACES,
  workspaceArchivePath,
  workspaceAssetsPath,
  workspaceFlashbookPath,
  workspaceFlashbooksPath,
  workspacePath,
  workspaceRestorePath,
  workspaceTokensPath,
  type CreatedWorkspace,
  type Workspace,
  type WorkspaceFlashbook,
  type WorkspaceFlashbooks,
} from '../../src/protocol/workspaces.ts';
import {
  API_FLASHBOOKS,
  accessPath,
  tokensPath,
  type CreatedFlashbook,
} from '../../src/protocol/api.ts';
import { Harness, waitFor, type TestServer } from '../helpers/server.ts';
import { editText } from '../../src/model/text.ts';

const h = new Harness();
afterEach(() => h.cleanup());

const logo = readFileSync(join(import.meta.dirname, '../fixtures/images', 'logo.png'));

function call(
  server: TestServer,
  path: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  let body: BodyInit | undefined;
  if (init.body instanceof Uint8Array) {
    headers['content-type'] = 'image/png';
    body = new Blob([new Uint8Array(init.body)]);
  } else if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  return fetch(`${server.url}${path}`, { method: init.method ?? 'GET', headers, body });
}

async function createWorkspace(
  server: TestServer,
  name = 'Детские библиотеки Карагандинской области',
  headers: Record<string, string> = {},
): Promise<CreatedWorkspace> {
  const res = await call(server, API_WORKSPACES, { method: 'POST', body: { name }, headers });
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedWorkspace;
}

async function createInside(
  server: TestServer,
  ws: CreatedWorkspace,
  token: string,
  title = 'Қазақстан әдебиеті',
  extra: Record<string, unknown> = {},
): Promise<Response> {
  return call(server, API_FLASHBOOKS, {
    method: 'POST',
    token,
    body: { title, workspace: ws.id, ...extra },
  });
}

async function list(server: TestServer, ws: CreatedWorkspace, token: string) {
  const res = await call(server, workspaceFlashbooksPath(ws.id), { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as WorkspaceFlashbooks).flashbooks;
}

describe('workspaces', () => {
  it('creates a workspace with two different strong tokens; each token has its role', async () => {
    const server = await h.start();
    const ws = await createWorkspace(server);
    expect(ws.id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(ws.memberToken).not.toBe(ws.adminToken);
    for (const t of [ws.memberToken, ws.adminToken]) {
      expect(Buffer.from(t, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
    expect(ws.memberUrl).toBe(`/w/${ws.id}#t=${ws.memberToken}`);
    expect(ws.adminUrl).toBe(`/w/${ws.id}#t=${ws.adminToken}`);

    const asMember = (await (
      await call(server, workspacePath(ws.id), { token: ws.memberToken })
    ).json()) as Workspace;
    expect(asMember.role).toBe('member');
    expect(asMember.name).toBe('Детские библиотеки Карагандинской области');
    expect(asMember.adminUrl).toBeUndefined();
    expect(asMember.memberUrl).toBeUndefined();
    const asAdmin = (await (
      await call(server, workspacePath(ws.id), { token: ws.adminToken })
    ).json()) as Workspace;
    expect(asAdmin.role).toBe('admin');
    expect(asAdmin.memberUrl).toBe(ws.memberUrl);

    expect((await call(server, workspacePath(ws.id))).status).toBe(401);
    expect((await call(server, workspacePath(ws.id), { token: 'x'.repeat(43) })).status).toBe(401);
    expect(
      (await call(server, workspacePath('nosuchworkspace'), { token: ws.adminToken })).status,
    ).toBe(404);
    expect((await call(server, workspacePath('bad id!'), { token: ws.adminToken })).status).toBe(
      400,
    );
  });

  it('lets only the admin edit the workspace, its libraries and brand kit; refuses bad fields', async () => {
    const server = await h.start();
    const ws = await createWorkspace(server);
    const update = {
      name: 'Сеть детских библиотек',
      libraries: [
        {
          id: 'library-0001',
          name: 'Областная детская библиотека',
          place: 'Караганда',
          address: 'ул. Ерубаева, 40',
          contacts: '+7 7212 00-00-00',
          logo: '',
        },
      ],
      brand: { theme: 'bright', brandColor: '#1a5e3a', hashtags: '#оқу #кітап', ageLabelSet: 'ru' },
    };
    const denied = await call(server, workspacePath(ws.id), {
      method: 'PUT',
      token: ws.memberToken,
      body: update,
    });
    expect(denied.status).toBe(403);
    const ok = await call(server, workspacePath(ws.id), {
      method: 'PUT',
      token: ws.adminToken,
      body: update,
    });
    expect(ok.status).toBe(200);
    const seen = (await (
      await call(server, workspacePath(ws.id), { token: ws.memberToken })
    ).json()) as Workspace;
    expect(seen.name).toBe(update.name);
    expect(seen.libraries).toEqual(update.libraries);
    expect(seen.brand).toMatchObject({ ...update.brand, biblioStyle: 'gost', logo: '' });

    for (const bad of [
      { name: '' },
      { name: 'x'.repeat(201) },
      { brand: { brandColor: 'green' } },
      { brand: { ageLabelSet: 'us' } },
      { brand: { font: 'Comic' } },
      { libraries: [{ id: 'short', name: 'A' }] },
      { libraries: [{ id: 'library-0001', name: '' }] },
      { owner: 'me' },
    ]) {
      const res = await call(server, workspacePath(ws.id), {
        method: 'PUT',
        token: ws.adminToken,
        body: bad,
      });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    // Nothing of the refused updates was applied.
    const after = (await (
      await call(server, workspacePath(ws.id), { token: ws.adminToken })
    ).json()) as Workspace;
    expect(after.name).toBe(update.name);
    expect(after.brand.brandColor).toBe('#1a5e3a');
  });

  it("refuses one workspace's tokens in another", async () => {
    const server = await h.start();
    const a = await createWorkspace(server, 'A');
    const b = await createWorkspace(server, 'B');
    const fb = (await (await createInside(server, b, b.memberToken)).json()) as CreatedFlashbook;
    for (const token of [a.memberToken, a.adminToken]) {
      expect((await call(server, workspacePath(b.id), { token })).status).toBe(401);
      expect((await call(server, workspaceFlashbooksPath(b.id), { token })).status).toBe(401);
      expect((await createInside(server, b, token)).status).toBe(401);
      expect(
        (await call(server, workspaceArchivePath(b.id, fb.id), { method: 'POST', token })).status,
      ).toBe(401);
    }
    // A flashbook of B is not reachable through A even with A's own token.
    expect(
      (
        await call(server, workspaceArchivePath(a.id, fb.id), {
          method: 'POST',
          token: a.adminToken,
        })
      ).status,
    ).toBe(404);
  });

  it('replacing a link stops the old token at once (410 replaced) and keeps the flashbooks openable', async () => {
    const server = await h.start();
    const ws = await createWorkspace(server);
    const fb = (await (await createInside(server, ws, ws.memberToken)).json()) as CreatedFlashbook;

    expect(
      (
        await call(server, workspaceTokensPath(ws.id, 'member'), {
          method: 'POST',
          token: ws.memberToken,
        })
      ).status,
    ).toBe(403);
    const res = await call(server, workspaceTokensPath(ws.id, 'member'), {
      method: 'POST',
      token: ws.adminToken,
    });
    expect(res.status).toBe(200);
    const replaced = (await res.json()) as { role: string; token: string; url: string };
    expect(replaced.role).toBe('member');
    expect(replaced.token).not.toBe(ws.memberToken);
    expect(replaced.url).toBe(`/w/${ws.id}#t=${replaced.token}`);

    const old = await call(server, workspacePath(ws.id), { token: ws.memberToken });
    expect(old.status).toBe(410);
    expect(((await old.json()) as { code: string }).code).toBe('link-replaced');
    expect((await createInside(server, ws, ws.memberToken)).status).toBe(410);

    const items = await list(server, ws, replaced.token);
    expect(items.map((f) => f.id)).toEqual([fb.id]);
    expect(items[0]?.editToken).toBe(fb.editToken);
    const admin = (await (
      await call(server, workspacePath(ws.id), { token: ws.adminToken })
    ).json()) as Workspace;
    expect(admin.memberUrl).toBe(replaced.url);

    const newAdmin = (await (
      await call(server, workspaceTokensPath(ws.id, 'admin'), {
        method: 'POST',
        token: ws.adminToken,
      })
    ).json()) as { token: string };
    expect((await call(server, workspacePath(ws.id), { token: ws.adminToken })).status).toBe(410);
    const asNewAdmin = await list(server, ws, newAdmin.token);
    expect(asNewAdmin[0]?.links?.edit).toBe(`/f/${fb.id}#t=${fb.editToken}`);
    expect(asNewAdmin[0]?.links?.view).toBe(`/f/${fb.id}#t=${fb.viewToken}`);
    expect((await call(server, workspacePath(ws.id), { token: replaced.token })).status).toBe(200);
  });

  it('lists flashbooks with their links by role, archives and restores them', async () => {
    const server = await h.start();
    const ws = await createWorkspace(server);
    const first = (await (
      await createInside(server, ws, ws.memberToken, 'Первая')
    ).json()) as CreatedFlashbook;
    const second = (await (
      await createInside(server, ws, ws.adminToken, 'Екінші')
    ).json()) as CreatedFlashbook;

    const asMember = await list(server, ws, ws.memberToken);
    expect(asMember.map((f) => f.title).sort()).toEqual(['Екінші', 'Первая']);
    const one = asMember.find((f) => f.id === first.id) as WorkspaceFlashbook;
    expect(one.editToken).toBe(first.editToken);
    expect(one.links).toEqual({ edit: `/f/${first.id}#t=${first.editToken}` });
    expect(one.statuses).toEqual({ draft: 1, review: 0, approved: 0 });
    expect(one.archived).toBe(false);
    expect(one.published).toBe(false);
    expect(one.cover?.slide.layout).toBe('cover');
    expect(one.cover?.slide.fields.title).toBe('Первая');
    // The edit token it lists really edits.
    const access = await call(server, accessPath(first.id), { token: one.editToken });
    expect(((await access.json()) as { role: string }).role).toBe('edit');

    const archived = await call(server, workspaceArchivePath(ws.id, second.id), {
      method: 'POST',
      token: ws.memberToken,
    });
    expect(archived.status).toBe(200);
    let items = await list(server, ws, ws.memberToken);
    expect(items.find((f) => f.id === second.id)?.archived).toBe(true);
    expect(items.find((f) => f.id === first.id)?.archived).toBe(false);
    const restored = await call(server, workspaceRestorePath(ws.id, second.id), {
      method: 'POST',
      token: ws.memberToken,
    });
    expect(restored.status).toBe(200);
    items = await list(server, ws, ws.memberToken);
    expect(items.find((f) => f.id === second.id)?.archived).toBe(false);
    // Archiving keeps the flashbook itself: its links still work.
    expect((await call(server, accessPath(second.id), { token: second.editToken })).status).toBe(
      200,
    );
  });

  it('hands out only links that are still current after the flashbook replaced one', async () => {
    const server = await h.start();
    const ws = await createWorkspace(server);
    const fb = (await (await createInside(server, ws, ws.memberToken)).json()) as CreatedFlashbook;
    const before = (await list(server, ws, ws.adminToken))[0] as WorkspaceFlashbook;
    expect(Object.keys(before.links ?? {}).sort()).toEqual(['approve', 'comment', 'edit', 'view']);
    const replaced = await call(server, tokensPath(fb.id, 'edit'), {
      method: 'POST',
      token: fb.approveToken as string,
    });
    expect(replaced.status).toBe(200);
    const asMember = (await list(server, ws, ws.memberToken))[0] as WorkspaceFlashbook;
    expect(asMember.editToken).toBeUndefined();
    expect(asMember.links).toBeUndefined();
    const asAdmin = (await list(server, ws, ws.adminToken))[0] as WorkspaceFlashbook;
    expect(Object.keys(asAdmin.links ?? {}).sort()).toEqual(['approve', 'comment', 'view']);
  });

  it('deletes for good only as the admin and only an archived flashbook', async () => {
    const server = await h.start();
    const ws = await createWorkspace(server);
    const fb = (await (await createInside(server, ws, ws.memberToken)).json()) as CreatedFlashbook;
    const client = await h.connectSynced(server.url, fb.id, fb.editToken);
    await server.versions.record(fb.id, 'named', { name: 'Before the seminar' });
    expect(await server.versions.bytes(fb.id)).toBeGreaterThan(0);

    const del = (token: string) =>
      call(server, workspaceFlashbookPath(ws.id, fb.id), { method: 'DELETE', token });
    expect((await del(ws.memberToken)).status).toBe(403);
    const notArchived = await del(ws.adminToken);
    expect(notArchived.status).toBe(409);
    expect(((await notArchived.json()) as { code: string }).code).toBe('not-archived');
    await call(server, workspaceArchivePath(ws.id, fb.id), {
      method: 'POST',
      token: ws.memberToken,
    });
    expect((await del(ws.memberToken)).status).toBe(403);
    expect((await call(server, accessPath(fb.id), { token: fb.editToken })).status).toBe(200);

    const closed = new Promise<number>((resolve) =>
      client.provider.once('connection-close', (event: CloseEvent | null) =>
        resolve(event?.code ?? 0),
      ),
    );
    expect((await del(ws.adminToken)).status).toBe(204);
    expect(await closed).toBe(4404);
    expect((await call(server, accessPath(fb.id), { token: fb.editToken })).status).toBe(404);
    expect(await list(server, ws, ws.adminToken)).toEqual([]);
    // Its versions went with it.
    expect(await server.versions.list(fb.id)).toEqual([]);
    expect(await server.versions.bytes(fb.id)).toBe(0);
    expect((await del(ws.adminToken)).status).toBe(404);
  });

  it('creates a flashbook inside the workspace carrying its brand kit and logo', async () => {
    const server = await h.start();
    const ws = await createWorkspace(server);
    const up = await call(server, workspaceAssetsPath(ws.id), {
      method: 'POST',
      token: ws.adminToken,
      body: new Uint8Array(logo),
    });
    expect(up.status).toBe(201);
    const logoId = ((await up.json()) as { id: string }).id;
    // Members see the workspace's images but cannot add any.
    expect(
      (
        await call(server, workspaceAssetsPath(ws.id), {
          method: 'POST',
          token: ws.memberToken,
          body: new Uint8Array(logo),
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(server, workspaceAssetsPath(ws.id, logoId), { token: ws.memberToken })).status,
    ).toBe(200);

    const brand = {
      theme: 'classic',
      brandColor: '#8a1c2b',
      logo: logoId,
      hashtags: '#Қарағанды #балалар_кітапханасы',
      ageLabelSet: 'ru',
      biblioStyle: 'short',
    };
    const libraries = [
      {
        id: 'library-karaganda',
        name: 'Областная детская библиотека',
        place: 'Қарағанды',
        address: 'ул. Ерубаева, 40',
        contacts: 'odb@example.kz',
        logo: logoId,
      },
      {
        id: 'library-temirtau',
        name: 'Теміртау балалар кітапханасы',
        place: 'Теміртау',
        address: '',
        contacts: '',
        logo: '',
      },
    ];
    expect(
      (
        await call(server, workspacePath(ws.id), {
          method: 'PUT',
          token: ws.adminToken,
          body: { brand, libraries },
        })
      ).status,
    ).toBe(200);

    const res = await createInside(server, ws, ws.memberToken, 'Соғыс туралы кітаптар');
    expect(res.status).toBe(201);
    const fb = (await res.json()) as CreatedFlashbook;
    const { doc } = await h.connectSynced(server.url, fb.id, fb.editToken);
    const view = readFlashbook(doc);
    expect(view.title).toBe('Соғыс туралы кітаптар');
    expect(view.theme).toBe(brand.theme);
    expect(view.brandColor).toBe(brand.brandColor);
    expect(view.logo).toBe(logoId);
    expect(view.hashtags).toBe(brand.hashtags);
    expect(view.ageLabelSet).toBe('ru');
    expect(view.biblioStyle).toBe('short');
    expect(view.posts).toHaveLength(1);
    expect(view.libraries.map((l) => [l.id, l.name, l.place, l.logo]).sort()).toEqual(
      libraries.map((l) => [l.id, l.name, l.place, l.logo]).sort(),
    );
    // The logo is the new flashbook's own image now: its edit link shows it.
    const img = await call(server, `/api/flashbooks/${fb.id}/assets/${logoId}`, {
      token: fb.editToken,
    });
    expect(img.status).toBe(200);
    expect(Buffer.from(await img.arrayBuffer()).equals(logo)).toBe(true);

    // A starting template created inside the workspace carries the brand kit too.
    const fromTemplate = await createInside(server, ws, ws.memberToken, 'Наурыз', {
      template: 'nauryz',
      language: 'kk',
    });
    expect(fromTemplate.status).toBe(201);
    const tpl = (await fromTemplate.json()) as CreatedFlashbook;
    const tplView = readFlashbook((await h.connectSynced(server.url, tpl.id, tpl.editToken)).doc);
    expect(tplView.logo).toBe(logoId);
    expect(tplView.hashtags).toBe(brand.hashtags);
    expect(tplView.libraries).toHaveLength(2);
    expect(tplView.posts.length).toBeGreaterThan(1);

    // A flashbook created without the workspace keeps the defaults.
    const plain = await h.create(server.url, 'Без рабочего пространства');
    const other = await h.connectSynced(server.url, plain.id, plain.editToken);
    expect(readFlashbook(other.doc).theme).toBe('memory');
    expect(readFlashbook(other.doc).logo).toBe('');
  });

  it('registers a flashbook created offline into the workspace without seeding it', async () => {
    const server = await h.start();
    const ws = await createWorkspace(server);
    const res = await createInside(server, ws, ws.memberToken, 'Офлайн', {
      id: 'offline-created-0001',
      template: 'empty',
    });
    expect(res.status).toBe(201);
    const items = await list(server, ws, ws.memberToken);
    expect(items.map((f) => f.id)).toEqual(['offline-created-0001']);
    expect(items[0]?.statuses).toEqual({ draft: 0, review: 0, approved: 0 });
  });

  it('shows the last change of a flashbook as edits are stored', async () => {
    const server = await h.start();
    const ws = await createWorkspace(server);
    const fb = (await (
      await createInside(server, ws, ws.memberToken, 'Было')
    ).json()) as CreatedFlashbook;
    const before = (await list(server, ws, ws.memberToken))[0] as WorkspaceFlashbook;
    const { doc } = await h.connectSynced(server.url, fb.id, fb.editToken);
    await waitFor(() => Date.now() > before.updatedAt, 'the clock to move');
    editText(doc, { kind: 'title' }, 'Стало');
    await waitFor(async () => {
      const now = (await list(server, ws, ws.memberToken))[0];
      return now?.title === 'Стало' && now.updatedAt > before.updatedAt;
    }, 'the list to show the edit');
  });

  it('creates workspaces under the invite key and the per-address creation budget', async () => {
    const server = await h.start({
      inviteKey: 'invite-key-7',
      createBurstPerAddress: 6,
      createsPerHourPerAddress: 1,
    });
    const without = await call(server, API_WORKSPACES, { method: 'POST', body: { name: 'W' } });
    expect(without.status).toBe(403);
    const wrong = await call(server, API_WORKSPACES, {
      method: 'POST',
      body: { name: 'W' },
      headers: { 'x-invite-key': 'wrong' },
    });
    expect(wrong.status).toBe(403);
    const ws = await createWorkspace(server, 'W', { 'x-invite-key': 'invite-key-7' });
    // A member creates inside without the key: the workspace token stands for it...
    expect((await createInside(server, ws, ws.memberToken)).status).toBe(201);
    // ...but a wrong token does not, and a bearer without a workspace still needs the key.
    expect((await createInside(server, ws, 'y'.repeat(43))).status).toBe(401);
    const noWorkspace = await call(server, API_FLASHBOOKS, {
      method: 'POST',
      token: ws.memberToken,
      body: { title: 'Outside' },
    });
    expect(noWorkspace.status).toBe(403);
    // Every attempt above took from the burst of 6 (refused tokens too: guessing costs budget);
    // the workspaces after it are refused with 429 until the budget refills.
    let limited: Response | undefined;
    for (let i = 0; i < 8 && !limited; i++) {
      const res = await call(server, API_WORKSPACES, {
        method: 'POST',
        body: { name: `W${i}` },
        headers: { 'x-invite-key': 'invite-key-7' },
      });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(201);
    }
    expect(limited?.status).toBe(429);
    const body = (await limited?.json()) as { code: string; retryAfter: number };
    expect(body.code).toBe('rate-limited');
    expect(body.retryAfter).toBeGreaterThan(0);
    expect(limited?.headers.get('retry-after')).toBe(String(body.retryAfter));
  });
});
