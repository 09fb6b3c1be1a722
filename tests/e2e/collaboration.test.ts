import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, waitFor } from './pages.ts';

const AIGERIM = { name: 'Aigerim Seitkali', library: 'Regional Children’s Library' };
const BORIS = { name: 'Boris Lee', library: 'Talgar District Branch' };

describe('two librarians edit one flashbook', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });

  afterAll(async () => {
    await e2e?.close();
  });

  /** A fresh flashbook that Aigerim created and Boris opened with her edit link. */
  async function twoEditors(): Promise<{
    a: EditorPage;
    b: EditorPage;
    links: { edit: string | null; view: string };
  }> {
    const home = await HomePage.open(await e2e.newUser(), AIGERIM);
    const a = await home.createFlashbook('Соғыс жылдарының әдебиеті');
    const links = await a.shareLinks();
    expect(links.edit).toMatch(/\/f\/[A-Za-z0-9_-]+#t=/);
    const b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, BORIS);
    return { a, b, links };
  }

  it('shows each user the other, with name and library', async () => {
    const { a, b } = await twoEditors();
    for (const [page, other] of [
      [a, BORIS],
      [b, AIGERIM],
    ] as const) {
      const names = await waitFor(
        () => page.presenceNames(),
        (n) => n.some((x) => x.includes(other.name)),
        `${other.name} in the presence list`,
      );
      expect(names.join('\n')).toContain(other.library);
    }
  });

  it('merges the same slide title typed by both at the same time', async () => {
    const { a, b } = await twoEditors();
    // Both are on the cover slide, which shows the flashbook title.
    const titleA = a.slideField('Title');
    const titleB = b.slideField('Title');
    await a.expectText(titleB, ['Соғыс жылдарының әдебиеті']);
    await titleA.click();
    await titleA.press('End');
    await titleB.click();
    await titleB.press('Home');
    await Promise.all([
      titleA.pressSequentially(' 1941–1945', { delay: 30 }),
      titleB.pressSequentially('Қазақстан: ', { delay: 30 }),
    ]);
    const merged = 'Қазақстан: Соғыс жылдарының әдебиеті 1941–1945';
    await a.expectText(titleA, [merged]);
    await b.expectText(titleB, [merged]);
    expect(await titleA.inputValue()).toBe(merged);
    expect(await titleB.inputValue()).toBe(merged);
    // The canvas renders what the form holds.
    await waitFor(
      () => b.canvasText(),
      (t) => t.includes(merged),
      'the canvas to show the merged title',
    );
  });

  it('merges rich text typed by both at the same time and shows the other caret', async () => {
    const { a, b } = await twoEditors();
    const bodyA = a.richText('Organisers');
    const bodyB = b.richText('Organisers');
    await bodyA.click();
    await bodyA.pressSequentially('Областная детская библиотека.', { delay: 10 });
    await b.expectText(bodyB, ['Областная детская библиотека.']);
    await bodyB.click();
    await b.page.keyboard.press('ControlOrMeta+End');
    await bodyA.click();
    await a.page.keyboard.press('ControlOrMeta+Home');
    await Promise.all([
      bodyA.pressSequentially('Ұйымдастырушылар: ', { delay: 30 }),
      bodyB.pressSequentially(' Талгарский филиал.', { delay: 30 }),
    ]);
    const merged = 'Ұйымдастырушылар: Областная детская библиотека. Талгарский филиал.';
    await a.expectText(bodyA, [merged]);
    await b.expectText(bodyB, [merged]);
    // Aigerim's caret is drawn in Boris's editor with her name.
    await waitFor(
      () => b.page.locator('.collaboration-carets__label').allInnerTexts(),
      (labels) => labels.includes(AIGERIM.name),
      'Aigerim’s caret label in Boris’s editor',
    );
  });

  it('draws a colleague’s caret in the colour of their avatar here, also when both chose the same colour', async () => {
    // Both profiles get the same colour (it is picked at random when the profile is saved);
    // the presence list then shows one of them in another colour, and so must the caret.
    const sameColour = async () => {
      const ctx = await e2e.newUser();
      await ctx.addInitScript(() => {
        Math.random = () => 0;
      });
      return ctx;
    };
    const home = await HomePage.open(await sameColour(), AIGERIM);
    const a = await home.createFlashbook('Бір түс');
    const link = (await a.shareLinks()).edit as string;
    const b = await EditorPage.openLink(await sameColour(), link, BORIS);
    const avatars = (page: EditorPage) =>
      page.page
        .getByRole('list', { name: /people here|person here/ })
        .locator('.avatar')
        .evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor));
    const caretColours = async (page: EditorPage) => {
      const caret = page.page.locator('.collaboration-carets__caret');
      await waitFor(
        () => caret.count(),
        (n) => n === 1,
        'the colleague’s caret',
      );
      return caret.evaluate((el) => [
        getComputedStyle(el).borderLeftColor,
        getComputedStyle(el.querySelector('.collaboration-carets__label') as Element)
          .backgroundColor,
      ]);
    };
    // Each types in the body, so each sees the other's caret. Whoever of the two is shown in
    // another colour (the same one on both screens), their caret must be in it too.
    await a.richText('Organisers').click();
    await a.richText('Organisers').pressSequentially('Түсі бөлек.', { delay: 10 });
    await b.expectText(b.richText('Organisers'), ['Түсі бөлек.']);
    await b.richText('Organisers').click();
    await b.page.keyboard.press('ControlOrMeta+End');
    await b.richText('Organisers').pressSequentially(' Иә.', { delay: 10 });
    for (const [page, who] of [
      [a, 'Boris in Aigerim’s list'],
      [b, 'Aigerim in Boris’s list'],
    ] as const) {
      const [self, other] = await waitFor(
        () => avatars(page),
        (c) => c.length === 2,
        who,
      );
      // The same colour chosen, two colours shown.
      expect(self).not.toBe(other);
      expect(await caretColours(page)).toEqual([other, other]);
    }
  });

  it('keeps everything after a reload', async () => {
    const { a, b } = await twoEditors();
    await a.slideField('Title').fill('Қазақстан: Соғыс жылдарының әдебиеті 1941–1945');
    await a.richText('Organisers').click();
    await a
      .richText('Organisers')
      .pressSequentially('Областная детская библиотека.', { delay: 10 });
    // On the server once the other browser has it.
    await b.expectText(b.richText('Organisers'), ['Областная детская библиотека.']);
    await a.page.reload();
    await a.waitLoaded();
    await a.expectText(a.slideField('Title'), ['Қазақстан: Соғыс жылдарының әдебиеті 1941–1945']);
    await a.expectText(a.richText('Organisers'), ['Областная детская библиотека.']);
  });

  it('opens a view link read-only: nothing the viewer does reaches the others', async () => {
    const { a, links } = await twoEditors();
    const viewer = await EditorPage.openViewLinkInEditor(await e2e.newUser(), links.view);
    await viewer.expectText(viewer.slideField('Title'), ['Соғыс жылдарының әдебиеті']);
    expect(await viewer.page.getByText('View only').count()).toBe(1);
    expect(await viewer.slideField('Title').getAttribute('readonly')).not.toBeNull();
    expect(await viewer.richText('Organisers').getAttribute('contenteditable')).toBe('false');
    expect(await viewer.page.getByRole('button', { name: 'Add post' }).count()).toBe(0);
    // Try anyway: type into the title and the body.
    await viewer
      .slideField('Title')
      .pressSequentially('XXX', { timeout: 2000 })
      .catch(() => {});
    await viewer
      .richText('Organisers')
      .pressSequentially('YYY', { timeout: 2000 })
      .catch(() => {});
    // Meanwhile an editor's edit still reaches the viewer, so the connection works both ways.
    await a.slideField('Subtitle').fill('Виртуальная выставка');
    await viewer.expectText(viewer.slideField('Subtitle'), ['Виртуальная выставка']);
    const title = await a.slideField('Title').inputValue();
    expect(title).not.toContain('XXX');
    expect(await a.textOf(a.richText('Organisers'))).not.toContain('YYY');
    // The viewer's share dialog offers no edit link.
    const viewerLinks = await viewer.shareLinks();
    expect(viewerLinks.edit).toBeNull();
  });

  it('lists the flashbook, under its current title, on the home page of each browser', async () => {
    const { a, b } = await twoEditors();
    await a.titleInput.fill('Соғыс жылдарының әдебиеті — виртуалды көрме');
    await b.expectText(b.titleInput, ['Соғыс жылдарының әдебиеті — виртуалды көрме']);
    await b.page.goto('/');
    await waitFor(
      () => b.page.getByRole('link').allInnerTexts(),
      (l) => l.includes('Соғыс жылдарының әдебиеті — виртуалды көрме'),
      'the flashbook in Boris’s recent list',
    );
  });
});
