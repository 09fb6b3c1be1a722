import type { Locator, Page } from 'playwright-core';
import { EditorPage, waitFor } from './pages.ts';

/** The comments panel and the commenting actions, in the words of the UI (English catalog). */
export class CommentsPanel {
  constructor(readonly page: Page) {}

  get panel(): Locator {
    return this.page.getByRole('complementary', { name: 'Comments' });
  }

  async open(): Promise<void> {
    if (await this.panel.isVisible()) return;
    await this.page.getByRole('button', { name: /^Comments \(\d+\)/ }).click();
    await this.panel.waitFor();
  }

  /** Selects `text` inside a short field of the slide form and presses its Comment button. */
  async commentOnFieldText(editor: EditorPage, field: string, text: string, message: string) {
    const input = editor.slideField(field);
    await input.evaluate((el, t) => {
      const i = el as HTMLTextAreaElement;
      const at = i.value.indexOf(t);
      if (at < 0) throw new Error(`"${t}" is not in the field`);
      i.focus();
      i.setSelectionRange(at, at + t.length);
    }, text);
    await this.page.getByRole('button', { name: `Comment on “${field}” (Ctrl+Alt+M)` }).click();
    await this.write(message);
  }

  /** Writes the first message of the thread being started and sends it. */
  async write(message: string): Promise<void> {
    const draft = this.panel.getByRole('region', { name: 'New comment' });
    await draft.getByRole('combobox', { name: 'Your comment' }).fill(message);
    await draft.getByRole('button', { name: 'Comment', exact: true }).click();
    await draft.waitFor({ state: 'detached' });
  }

  /** The open threads (articles) in the panel's open list. */
  get openThreads(): Locator {
    return this.panel.getByRole('list', { name: 'Open comments' }).getByRole('article');
  }

  get resolvedThreads(): Locator {
    return this.panel.getByRole('list', { name: 'Resolved comments' }).getByRole('article');
  }

  thread(byText: string): Locator {
    return this.panel.getByRole('article').filter({ hasText: byText });
  }

  async reply(thread: Locator, text: string): Promise<void> {
    await thread.getByRole('combobox', { name: 'Reply' }).fill(text);
    await thread.getByRole('button', { name: 'Reply', exact: true }).click();
  }

  /** The texts of a thread's messages, in order. */
  async messages(thread: Locator): Promise<string[]> {
    return thread.locator('.message__text').allInnerTexts();
  }

  async waitMessages(thread: Locator, expected: string[]): Promise<void> {
    await waitFor(
      () => this.messages(thread),
      (m) => JSON.stringify(m) === JSON.stringify(expected),
      `messages ${JSON.stringify(expected)}`,
    );
  }

  /** The text highlighted in a short field (the marks drawn behind it). */
  async highlighted(editor: EditorPage, field: string): Promise<string[]> {
    // The layer drawn behind the input, beside it in the same wrapper.
    const control = editor.slideField(field).locator('xpath=..');
    return control.locator('mark').allInnerTexts();
  }
}
