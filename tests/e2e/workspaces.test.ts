import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_WORKSPACES,
  workspaceAssetsPath,
  workspaceFlashbooksPath,
  workspacePath,
  type CreatedWorkspace,
  type WorkspaceFlashbooks,
} from '../../src/protocol/workspaces.ts';
import { ExportDialogPage } from './export-pages.ts';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, waitFor } from './pages.ts';
import { goOffline, goOnline, waitOfflineReady } from './offline-pages.ts';
import { WorkspacePage } from './workspace-pages.ts';

const logo = readFileSync(join(import.meta.dirname, '../fixtures/images', 'logo.png'));
const BRAND = {
  theme: 'classic',
  brandColor: '#8a1c2b',
  hashtags: '#Қарағанды_кітапханалары',
  ageLabelSet: 'ru',
};

describe('library workspaces', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });

  afterAll(async () => {
    await e2e?.close();
  });

  /** A workspace with a brand kit (logo, colour, hashtags) and two libraries, set up by its admin. */
  async function workspace(name: string): Promise<CreatedWorkspace & { logoId: string }> {
    const base = e2e.baseUrl;
    const created = (await (
      await fetch(`${base}${API_WORKSPACES}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      })
    ).json()) as CreatedWorkspace;
    const auth = { authorization: `Bearer ${created.adminToken}` };
    const up = await fetch(`${base}${workspaceAssetsPath(created.id)}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'image/png' },
      body: new Blob([new Uint8Array(logo)]),
    });
    const logoId = ((await up.json()) as { id: string }).id;
    const put = await fetch(`${base}${workspacePath(created.id)}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        brand: { ...BRAND, logo: logoId },
        libraries: [
          {
            id: 'library-karaganda',
            name: 'Областная детская библиотека',
            place: 'Караганда',
            address: 'ул. Ерубаева, 40',
            contacts: '+7 7212 00-00-00',
            logo: '',
          },
          {
            id: 'library-temirtau',
            name: 'Теміртау балалар кітапханасы',
            place: 'Теміртау',
            address: '',
            contacts: '',
            logo: '',
          },
        ],
      }),
    });
    expect(put.status).toBe(200);
    return { ...created, logoId };
  }

  async function serverTitles(ws: CreatedWorkspace): Promise<string[]> {
    const res = await fetch(`${e2e.baseUrl}${workspaceFlashbooksPath(ws.id)}`, {
      headers: { authorization: `Bearer ${ws.memberToken}` },
    });
    return ((await res.json()) as WorkspaceFlashbooks).flashbooks.map((f) => f.title);
  }

  it('shows the same list on two computers; a flashbook made on one appears on the other with the brand kit', async () => {
    const ws = await workspace('Детские библиотеки Карагандинской области');
    const first = await WorkspacePage.open(await e2e.newUser(), ws.memberUrl);
    const second = await WorkspacePage.open(await e2e.newUser(), ws.memberUrl, {
      name: 'Марина',
      library: 'Теміртау балалар кітапханасы',
    });
    for (const p of [first, second]) {
      expect(await p.page.getByRole('heading', { level: 1 }).innerText()).toBe(
        'Детские библиотеки Карагандинской области',
      );
      expect(await p.page.getByText('No flashbooks in this workspace yet').count()).toBe(1);
    }

    await first.createFlashbook('Кітап апталығы');
    const editor = new EditorPage(first.page);
    await editor.waitLoaded();
    // The brand kit is in the new flashbook's slides: the workspace's logo on the cover, drawn.
    const coverLogo = first.page.locator('.canvas .slide img.slide__logo');
    await waitFor(
      () => coverLogo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      (w) => w === 128,
      'the workspace logo on the cover slide',
    );
    // …and in its design settings.
    await first.page.getByRole('button', { name: 'Design' }).click();
    const design = first.page.getByRole('dialog', { name: 'Design and settings' });
    expect(await design.getByRole('radio', { name: /Classic/ }).isChecked()).toBe(true);
    expect(await design.locator('input[type="color"]').inputValue()).toBe(BRAND.brandColor);
    expect(await design.getByLabel(/Common hashtags/).inputValue()).toBe(BRAND.hashtags);
    await design.getByRole('button', { name: 'Close' }).click();

    // …and in its export: the common hashtags end every caption.
    const dialog = await ExportDialogPage.open(first.page);
    const { files } = await dialog.exportZip();
    const captions = Object.keys(files).filter((n) => n.endsWith('caption.txt'));
    expect(captions.length).toBeGreaterThan(0);
    for (const name of captions) {
      expect(strFromU8(files[name] as Uint8Array)).toContain(BRAND.hashtags);
    }
    expect(Object.keys(files).some((n) => n.endsWith('01.jpg'))).toBe(true);

    // The other computer's list picks it up, with its libraries and review state.
    await second.waitForTitle('Кітап апталығы');
    const card = second.card('Кітап апталығы');
    expect(await card.innerText()).toContain('Теміртау балалар кітапханасы');
    expect(await card.innerText()).toContain('0 of 1 posts approved');
    expect(await card.innerText()).toContain('Not published');
    await waitFor(
      () => card.locator('img.slide__logo').evaluate((img: HTMLImageElement) => img.naturalWidth),
      (w) => w === 128,
      'the cover thumbnail with its logo',
    );
    // A member sees the edit link, not the approve link.
    await card.getByText('Links').click();
    expect(await card.getByLabel('Edit').count()).toBe(1);
    expect(await card.getByLabel('Approve').count()).toBe(0);
    // And opens it from there.
    await card.getByRole('link', { name: 'Кітап апталығы' }).click();
    const opened = new EditorPage(second.page);
    await opened.waitLoaded();
    expect(await opened.canvasText()).toContain('Кітап апталығы');
  });

  it('archives after a confirmation and restores from the Archived list', async () => {
    const ws = await workspace('Архив тексеру');
    const page = await WorkspacePage.open(await e2e.newUser(), ws.memberUrl);
    await page.createFlashbook('Мұрағатқа баратын кітап');
    await new EditorPage(page.page).waitLoaded();
    await page.page.goBack();
    await page.waitLoaded();
    await page.waitForTitle('Мұрағатқа баратын кітап');

    const archive = page.page.getByRole('button', { name: 'Archive “Мұрағатқа баратын кітап”' });
    await archive.click();
    const ask = page.page.getByRole('dialog', { name: 'Archive “Мұрағатқа баратын кітап”?' });
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(await page.titles()).toContain('Мұрағатқа баратын кітап');

    await archive.click();
    await ask.getByRole('button', { name: 'Archive', exact: true }).click();
    await page.waitForTitle('Мұрағатқа баратын кітап', false);
    expect(await page.tab('Archived').innerText()).toBe('Archived (1)');
    await page.tab('Archived').click();
    await page.waitForTitle('Мұрағатқа баратын кітап');
    // A member cannot delete for good; only the admin can.
    expect(await page.page.getByRole('button', { name: 'Delete for good' }).count()).toBe(0);
    await page.page.getByRole('button', { name: 'Restore “Мұрағатқа баратын кітап”' }).click();
    await page.waitForTitle('Мұрағатқа баратын кітап', false);
    await page.tab('Flashbooks').click();
    await page.waitForTitle('Мұрағатқа баратын кітап');
  });

  it('opens the workspace offline after one visit; a flashbook made offline joins it later', async () => {
    const ws = await workspace('Желісіз кеңістік');
    const ctx = await e2e.newUser();
    const page = await WorkspacePage.open(ctx, ws.memberUrl);
    await page.createFlashbook('Онлайн жасалған');
    await new EditorPage(page.page).waitLoaded();
    await page.page.goBack();
    await page.waitForTitle('Онлайн жасалған');
    await waitOfflineReady(page.page);

    await goOffline(ctx);
    await page.page.reload();
    await page.waitLoaded();
    await page.page.getByText('No connection: the list as this device last saw it').waitFor();
    expect(await page.titles()).toEqual(['Онлайн жасалған']);

    await page.createFlashbook('Желісіз жасалған');
    const editor = new EditorPage(page.page);
    await editor.waitLoaded();
    // Seeded here with the brand kit the device last saw.
    await page.page.getByRole('button', { name: 'Design' }).click();
    const design = page.page.getByRole('dialog', { name: 'Design and settings' });
    expect(await design.locator('input[type="color"]').inputValue()).toBe(BRAND.brandColor);
    await design.getByRole('button', { name: 'Close' }).click();
    expect(await serverTitles(ws)).toEqual(['Онлайн жасалған']);

    await goOnline(ctx);
    await waitFor(
      () => serverTitles(ws),
      (t) => t.includes('Желісіз жасалған'),
      'the offline flashbook to join the workspace',
      30_000,
    );
  });

  it('lets the admin edit the workspace in its settings and replace the member link', async () => {
    const ws = await workspace('Баптау тексеру');
    const member = await WorkspacePage.open(await e2e.newUser(), ws.memberUrl);
    expect(await member.page.getByRole('button', { name: 'Workspace settings' }).count()).toBe(0);
    const admin = await WorkspacePage.open(await e2e.newUser(), ws.adminUrl);
    await admin.page.getByRole('button', { name: 'Workspace settings' }).click();
    await admin.page.getByRole('heading', { name: 'Workspace settings' }).waitFor();
    const memberLink = admin.page.getByLabel('Member link');
    expect(await memberLink.inputValue()).toBe(new URL(ws.memberUrl, e2e.baseUrl).href);

    await admin.page.getByLabel('Name of the workspace').fill('Балалар кітапханаларының желісі');
    await admin.page.getByRole('button', { name: 'Add a library' }).click();
    await admin.page.getByLabel('Name', { exact: true }).last().fill('Балқаш қалалық кітапханасы');
    await admin.page.getByLabel('District or city').last().fill('Балқаш');
    await admin.page.getByRole('button', { name: 'Save settings' }).click();
    await admin.page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

    // The member's page shows the new name and library (after its next look at the server).
    await waitFor(
      () => member.page.getByRole('heading', { level: 1 }).innerText(),
      (t) => t === 'Балалар кітапханаларының желісі',
      'the new name on the member page',
      20_000,
    );
    expect(await member.page.locator('.workspace__libraries').innerText()).toContain(
      'Балқаш қалалық кітапханасы (Балқаш)',
    );

    admin.page.once('dialog', (d) => void d.accept());
    await admin.page.getByRole('button', { name: 'Replace the member link' }).click();
    await waitFor(
      () => memberLink.inputValue(),
      (v) => v !== new URL(ws.memberUrl, e2e.baseUrl).href,
      'the new member link',
    );
    // The old member link stops at once; the new one opens the workspace.
    const old = await WorkspacePage.openRaw(await e2e.newUser(), ws.memberUrl);
    await old.getByText('This workspace link was replaced by its admin').waitFor();
    const fresh = await WorkspacePage.open(await e2e.newUser(), await memberLink.inputValue());
    expect(await fresh.page.getByRole('heading', { level: 1 }).innerText()).toBe(
      'Балалар кітапханаларының желісі',
    );
  });
});
