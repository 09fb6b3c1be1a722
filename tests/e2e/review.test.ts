import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, ReviewPage, waitFor } from './pages.ts';

const GULNAR = { name: 'Gulnar Omarova', library: 'Regional Methodological Centre' };
const AIGERIM = { name: 'Aigerim Seitkali', library: 'Talgar District Library' };
const BORIS = { name: 'Boris Lee', library: 'Esik Village Library' };

/**
 * The review flow across libraries: a methodologist (who created the flashbook and holds its
 * approve link) and two librarians (edit links), each in their own browser context, against the
 * real server: statuses go through the status API and reach everyone through the document.
 */
describe('review: a methodologist and two librarians', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });

  afterAll(async () => {
    await e2e?.close();
  });

  /** A flashbook the methodologist created, with two posts, opened by two librarians. */
  async function threeUsers() {
    const home = await HomePage.open(await e2e.newUser(), GULNAR);
    const m = new ReviewPage(await home.createFlashbook('Абай оқулары'));
    await m.page.getByRole('button', { name: 'Add post' }).click();
    await m.post(2).waitFor();
    const mLinks = await m.links();
    const a = new ReviewPage(
      await EditorPage.openLink(await e2e.newUser(), mLinks.edit as string, AIGERIM),
    );
    const b = new ReviewPage(
      await EditorPage.openLink(await e2e.newUser(), mLinks.edit as string, BORIS),
    );
    for (const p of [m, a, b]) await p.post(2).waitFor();
    return { m, a, b, mLinks };
  }

  it('submit, approve, change after approval, send back with a note; export warns', async () => {
    // The methodologist creates the flashbook (and so holds all four links) with two posts.
    const home = await HomePage.open(await e2e.newUser(), GULNAR);
    const m = new ReviewPage(await home.createFlashbook('Абай оқулары'));
    await m.page.getByRole('button', { name: 'Add post' }).click();
    await m.post(2).waitFor();
    const mLinks = await m.links();
    for (const link of Object.values(mLinks)) expect(link).toMatch(/\/f\/[A-Za-z0-9_-]+#t=/);
    expect(new Set(Object.values(mLinks)).size).toBe(4);

    const a = new ReviewPage(
      await EditorPage.openLink(await e2e.newUser(), mLinks.edit as string, AIGERIM),
    );
    const b = new ReviewPage(
      await EditorPage.openLink(await e2e.newUser(), mLinks.edit as string, BORIS),
    );
    const all = [m, a, b];
    for (const p of all) await p.post(2).waitFor();

    // An editor shares the edit, comment and view links, never the approval link.
    const aLinks = await a.links();
    expect(aLinks).toEqual({ ...mLinks, approve: null });

    // Aigerim submits post 1; everyone sees it in review.
    await a.selectPost(1);
    expect(await a.actions(1)).toEqual(['Submit for review']);
    await a.act(1, 'Submit for review');
    for (const p of all) await p.waitStatus(1, 'In review');

    // A librarian cannot approve; the methodologist can.
    expect(await a.actions(1)).not.toContain('Approve');
    expect(await a.actions(1)).toEqual(['Back to draft']);
    await m.selectPost(1);
    expect(await m.actions(1)).toEqual(['Approve', 'Send back']);
    await m.act(1, 'Approve');
    for (const p of all) await p.waitStatus(1, 'Approved');
    for (const p of all)
      await waitFor(
        () => p.progress(),
        (t) => t === '1 of 2 posts approved',
        'the progress',
      );
    await b.selectPost(1);
    await waitFor(
      () => b.box(1).innerText(),
      (t) => t.includes(`Approved by ${GULNAR.name} (${GULNAR.library})`),
      'who approved',
    );

    // Aigerim edits the approved post's caption: it is changed since approval for everyone.
    const panel = await a.editor.openCaption(1);
    const caption = panel.getByLabel('Caption of post 1', { exact: true });
    await caption.click();
    await caption.pressSequentially('Абайдың қара сөздері');
    // Back to the slide form, where the post's review box is.
    await panel.getByRole('button', { name: 'Close' }).click();
    for (const p of all) await p.waitStatus(1, 'Changed since approval');
    // Still approved on the server: only the methodologist approves it again or sends it back.
    expect(await a.actions(1)).toEqual([]);
    expect(await m.actions(1)).toEqual(['Approve', 'Send back']);
    for (const p of all)
      await waitFor(
        () => p.progress(),
        (t) => t === '0 of 2 posts approved',
        'the progress',
      );

    // Boris submits post 2, the methodologist sends it back with a note.
    await b.selectPost(2);
    await b.act(2, 'Submit for review');
    for (const p of all) await p.waitStatus(2, 'In review');
    const note = 'Жылын тексеріңіз: 1909 емес, 1890.';
    await m.selectPost(2);
    await m.sendBack(2, note);
    for (const p of all) await p.waitStatus(2, 'Draft');
    await waitFor(
      () => b.box(2).innerText(),
      (t) => t.includes(note),
      'the note on the post',
    );
    const activity = await b.activity((items) => items.some((i) => i.includes(note)));
    expect(activity[0]).toContain(GULNAR.name);
    expect(activity[0]).toContain(GULNAR.library);
    expect(activity[0]).toContain('sent Post 2 back');
    expect(activity[0]).toContain(note);
    expect(activity.some((i) => i.includes(AIGERIM.name) && i.includes('submitted Post 1'))).toBe(
      true,
    );

    // The export warns about both posts: one changed since approval, one a draft.
    await m.page.getByRole('button', { name: 'Export' }).click();
    const exportDialog = m.page.getByRole('dialog', { name: 'Export for Instagram' });
    const unapproved = exportDialog.getByRole('list', { name: 'Posts not approved' });
    await waitFor(
      () => unapproved.locator('li').allInnerTexts(),
      (items) => items.length === 2,
      'two unapproved posts',
    );
    expect(await unapproved.innerText()).toContain('Changed since approval');
    await unapproved.getByRole('button', { name: 'Show post 2' }).click();
    await exportDialog.waitFor({ state: 'hidden' });
    await m.box(2).waitFor();
  });

  it('replacing the edit link tells the open editors, and the old link shows the replaced page', async () => {
    const { m, a, b, mLinks } = await threeUsers();
    // A viewer shares only the view link.
    const viewer = new ReviewPage(
      await EditorPage.openViewLinkInEditor(await e2e.newUser(), mLinks.view as string),
    );
    expect(await viewer.links()).toEqual({
      approve: null,
      edit: null,
      comment: null,
      view: mLinks.view,
    });
    // The methodologist replaces the edit link: the librarians' open editors are told, the old
    // link shows the replaced page, the new one works.
    const newEdit = await m.replaceLink('edit');
    expect(newEdit).not.toBe(mLinks.edit);
    for (const p of [a, b])
      await p.page.getByRole('heading', { name: 'This link was replaced' }).waitFor();
    expect(await a.page.getByRole('alert').innerText()).toContain(
      'Ask the methodologist for the new link',
    );
    const stranger = await (await e2e.newUser()).newPage();
    await stranger.addInitScript(() => localStorage.setItem('flashbook.language', 'en'));
    await stranger.goto(mLinks.edit as string);
    await stranger.getByRole('heading', { name: 'This link was replaced' }).waitFor();
    // The methodologist's own editor goes on, and the Share dialog shows the new link.
    expect((await m.links()).edit).toBe(newEdit);
    await m.waitStatus(2, 'Draft');
    const again = new ReviewPage(await EditorPage.openLink(await e2e.newUser(), newEdit, BORIS));
    await again.selectPost(1);
    expect(await again.actions(1)).toEqual(['Submit for review']);
  });
});
