import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedFlashbook } from '../../src/protocol/api.ts';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, waitFor } from './pages.ts';
import { CommentsPanel } from './comments-pages.ts';

const EDITOR = { name: 'Айгерим', library: 'Талгарская ЦБС' };
const REVIEWER = { name: 'Гульнара', library: 'Областная библиотека' };
const QUOTE = 'Кітап — білім бұлағы';

describe('a comment link', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('opens the editor read-only with comments: its holder comments, and cannot change the slide', async () => {
    const res = await fetch(`${e2e.baseUrl}/api/flashbooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Методика' }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedFlashbook;
    const editor = await EditorPage.openLink(await e2e.newUser(), created.editUrl, EDITOR);
    await editor.page
      .getByRole('region', { name: 'Slide content' })
      .getByLabel('Layout')
      .selectOption({ label: 'Quote' });
    await editor.slideField('Quote').fill(QUOTE);

    const reviewer = await EditorPage.openLink(await e2e.newUser(), created.commentUrl, REVIEWER);
    await reviewer.expectText(reviewer.slideField('Quote'), [QUOTE]);
    // Read-only fields: typing changes nothing.
    expect(await reviewer.slideField('Quote').getAttribute('readonly')).not.toBeNull();
    await reviewer.slideField('Quote').press('End');
    await reviewer.page.keyboard.type('!!!');
    expect(await reviewer.slideField('Quote').inputValue()).toBe(QUOTE);

    const panel = new CommentsPanel(reviewer.page);
    await panel.open();
    await panel.commentOnFieldText(reviewer, 'Quote', 'білім', 'Дереккөзін көрсетіңіз');

    const editorPanel = new CommentsPanel(editor.page);
    await editorPanel.open();
    const thread = editorPanel.thread('Дереккөзін көрсетіңіз');
    await thread.waitFor();
    expect(await thread.locator('.thread__quote').innerText()).toBe('білім');
    await editorPanel.reply(thread, 'Рахмет, қосамын');
    await panel.waitMessages(panel.thread('Дереккөзін көрсетіңіз'), [
      'Дереккөзін көрсетіңіз',
      'Рахмет, қосамын',
    ]);
    // The reviewer may resolve too (a thread's state is everybody's).
    await panel.thread('Дереккөзін көрсетіңіз').getByRole('button', { name: 'Resolve' }).click();
    await waitFor(
      () => editorPanel.openThreads.count(),
      (n) => n === 0,
      'resolved for the editor',
    );
    await editor.expectText(editor.slideField('Quote'), [QUOTE]);
    expect(await editor.slideField('Quote').inputValue()).toBe(QUOTE);
  });
});
