import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './harness.ts';
import { HistoryPanelPage } from './history-pages.ts';
import { ImportDialogPage, waitForPosts } from './import-pages.ts';
import { EditorPage, HomePage, sidebarOutline, waitFor } from './pages.ts';

describe('version history', () => {
  let e2e: E2E;
  let a: EditorPage;
  let b: EditorPage;
  const same = (x: unknown) => (o: unknown) => JSON.stringify(o) === JSON.stringify(x);

  beforeAll(async () => {
    e2e = await startE2E();
    const home = await HomePage.open(await e2e.newUser(), {
      name: 'Aigerim',
      library: 'Central Library',
    });
    a = await home.createFlashbook('Жеңіс кітаптары');
    await a.page.getByRole('button', { name: 'Add post' }).click();
    await a.slideField('Title').fill('Абай жолы');
    const links = await a.shareLinks();
    b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, {
      name: 'Boris',
      library: 'Branch 4',
    });
    await waitFor(
      () => sidebarOutline(b.page),
      same([['Slide: Жеңіс кітаптары'], ['Slide: Абай жолы']]),
      'Boris sees both posts',
    );
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('restores a deleted post while a colleague types elsewhere; Undo takes the restore back', async () => {
    // A version with both posts, by name.
    let history = await HistoryPanelPage.open(a.page);
    await history.saveVersion('Before the clean-up');
    await history.close();

    // Aigerim deletes the second post.
    a.page.once('dialog', (d) => void d.accept());
    await a.page.getByRole('button', { name: 'Delete post 2' }).click();
    const onePost = [['Slide: Жеңіс кітаптары']];
    await waitFor(() => sidebarOutline(b.page), same(onePost), 'the deletion at Boris');

    // Boris types into the cover slide while Aigerim restores the post from the history.
    await b.selectSlide('Жеңіс кітаптары');
    const title = b.slideField('Title');
    await title.click();
    await title.press('End');
    history = await HistoryPanelPage.open(a.page);
    await history.select('Before the clean-up');
    await history.changes().getByText('deleted since').first().waitFor();
    const typing = title.pressSequentially(' 1941–1945', { delay: 60 });
    await history.restorePost(2);
    await typing;

    const restored = [['Slide: Жеңіс кітаптары 1941–1945'], ['Slide: Абай жолы']];
    for (const page of [a.page, b.page]) {
      await waitFor(() => sidebarOutline(page), same(restored), 'the post back, typing intact');
    }
    expect(await b.selectedSlideTitle()).toBe('Жеңіс кітаптары 1941–1945');

    // Undo takes the restore back, and only the restore.
    await history.undo();
    const undone = [['Slide: Жеңіс кітаптары 1941–1945']];
    for (const page of [a.page, b.page]) {
      await waitFor(() => sidebarOutline(page), same(undone), 'the restore undone');
    }
    await history.close();
  });

  it('an import is framed by two versions named after the file; restoring the first takes it out', async () => {
    const before = await sidebarOutline(a.page);
    const dialog = await ImportDialogPage.open(a.page);
    await dialog.choose('kazakh-utf8.csv');
    await dialog.submit();
    await waitFor(
      () => sidebarOutline(a.page),
      (o) => o.length > before.length,
      'the imported posts',
    );
    const history = await HistoryPanelPage.open(a.page);
    const imports = history.dialog
      .getByRole('navigation', { name: 'Versions' })
      .getByRole('button', { name: /kazakh-utf8\.csv/ });
    // The second one is made once the server has confirmed the import.
    await waitFor(
      async () => {
        await history.refresh();
        return imports.count();
      },
      (n) => n === 2,
      'two import versions',
    );
    // The older of the two (the list is newest first) is the flashbook before the import.
    await imports.last().click();
    await history.dialog.getByRole('button', { name: 'Restore the whole flashbook' }).click();
    await history.dialog.getByRole('status').filter({ hasText: 'Restored.' }).waitFor();
    await waitForPosts(b.page, before.length);
    expect(await sidebarOutline(b.page)).toEqual(before);
    await history.close();
  });
});
