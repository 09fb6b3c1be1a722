import { expect } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';

/** Page objects: what a librarian does, in the words of the UI (English catalog). */

export async function waitFor<T>(
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  timeout = 15_000,
): Promise<T> {
  const until = Date.now() + timeout;
  let last: T = await fn();
  while (!ok(last)) {
    if (Date.now() > until)
      throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await fn();
  }
  return last;
}

export class HomePage {
  constructor(readonly page: Page) {}

  static async open(
    ctx: BrowserContext,
    profile: { name: string; library: string },
  ): Promise<HomePage> {
    const page = await ctx.newPage();
    // English unless the user switched (a reload keeps the user's choice).
    await page.addInitScript(() => {
      if (!localStorage.getItem('flashbook.language'))
        localStorage.setItem('flashbook.language', 'en');
    });
    await page.goto('/');
    const home = new HomePage(page);
    await home.answerProfile(profile);
    return home;
  }

  async answerProfile(profile: { name: string; library: string }): Promise<void> {
    const dialog = this.page.getByRole('dialog', { name: 'Who are you?' });
    await dialog.getByLabel('Your name').fill(profile.name);
    await dialog.getByLabel('Your library').fill(profile.library);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  async createFlashbook(title: string): Promise<EditorPage> {
    await this.page.getByLabel('New flashbook').fill(title);
    await this.page.getByRole('button', { name: 'Create flashbook' }).click();
    const editor = new EditorPage(this.page);
    await editor.waitLoaded();
    return editor;
  }
}

export class EditorPage {
  constructor(readonly page: Page) {}

  /** Opens a shared link in a new user's browser (answering the first-visit question). */
  static async openLink(
    ctx: BrowserContext,
    url: string,
    profile: { name: string; library: string },
  ): Promise<EditorPage> {
    const page = await ctx.newPage();
    // English unless the user switched (a reload keeps the user's choice).
    await page.addInitScript(() => {
      if (!localStorage.getItem('flashbook.language'))
        localStorage.setItem('flashbook.language', 'en');
    });
    await page.goto(url);
    await new HomePage(page).answerProfile(profile);
    const editor = new EditorPage(page);
    await editor.waitLoaded();
    return editor;
  }

  /**
   * Opens a view link in the read-only editor (`&mode=editor`), as a colleague does from the
   * reader view: a reader is not asked who they are.
   */
  static async openViewLinkInEditor(ctx: BrowserContext, viewUrl: string): Promise<EditorPage> {
    const page = await ctx.newPage();
    await page.addInitScript(() => {
      if (!localStorage.getItem('flashbook.language'))
        localStorage.setItem('flashbook.language', 'en');
    });
    await page.goto(`${viewUrl}&mode=editor`);
    const editor = new EditorPage(page);
    await editor.waitLoaded();
    return editor;
  }

  async waitLoaded(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Posts and slides' }).waitFor();
  }

  /** Selects a slide by clicking its thumbnail once, and waits until it is the selected one. */
  async selectSlide(name: string | RegExp): Promise<void> {
    const thumb = this.thumb(name);
    await thumb.click();
    await thumb.and(this.page.locator('[aria-current="true"]')).waitFor();
  }

  /** A slide's thumbnail button (its name and click target). */
  thumb(name: string | RegExp): Locator {
    return this.page.getByRole('button', {
      name: typeof name === 'string' ? `Slide: ${name}` : name,
    });
  }

  /** The whole thumbnail: the picture of the slide, its button and who is on it. */
  thumbCard(name: string | RegExp): Locator {
    return this.page.locator('.thumb', { has: this.thumb(name) });
  }

  get titleInput(): Locator {
    return this.page.getByRole('textbox', { name: 'Flashbook title' });
  }

  get connection(): Locator {
    return this.page.getByRole('status');
  }

  slideField(name: string): Locator {
    return this.page
      .getByRole('region', { name: 'Slide content' })
      .getByLabel(name, { exact: true });
  }

  richText(name: string): Locator {
    return this.page.getByRole('textbox', { name, exact: true });
  }

