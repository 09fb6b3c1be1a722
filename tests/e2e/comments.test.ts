import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, waitFor } from './pages.ts';
import { CommentsPanel } from './comments-pages.ts';
import { goOffline, goOnline, syncStatus } from './offline-pages.ts';

const METHODOLOGIST = { name: 'Гульнара', library: 'Областная библиотека' };
const LIBRARIAN = { name: 'Бекзат', library: 'Талгарская ЦБС' };
const QUOTE = 'Книга — лучший подарок, и он всегда с тобой';

/** Turns the first slide into a quote slide with QUOTE in it. */
async function makeQuoteSlide(editor: EditorPage): Promise<void> {
  await editor.page
    .getByRole('region', { name: 'Slide content' })
    .getByLabel('Layout')
    .selectOption({ label: 'Quote' });
  await editor.slideField('Quote').fill(QUOTE);
}

async function waitSynced(page: Page): Promise<void> {
  await waitFor(
    () => syncStatus(page),
    (s) => s.status === 'connected' && s.pending === 0,
    'every change on the server',
  );
}

describe('comment threads', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('comment on selected quote text, the other sees it highlighted, replies, the first resolves', async () => {
    const ctxA = await e2e.newUser();
    const a = await (await HomePage.open(ctxA, METHODOLOGIST)).createFlashbook('Рецензия');
    await makeQuoteSlide(a);
    const links = await a.shareLinks();
    const b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, LIBRARIAN);

    const panelA = new CommentsPanel(a.page);
    await panelA.open();
    await panelA.commentOnFieldText(a, 'Quote', 'лучший подарок', 'Уточните источник цитаты');
    await waitFor(
      () => panelA.openThreads.count(),
      (n) => n === 1,
      'the new thread',
    );
    await waitFor(
      () => panelA.highlighted(a, 'Quote'),
      (h) => h.join() === 'лучший подарок',
      'the range highlighted where it was made',
    );

    // The other librarian sees the thread, with the quoted text highlighted in the field.
    const panelB = new CommentsPanel(b.page);
    await b.page.getByRole('button', { name: 'Comments (1)' }).waitFor();
    // The thumbnail counts it too.
    await b.page.getByRole('button', { name: '1 open comment' }).first().waitFor();
    await panelB.open();
    const threadB = panelB.thread('Уточните источник цитаты');
    await threadB.waitFor();
    expect(await threadB.locator('.thread__quote').innerText()).toBe('лучший подарок');
    expect(await threadB.locator('.message__library').first().innerText()).toBe(
      METHODOLOGIST.library,
    );
    await waitFor(
      () => panelB.highlighted(b, 'Quote'),
      (h) => h.join() === 'лучший подарок',
      'the highlighted range',
    );

    // Someone types before the range: it still covers the same words, on both sides.
    await b.slideField('Quote').evaluate((el) => {
      (el as HTMLTextAreaElement).focus();
      (el as HTMLTextAreaElement).setSelectionRange(0, 0);
    });
    await b.page.keyboard.type('«');
    await waitFor(
      () => panelA.highlighted(a, 'Quote'),
      (h) => h.join() === 'лучший подарок',
      'the range after an edit before it',
    );
    await a.expectText(a.slideField('Quote'), ['«Книга']);

    await panelB.reply(threadB, 'Источник: @Гульнара, это из предисловия');
    const threadA = panelA.thread('Уточните источник цитаты');
    await panelA.waitMessages(threadA, [
      'Уточните источник цитаты',
      'Источник: @Гульнара, это из предисловия',
    ]);
    // The mention of a participant is marked as one.
    expect(await threadA.locator('.mention').allInnerTexts()).toEqual(['@Гульнара']);

    await threadA.getByRole('button', { name: 'Resolve' }).click();
    for (const panel of [panelA, panelB]) {
      await waitFor(
        () => panel.openThreads.count(),
        (n) => n === 0,
        'no open threads',
      );
      await panel.panel.getByText('Resolved (1)').click();
      await panel.resolvedThreads.first().waitFor();
      // Resolved threads stay readable.
      await panel.waitMessages(panel.resolvedThreads.first(), [
        'Уточните источник цитаты',
        'Источник: @Гульнара, это из предисловия',
      ]);
    }
    // Not highlighted any more, nor counted.
    await waitFor(
      () => panelB.highlighted(b, 'Quote'),
      (h) => h.length === 0,
      'no highlight',
    );
    await b.page.getByRole('button', { name: 'Comments (0)' }).waitFor();
  });

  it('opens a short field’s thread when the caret is put in its highlight, by click or by keys', async () => {
    const a = await (
      await HomePage.open(await e2e.newUser(), METHODOLOGIST)
    ).createFlashbook('Две заметки');
    await makeQuoteSlide(a);
    const panel = new CommentsPanel(a.page);
    await panel.open();
    await panel.commentOnFieldText(a, 'Quote', 'Книга', 'Первая заметка');
    await panel.commentOnFieldText(a, 'Quote', 'всегда с тобой', 'Вторая заметка');
    await waitFor(
      () => panel.openThreads.count(),
      (n) => n === 2,
      'two threads',
    );
    const active = () => panel.panel.locator('.thread--active .message__text').first().innerText();
    const close = () => panel.panel.getByRole('button', { name: 'Close' }).click();
    const marks = a.slideField('Quote').locator('xpath=..').locator('mark');

    // A click in the middle of the first highlight: the panel opens on its thread.
    await close();
    await panel.panel.waitFor({ state: 'hidden' });
    const first = marks.filter({ hasText: 'Книга' });
    const box = await first.boundingBox();
    if (!box) throw new Error('no highlight box');
    await a.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await panel.panel.waitFor();
    await waitFor(active, (t) => t === 'Первая заметка', 'the first thread active');
    expect(await first.getAttribute('class')).toContain('field__mark--active');

    // The arrow keys into the other highlight open the other one.
    const quote = a.slideField('Quote');
    await quote.evaluate((el) => {
      const i = el as HTMLTextAreaElement;
      const at = i.value.indexOf('всегда');
      i.setSelectionRange(at, at);
    });
    await a.page.keyboard.press('ArrowRight');
    await waitFor(active, (t) => t === 'Вторая заметка', 'the second thread active');

    // Selecting text inside a highlight (to comment on it again) does not jump.
    await quote.evaluate((el) => {
      const i = el as HTMLTextAreaElement;
      const at = i.value.indexOf('Книга');
      i.setSelectionRange(at + 1, at + 3);
    });
    await a.page.keyboard.press('Shift+ArrowRight');
    expect(await active()).toBe('Вторая заметка');
  });

  it('edits and deletes only its own messages', async () => {
    const ctxA = await e2e.newUser();
    const a = await (await HomePage.open(ctxA, METHODOLOGIST)).createFlashbook('Свои сообщения');
    const links = await a.shareLinks();
    const b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, LIBRARIAN);
    const panelA = new CommentsPanel(a.page);
    await panelA.open();
    await panelA.panel.getByRole('button', { name: 'Comment on this slide' }).click();
    await panelA.write('Опечатка в заголовке');
    const panelB = new CommentsPanel(b.page);
    await panelB.open();
    const threadB = panelB.thread('Опечатка в заголовке');
    await threadB.waitFor();
    // Someone else's message offers no edit or delete.
    expect(await threadB.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    await panelB.reply(threadB, 'Исправлю завтра');
    await panelB.waitMessages(threadB, ['Опечатка в заголовке', 'Исправлю завтра']);
    expect(await threadB.getByRole('button', { name: 'Edit' }).count()).toBe(1);

    await threadB.getByRole('button', { name: 'Edit' }).click();
    const box = threadB.getByRole('combobox', { name: 'Edit your message' });
    await box.fill('Исправлю сегодня');
    await threadB.getByRole('button', { name: 'Save' }).click();
    const threadA = panelA.thread('Опечатка в заголовке');
    await panelA.waitMessages(threadA, ['Опечатка в заголовке', 'Исправлю сегодня']);
    await threadA.getByText('edited').waitFor();

    b.page.once('dialog', (d) => void d.accept());
    await threadB.getByRole('button', { name: 'Delete' }).click();
    await panelA.waitMessages(threadA, ['Опечатка в заголовке', 'Message deleted by its author']);
  });

  it('a comment written offline is kept and arrives after reconnecting', async () => {
    const ctxA = await e2e.newUser();
    const a = await (await HomePage.open(ctxA, LIBRARIAN)).createFlashbook('Без сети');
    await makeQuoteSlide(a);
    const links = await a.shareLinks();
    const b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, METHODOLOGIST);
    await b.expectText(b.slideField('Quote'), [QUOTE]);
    await waitSynced(a.page);

    await goOffline(ctxA);
    await waitFor(
      () => syncStatus(a.page),
      (s) => s.status === 'offline',
      'offline',
    );
    const panelA = new CommentsPanel(a.page);
    await panelA.open();
    await panelA.commentOnFieldText(a, 'Quote', 'всегда с тобой', 'Написано без сети');
    const thread = panelA.thread('Написано без сети');
    // Shown as not sent, like other unconfirmed changes.
    await thread.getByText('not on the server yet').waitFor();
    await waitFor(
      () => syncStatus(a.page),
      (s) => s.pending > 0,
      'a pending change',
    );

    const panelB = new CommentsPanel(b.page);
    await panelB.open();
    expect(await panelB.thread('Написано без сети').count()).toBe(0);

    await goOnline(ctxA);
    await panelB.thread('Написано без сети').waitFor();
    expect(await panelB.thread('Написано без сети').locator('.thread__quote').innerText()).toBe(
      'всегда с тобой',
    );
    await waitSynced(a.page);
    await thread.getByText('not on the server yet').waitFor({ state: 'detached' });
  });

  it('comments on selected rich text through its bubble, highlighted for the other too', async () => {
    const ctxA = await e2e.newUser();
    const a = await (await HomePage.open(ctxA, LIBRARIAN)).createFlashbook('Аннотация');
    const body = a.richText('Organisers');
    await body.click();
    await a.page.keyboard.type('Первый абзац. Второе предложение здесь.');
    const links = await a.shareLinks();
    const b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, METHODOLOGIST);
    await b.expectText(b.richText('Organisers'), ['Второе предложение']);

    // Select "Второе предложение" in the editor, as with the mouse.
    await body.evaluate((el) => {
      (el as HTMLElement).focus();
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.textContent?.indexOf('Второе предложение') ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(n, at);
        range.setEnd(n, at + 'Второе предложение'.length);
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
        return;
      }
      throw new Error('text not found');
    });
    await a.page.getByRole('button', { name: 'Comment on the selected text (Ctrl+Alt+M)' }).click();
    const panelA = new CommentsPanel(a.page);
    await panelA.write('Слишком длинно');
    await panelA.thread('Слишком длинно').waitFor();
    expect(await panelA.thread('Слишком длинно').locator('.thread__quote').innerText()).toBe(
      'Второе предложение',
    );

    const marks = (p: Page) => p.locator('.rich .comment-mark').allInnerTexts();
    await waitFor(
      () => marks(b.page),
      (m) => m.join('') === 'Второе предложение',
      'the mark',
    );
    // Typing right before the range keeps it on the same words.
    await b.richText('Organisers').click();
    await b.page.keyboard.press('Home');
    await b.page.keyboard.type('Итак. ');
    await waitFor(
      () => marks(a.page),
      (m) => m.join('') === 'Второе предложение',
      'the mark moves',
    );
  });

  it('marks what others wrote since the last visit on this device as new', async () => {
    const ctxA = await e2e.newUser();
    const a = await (await HomePage.open(ctxA, METHODOLOGIST)).createFlashbook('Новое');
    const links = await a.shareLinks();
    const b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, LIBRARIAN);
    const panelA = new CommentsPanel(a.page);
    await panelA.open();
    await panelA.panel.getByRole('button', { name: 'Comment on this slide' }).click();
    await panelA.write('Написано, пока вы были здесь');
    const panelB = new CommentsPanel(b.page);
    await panelB.open();
    await panelB.thread('Написано, пока вы были здесь').waitFor();
    // Seen during the visit: nothing is new. Leave, and meanwhile a colleague writes again.
    await b.page.goto('about:blank');
    await panelA.reply(panelA.thread('Написано, пока вы были здесь'), 'Написано без вас');
    await waitSynced(a.page);
    const page = b.page;
    await page.goto(links.edit as string);
    const b2 = new EditorPage(page);
    await b2.waitLoaded();
    await page.getByRole('button', { name: 'Comments (1) 1 new' }).waitFor();
    const panel = new CommentsPanel(page);
    await panel.open();
    const thread = panel.thread('Написано без вас');
    await panel.waitMessages(thread, ['Написано, пока вы были здесь', 'Написано без вас']);
    expect(await thread.locator('.message--new .message__text').allInnerTexts()).toEqual([
      'Написано без вас',
    ]);
  });
});
