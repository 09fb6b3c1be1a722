import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, sidebarOutline, waitFor } from './pages.ts';
import { goOffline, goOnline, syncStatus, waitOfflineReady } from './offline-pages.ts';
import { IMAGE_FIXTURES } from './image-pages.ts';
import { join } from 'node:path';

const AIGERIM = { name: 'Aigerim', library: 'Talgar branch' };
const BORIS = { name: 'Boris', library: 'Esik branch' };

describe('offline drafting', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('opens, edits and keeps a flashbook with no network, and syncs when it is back', async () => {
    const ctx = await e2e.newUser();
    const home = await HomePage.open(ctx, AIGERIM);
    const a = await home.createFlashbook('Офлайн жұмыс');
    const links = await a.shareLinks();
    await waitOfflineReady(a.page);
    await waitFor(
      () => syncStatus(a.page),
      (s) => s.status === 'connected' && s.pending === 0,
      'a synced start',
    );

    await goOffline(ctx);
    await waitFor(
      () => syncStatus(a.page),
      (s) => s.status === 'offline',
      'the offline state',
    );
    await a.page.reload();
    await a.waitLoaded();
    await a.slideField('Subtitle').fill('Желісіз жазылды');
    const offline = await waitFor(
      () => syncStatus(a.page),
      (s) => s.pending > 0 && s.text.includes('All changes saved on this device'),
      'unconfirmed changes, saved on the device',
    );
    expect(offline.text).toMatch(/changes? not yet on the server/);

    // Close the tab and open the flashbook again, still offline: the edit is there.
    await a.page.close();
    const again = await ctx.newPage();
    await again.goto(links.edit as string);
    const a2 = new EditorPage(again);
    await a2.waitLoaded();
    await a2.expectText(a2.slideField('Subtitle'), ['Желісіз жазылды']);
    // The home page lists it offline too.
    await again.goto('/');
    await again.getByRole('link', { name: 'Офлайн жұмыс' }).waitFor();
    await again.getByRole('link', { name: 'Офлайн жұмыс' }).click();
    await a2.waitLoaded();

    await goOnline(ctx);
    await waitFor(
      () => syncStatus(again),
      (s) => s.status === 'connected' && s.pending === 0,
      'every change confirmed',
    );
    expect((await syncStatus(again)).text).toContain('All changes are on the server');
    const b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, BORIS);
    await b.expectText(b.slideField('Subtitle'), ['Желісіз жазылды']);
  });

  it('merges what two librarians wrote into the same slide while both were offline', async () => {
    const ctxA = await e2e.newUser();
    const home = await HomePage.open(ctxA, AIGERIM);
    const a = await home.createFlashbook('Екі кітапхана');
    const links = await a.shareLinks();
    const ctxB = await e2e.newUser();
    const b = await EditorPage.openLink(ctxB, links.edit as string, BORIS);
    for (const p of [a, b]) {
      await waitFor(
        () => syncStatus(p.page),
        (s) => s.status === 'connected',
        'connected',
      );
    }
    await goOffline(ctxA);
    await goOffline(ctxB);
    await waitFor(
      () => syncStatus(a.page),
      (s) => s.status === 'offline',
      'A offline',
    );
    await waitFor(
      () => syncStatus(b.page),
      (s) => s.status === 'offline',
      'B offline',
    );

    // Both on the cover slide: A appends to the title and writes the body's start, B prepends.
    const titleA = a.slideField('Title');
    await titleA.click();
    await titleA.press('End');
    await titleA.pressSequentially(' — Талғар');
    const titleB = b.slideField('Title');
    await titleB.click();
    await titleB.press('Home');
    await titleB.pressSequentially('Есік: ');
    await a.richText('Organisers').click();
    await a.page.keyboard.type('Талғар аудандық кітапханасы.');
    await b.richText('Organisers').click();
    await b.page.keyboard.type('Есік қалалық кітапханасы.');
    // Nobody sees the other's edit while offline.
    expect(await titleA.inputValue()).not.toContain('Есік');

    await goOnline(ctxA);
    await goOnline(ctxB);
    const title = 'Есік: Екі кітапхана — Талғар';
    await a.expectText(titleA, [title]);
    await b.expectText(titleB, [title]);
    expect(await titleA.inputValue()).toBe(title);
    expect(await titleB.inputValue()).toBe(title);
    for (const p of [a, b]) {
      await p.expectText(p.richText('Organisers'), [
        'Талғар аудандық кітапханасы.',
        'Есік қалалық кітапханасы.',
      ]);
    }
    const bodyA = await a.textOf(a.richText('Organisers'));
    const bodyB = await b.textOf(b.richText('Organisers'));
    expect(bodyA).toBe(bodyB);
    // Nothing was seeded twice: still one post with one slide.
    expect(await sidebarOutline(a.page)).toEqual(await sidebarOutline(b.page));
    expect((await sidebarOutline(a.page)).flat()).toHaveLength(1);
  });

  it('creates a flashbook offline, with an image, and a colleague opens it once it is online', async () => {
    const ctx: BrowserContext = await e2e.newUser();
    const home = await HomePage.open(ctx, AIGERIM);
    await waitOfflineReady(home.page);
    await goOffline(ctx);
    const a = await home.createFlashbook('Жаңа көрме желісіз');
    expect((await syncStatus(a.page)).text).toContain('Created offline');
    await a.page.getByRole('button', { name: 'Add slide to post 1' }).click();
    await a.slideField('Author').fill('Қасым Аманжолов');
    await a.slideField('Title').fill('Ақын өлімі туралы аңыз');
    await a.page
      .getByLabel('Choose file for: Book cover', { exact: true })
      .setInputFiles(join(IMAGE_FIXTURES, 'cover.jpg'));
    await a.page.getByText('uploaded when the server can be reached').waitFor();
    await waitFor(
      () =>
        a.page
          .locator('.canvas img.slide__cover-image')
          .evaluate((img: HTMLImageElement) => img.naturalWidth),
      (w) => w > 0,
      'the cover shown from the local copy',
    );

    await goOnline(ctx);
    // Registered, connected, every change confirmed, the image uploaded from the outbox.
    await waitFor(
      () => syncStatus(a.page),
      (s) => s.status === 'connected' && s.pending === 0,
      'synced after registration',
      30_000,
    );
    await a.page
      .getByText('uploaded when the server can be reached')
      .waitFor({ state: 'detached', timeout: 30_000 });
    const links = await a.shareLinks();
    expect(links.edit).toMatch(/#t=/);
    const b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, BORIS);
    await b.selectSlide(/Slide: Ақын өлімі туралы аңыз/);
    await waitFor(
      () =>
        b.page
          .locator('.canvas img.slide__cover-image')
          .evaluate((img: HTMLImageElement) => img.naturalWidth),
      (w) => w > 0,
      'the cover for the colleague',
    );
    expect(await sidebarOutline(b.page)).toEqual(await sidebarOutline(a.page));
  });

  it('warns when this browser cannot store anything, and editing goes on', async () => {
    const ctx = await e2e.newUser();
    // Every write to IndexedDB fails as on a full disk.
    await ctx.addInitScript(() => {
      const quota = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      IDBObjectStore.prototype.add = quota;
      IDBObjectStore.prototype.put = quota;
    });
    const home = await HomePage.open(ctx, AIGERIM);
    const a = await home.createFlashbook('Толық диск');
    await a.slideField('Subtitle').fill('Бәрібір жұмыс істейді');
    await a.page.getByRole('alert').filter({ hasText: 'cannot store the flashbook' }).waitFor();
    await a.expectText(a.slideField('Subtitle'), ['Бәрібір жұмыс істейді']);
    // The edit still reaches the server and everyone else.
    const links = await a.shareLinks();
    const b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, BORIS);
    await b.expectText(b.slideField('Subtitle'), ['Бәрібір жұмыс істейді']);
  });
});