  async shareLinks(): Promise<{ edit: string | null; view: string }> {
    await this.page.getByRole('button', { name: 'Share' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Share this flashbook' });
    const edit = dialog.getByRole('textbox', { name: 'Edit link', exact: true });
    const editUrl = (await edit.count()) > 0 ? await edit.inputValue() : null;
    const view = await dialog.getByRole('textbox', { name: 'View link', exact: true }).inputValue();
    await dialog.getByRole('button', { name: 'Close' }).click();
    return { edit: editUrl, view };
  }

  async presenceNames(): Promise<string[]> {
    const list = this.page.getByRole('list', { name: /people here|person here/ });
    return list.locator('.presence__name').allInnerTexts();
  }

  async selectedSlideTitle(): Promise<string> {
    return this.slideField('Title').inputValue();
  }

  /** Text of the slide as rendered on the canvas (what will be exported). */
  async canvasText(): Promise<string> {
    // Without the soft hyphens that the slide adds at render time (src/typography).
    return (await this.page.locator('.canvas .slide').innerText()).replaceAll('\u00AD', '');
  }

  /** The text of an input, or of a rich text editor without the other people's caret labels. */
  async textOf(locator: Locator): Promise<string> {
    return locator.evaluate((el) => {
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) return el.value;
      const copy = el.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
      return [...copy.children].map((c) => c.textContent ?? '').join('\n');
    });
  }

  /** The canvas: the selected slide as it will be exported (with placeholders when empty). */
  get canvas(): Locator {
    return this.page.locator('.canvas .slide');
  }

  /** Opens the Design panel beside the canvas and returns it. */
  async openDesign(): Promise<Locator> {
    await this.page.getByRole('banner').getByRole('button', { name: 'Design' }).click();
    const panel = this.page.getByRole('dialog', { name: 'Design and settings' });
    await panel.waitFor();
    return panel;
  }

  /** Opens a post's caption panel from its name in the sidebar and returns the panel. */
  async openCaption(post: number): Promise<Locator> {
    await this.page
      .getByRole('navigation', { name: 'Posts and slides' })
      .getByRole('button', { name: `Post ${post} — caption` })
      .click();
    const panel = this.page.getByRole('dialog', { name: `Post ${post} — caption` });
    await panel.waitFor();
    return panel;
  }

  /**
   * The toolbar as laid out: for each of its controls, its visible text (or name), its top and
   * whether its text is cut (wider than its box) without an ellipsis and a tooltip to read it in.
   */
  async toolbarLayout(): Promise<{
    rows: number;
    controls: { name: string; top: number; bottom: number; right: number; cut: boolean }[];
    title: { cut: boolean; ellipsis: boolean; tooltip: string; value: string };
    status: { cut: boolean; right: number; text: string };
    pageOverflow: boolean;
    toolbarRight: number;
    viewport: number;
  }> {
    return this.page.evaluate(() => {
      const toolbar = document.querySelector('header.toolbar');
      if (!toolbar) throw new Error('no toolbar');
      const cut = (el: Element) => el.scrollWidth > el.clientWidth + 1;
      const controls = [
        ...toolbar.querySelectorAll('button, select, input, [role="status"], .presence'),
      ]
        .filter((el) => !el.closest('[hidden]') && (el as HTMLElement).offsetParent !== null)
        .filter((el) => !el.closest('.toolbar-menu__panel'))
        .map((el) => {
          const r = el.getBoundingClientRect();
          return {
            name: (el.getAttribute('aria-label') ?? (el as HTMLElement).innerText).trim(),
            top: Math.round(r.top),
            bottom: Math.round(r.bottom),
            right: Math.round(r.right),
            cut: el instanceof HTMLInputElement ? false : cut(el),
          };
        });
      const tops = controls.map((c) => (c.top + c.bottom) / 2);
      const rows = tops.length === 0 ? 0 : Math.max(...tops) - Math.min(...tops) > 8 ? 2 : 1;
      const input = toolbar.querySelector<HTMLInputElement>('.toolbar__title input');
      const status = toolbar.querySelector<HTMLElement>('[role="status"]');
      if (!input || !status) throw new Error('no title or status');
      return {
        rows,
        controls,
        title: {
          cut: cut(input),
          ellipsis: getComputedStyle(input).textOverflow === 'ellipsis',
          tooltip: input.title,
          value: input.value,
        },
        status: {
          cut: cut(status),
          right: status.getBoundingClientRect().right,
          text: status.innerText,
        },
        pageOverflow: document.documentElement.scrollWidth > document.documentElement.clientWidth,
        toolbarRight: toolbar.getBoundingClientRect().right,
        viewport: document.documentElement.clientWidth,
      };
    });
  }

  async expectText(locator: Locator, contains: string[]): Promise<void> {
    // Every text contains '': such an expectation could never fail.
    if (contains.length === 0 || contains.some((c) => c === ''))
      throw new Error('expectText needs non-empty texts; wait for an empty value explicitly');
    const value = await waitFor(
      () => this.textOf(locator),
      (v) => contains.every((c) => v.includes(c)),
      `text containing ${contains.join(', ')}`,
    );
    for (const c of contains) expect(value).toContain(c);
  }
}

/**
 * Clicks a toolbar action, opening the toolbar's More menu first when the action lives there
 * (Publish, Import books, History and the language are in it, to keep the toolbar on one row).
 */
export async function toolbarAction(page: Page, name: string): Promise<void> {
  const toolbar = page.getByRole('banner');
  const direct = toolbar.getByRole('button', { name, exact: true });
  if ((await direct.count()) === 0 || !(await direct.first().isVisible())) await openMoreMenu(page);
  await toolbar.getByRole('button', { name, exact: true }).click();
}

/** Opens the toolbar's More menu (a disclosure) and waits for its actions. */
export async function openMoreMenu(page: Page): Promise<Locator> {
  const more = page.getByRole('banner').getByRole('button', { name: 'More' });
  if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  const panel = page.locator(`[id="${await more.getAttribute('aria-controls')}"]`);
  await panel.getByRole('button').first().or(panel.getByRole('combobox')).first().waitFor();
  return panel;
}

/** Switches the interface language from the toolbar's More menu (found by place: any language). */
export async function chooseLanguage(page: Page, language: string): Promise<void> {
  const more = page.locator('.toolbar-menu > button');
  if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  await page.locator('.toolbar-menu__panel select:has(option[lang="kk"])').selectOption(language);
  await page.locator(`html[lang="${language}"]`).waitFor({ state: 'attached' });
  await page.keyboard.press('Escape');
}

/** The sidebar as a user sees it: posts, each with its slides' names in order. */
export async function sidebarOutline(page: Page): Promise<string[][]> {
  return page
    .locator('.sidebar .post')
    .evaluateAll((posts) =>
      posts.map((p) =>
        [...p.querySelectorAll('.thumb__button')].map((t) => t.getAttribute('aria-label') ?? ''),
      ),
    );
}

/** Drags one element onto another with the mouse, in small steps, as a person would. */
export async function dragTo(
  page: Page,
  from: Locator,
  to: Locator,
  where: 'top' | 'bottom' = 'bottom',
): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('drag source or target is not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2 + 10, { steps: 5 });
  const y = where === 'bottom' ? b.y + b.height * 0.8 : b.y + b.height * 0.2;
  await page.mouse.move(b.x + b.width / 2, y, { steps: 20 });
  await page.mouse.up();
}

/** The flashbook id and token of a shared link (`/f/<id>#t=<token>`), for a Node client to join. */
export function parseLink(url: string | null): { id: string; token: string } {
  const match = /\/f\/([A-Za-z0-9_-]+)#t=(.+)$/.exec(url ?? '');
  if (!match?.[1] || !match[2]) throw new Error(`unexpected link ${url}`);
  return { id: match[1], token: decodeURIComponent(match[2]) };
}

/** The four links by the Share dialog's labels (English catalog). */
export const LINK_LABELS = {
  approve: 'Approval link',
  edit: 'Edit link',
  comment: 'Comment link',
  view: 'View link',
} as const;
export type LinkRole = keyof typeof LINK_LABELS;

/** Review: post statuses, progress, the review panel, the share dialog's links by role. */
export class ReviewPage {
  constructor(readonly editor: EditorPage) {}

