import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, waitFor } from './pages.ts';

/**
 * A refusal the user can do something about (here: the flashbook's size limit) is explained
 * beside the editor, which stays usable; nothing the server had is lost.
 */
describe('refusals the editor explains', () => {
  let e2e: E2E;

  beforeAll(async () => {
    // Every new content is over this limit; the seeded flashbook itself is stored at creation.
    e2e = await startE2E({ sync: { maxDocBytes: 1 } });
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('says that the flashbook reached its size limit, keeps the editor and the stored content', async () => {
    const home = await HomePage.open(await e2e.newUser(), { name: 'Aigerim', library: 'Central' });
    const a = await home.createFlashbook('Limits');
    const links = await a.shareLinks();
    await a.titleInput.fill('Limits of a flashbook');
    const notice = a.page.getByRole('alert').filter({ hasText: 'reached its size limit' });
    await notice.waitFor();
    // The editor is still there, with the change kept on this device.
    expect(await a.titleInput.inputValue()).toBe('Limits of a flashbook');
    expect(await a.page.getByText('rate limit exceeded').count()).toBe(0);
    // Reconnecting is offered; the server refuses again while the flashbook is full.
    await notice.getByRole('button', { name: 'Reconnect' }).click();
    await notice.waitFor();

    // What the server stored before is intact for everyone else.
    const b = await EditorPage.openViewLinkInEditor(await e2e.newUser(), links.view);
    await waitFor(
      () => b.titleInput.inputValue(),
      (v) => v === 'Limits',
      'the stored title at a reader',
    );
  });
});
