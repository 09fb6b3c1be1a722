import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './harness.ts';
import { HomePage, waitFor } from './pages.ts';
import { goOffline, goOnline, syncStatus, waitOfflineReady } from './offline-pages.ts';

const AIGERIM = { name: 'Aigerim', library: 'Talgar branch' };

/** The rows this browser keeps for a flashbook in IndexedDB (its document and its sync count). */
function storedRows(page: Page, id: string): Promise<{ updates: number; syncState: number }> {
  return page.evaluate(
    (docId) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('flashbook-studio');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['docUpdates', 'syncState'], 'readonly');
          const updates = tx.objectStore('docUpdates').index('docId').count(docId);
          const sync = tx.objectStore('syncState').count(docId);
          tx.oncomplete = () => {
            resolve({ updates: updates.result, syncState: sync.result });
            open.result.close();
          };
        };
      }),
    id,
  );
}

const idOf = (page: Page) => /\/f\/([^/#]+)/.exec(page.url())?.[1] ?? '';

/** Clicks "Remove" for a flashbook; answers the confirmation (if one comes) and returns its text. */
async function remove(page: Page, title: string, answer: 'accept' | 'dismiss') {
  let asked: string | null = null;
  page.once('dialog', (d) => {
    asked = d.message();
    void (answer === 'accept' ? d.accept() : d.dismiss());
  });
  await page.getByRole('button', { name: `Remove “${title}” from this list` }).click();
  // Either the row goes, or (dismissed) the question was asked and answered.
  await waitFor(
    async () =>
      asked !== null || (await page.getByRole('link', { name: title, exact: true }).count()) === 0,
    (done) => done,
    'the removal or its question',
  );
  return asked as string | null;
}

describe('forgetting a flashbook on this device', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('removes a flashbook the server holds entirely, with its local copy, after asking; Undo puts it back', async () => {
    const ctx = await e2e.newUser();
    const home = await HomePage.open(ctx, AIGERIM);
    const editor = await home.createFlashbook('Сервердегі кітап');
    const id = idOf(editor.page);
    await editor.titleInput.fill('Сервердегі кітап, өңделген');
    await waitFor(
      () => syncStatus(editor.page),
      (s) => s.status === 'connected' && s.pending === 0,
      'every change confirmed',
    );
    await waitFor(
      () => storedRows(editor.page, id),
      (r) => r.updates > 0,
      'the local copy',
    );

    await editor.page.getByRole('button', { name: 'All flashbooks' }).click();
    const title = 'Сервердегі кітап, өңделген';
    await editor.page.getByRole('link', { name: title }).waitFor();
    expect(await remove(editor.page, title, 'accept')).toContain('The server keeps it');
    expect(await storedRows(editor.page, id)).toEqual({ updates: 0, syncState: 0 });
    // Undo brings the entry and the device's copy back.
    await editor.page.getByRole('button', { name: 'Undo' }).click();
    await editor.page.getByRole('link', { name: title }).waitFor();
    expect((await storedRows(editor.page, id)).updates).toBeGreaterThan(0);
  });

  it('asks before removing changes the server has not confirmed, and keeps them if told to', async () => {
    const ctx = await e2e.newUser();
    const home = await HomePage.open(ctx, AIGERIM);
    const editor = await home.createFlashbook('Желісіз өзгеріс');
    const id = idOf(editor.page);
    await waitOfflineReady(editor.page);
    await waitFor(
      () => syncStatus(editor.page),
      (s) => s.status === 'connected' && s.pending === 0,
      'a synced start',
    );
    await goOffline(ctx);
    await waitFor(
      () => syncStatus(editor.page),
      (s) => s.status === 'offline',
      'offline',
    );
    await editor.slideField('Subtitle').fill('Тек осы құрылғыда');
    await waitFor(
      () => syncStatus(editor.page),
      (s) => s.pending > 0 && s.text.includes('All changes saved on this device'),
      'an unconfirmed change saved on the device',
    );

    await editor.page.getByRole('button', { name: 'All flashbooks' }).click();
    await editor.page.getByRole('link', { name: 'Желісіз өзгеріс' }).waitFor();
    const question = await remove(editor.page, 'Желісіз өзгеріс', 'dismiss');
    expect(question).toContain('only this device holds');
    await editor.page.getByRole('link', { name: 'Желісіз өзгеріс' }).waitFor();
    expect((await storedRows(editor.page, id)).updates).toBeGreaterThan(0);

    // Kept: back online, the change reaches the server.
    await goOnline(ctx);
    await editor.page.getByRole('link', { name: 'Желісіз өзгеріс' }).click();
    await editor.waitLoaded();
    await waitFor(
      () => syncStatus(editor.page),
      (s) => s.status === 'connected' && s.pending === 0,
      'the kept change confirmed',
    );
    await editor.expectText(editor.slideField('Subtitle'), ['Тек осы құрылғыда']);
  });

  it('asks before removing a flashbook created offline, and deletes it only when told to', async () => {
    const ctx = await e2e.newUser();
    const home = await HomePage.open(ctx, AIGERIM);
    await waitOfflineReady(home.page);
    await goOffline(ctx);
    const editor = await home.createFlashbook('Тек осында');
    const id = idOf(editor.page);
    expect((await syncStatus(editor.page)).text).toContain('Created offline');
    await editor.page.getByRole('button', { name: 'All flashbooks' }).click();
    await editor.page.getByRole('link', { name: 'Тек осында' }).waitFor();

    const first = await remove(editor.page, 'Тек осында', 'dismiss');
    expect(first).toContain('exists only on this device');
    await editor.page.getByRole('link', { name: 'Тек осында' }).waitFor();
    expect((await storedRows(editor.page, id)).updates).toBeGreaterThan(0);

    const second = await remove(editor.page, 'Тек осында', 'accept');
    expect(second).toContain('exists only on this device');
    await waitFor(
      () => editor.page.getByRole('link', { name: 'Тек осында' }).count(),
      (n) => n === 0,
      'the row gone',
    );
    expect(await storedRows(editor.page, id)).toEqual({ updates: 0, syncState: 0 });
  });
});