  get page(): Page {
    return this.editor.page;
  }

  /** Post `n` (one-based) in the sidebar. */
  post(n: number): Locator {
    return this.page
      .getByRole('navigation', { name: 'Posts and slides' })
      .getByRole('listitem', { name: `Post ${n}`, exact: true });
  }

  /** The status badge's words on post `n` in the sidebar ("In review", "Approved", …). */
  async statusOf(n: number): Promise<string> {
    const text = await this.post(n).locator('.status-badge').innerText();
    return text.replace(/^\S+\s+/, '').trim(); // without the symbol
  }

  async waitStatus(n: number, status: string): Promise<void> {
    await waitFor(
      () => this.statusOf(n),
      (s) => s === status,
      `post ${n} "${status}"`,
    );
  }

  /** Selects the first slide of post `n`, so the inspector shows that post's review. */
  async selectPost(n: number): Promise<void> {
    const thumb = this.post(n).locator('.thumb__button').first();
    await thumb.click();
    await thumb.and(this.page.locator('[aria-current="true"]')).waitFor();
  }

  /** The review box of post `n` in the inspector (shown for the selected slide's post). */
  box(n: number): Locator {
    return this.page.getByRole('region', { name: `Review of post ${n}` });
  }

  async actions(n: number): Promise<string[]> {
    return this.box(n).locator('.post-review__actions button').allInnerTexts();
  }

  /** Clicks a status action of post `n` once it is enabled (connected). */
  async act(n: number, action: string): Promise<void> {
    const button = this.box(n).getByRole('button', { name: action, exact: true });
    await expectEnabled(button);
    await button.click();
  }

  async sendBack(n: number, note: string): Promise<void> {
    await this.act(n, 'Send back');
    const dialog = this.page.getByRole('dialog', { name: `Send post ${n} back` });
    await dialog.getByLabel('Note').fill(note);
    await dialog.getByRole('button', { name: 'Send back' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  async progress(): Promise<string> {
    return this.page.locator('.review-progress__text').innerText();
  }

  /** The activity list of the review panel, one text per change, newest first. */
  async activity(until: (items: string[]) => boolean): Promise<string[]> {
    await this.page.getByRole('button', { name: 'Review and activity' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Review' });
    const items = await waitFor(
      () => dialog.locator('.activity').allInnerTexts(),
      until,
      'the activity',
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
    return items;
  }

  /** The links the Share dialog shows this holder, by role (null: not shown). */
  async links(): Promise<Record<LinkRole, string | null>> {
    await this.page.getByRole('button', { name: 'Share' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Share this flashbook' });
    const out = {} as Record<LinkRole, string | null>;
    for (const [role, label] of Object.entries(LINK_LABELS) as [LinkRole, string][]) {
      const input = dialog.getByRole('textbox', { name: label, exact: true });
      out[role] = (await input.count()) > 0 ? await input.inputValue() : null;
    }
    await dialog.getByRole('button', { name: 'Close' }).click();
    return out;
  }

  /** Replaces the link of `role` (approvers), confirming; returns the new link. */
  async replaceLink(role: LinkRole): Promise<string> {
    const label = LINK_LABELS[role];
    await this.page.getByRole('button', { name: 'Share' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Share this flashbook' });
    const section = dialog.getByRole('region', { name: label, exact: true });
    const before = await section.getByRole('textbox').inputValue();
    await section.getByRole('button', { name: `Replace ${label}` }).click();
    await section.getByRole('button', { name: 'Replace the link' }).click();
    await section.getByRole('status').waitFor();
    const after = await waitFor(
      () => section.getByRole('textbox').inputValue(),
      (v) => v !== before,
      'the new link',
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
    return after;
  }
}

async function expectEnabled(locator: Locator): Promise<void> {
  await waitFor(
    () => locator.isEnabled(),
    (e) => e,
    'an enabled button',
  );
}
