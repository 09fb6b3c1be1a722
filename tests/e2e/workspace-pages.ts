import type { BrowserContext, Locator, Page } from 'playwright-core';
import { HomePage, waitFor } from './pages.ts';

/** The workspace page, as a librarian uses it (English catalog). */
export class WorkspacePage {
  constructor(readonly page: Page) {}

  /** Opens a workspace link in a browser of its own (answering the profile question first). */
  static async open(
    ctx: BrowserContext,
    url: string,
    profile = { name: 'Айгерім', library: 'Областная детская библиотека' },
  ): Promise<WorkspacePage> {
    const home = await HomePage.open(ctx, profile);
    await home.page.goto(url);
    const ws = new WorkspacePage(home.page);
    await ws.waitLoaded();
    return ws;
  }

  /** Opens a link without waiting for the list (for links that are refused). */
  static async openRaw(ctx: BrowserContext, url: string): Promise<Page> {
    const home = await HomePage.open(ctx, { name: 'Гүлнар', library: 'Балқаш' });
    await home.page.goto(url);
    return home.page;
  }

  async waitLoaded(): Promise<void> {
    await this.page.getByRole('heading', { level: 1 }).waitFor();
    await this.page.getByRole('tab', { name: /^Flashbooks/ }).waitFor();
  }

  get list(): Locator {
    return this.page.getByRole('list', { name: 'Flashbooks of the workspace' });
  }

  /** The titles of the flashbooks listed now, in order. */
  async titles(): Promise<string[]> {
    if ((await this.list.count()) === 0) return [];
    return this.list.locator('.ws-card__title').allInnerTexts();
  }

  async waitForTitle(title: string, present = true, timeout = 20_000): Promise<void> {
    await waitFor(
      () => this.titles(),
      (t) => t.includes(title) === present,
      `“${title}” ${present ? 'to appear' : 'to leave'}`,
      timeout,
    );
  }

  card(title: string): Locator {
    return this.list.getByRole('listitem').filter({ hasText: title });
  }

  async createFlashbook(title: string): Promise<void> {
    await this.page.getByLabel('New flashbook in this workspace').fill(title);
    await this.page.getByRole('button', { name: 'Create flashbook' }).click();
  }

  tab(name: 'Flashbooks' | 'Archived'): Locator {
    return this.page.getByRole('tab', { name: new RegExp(`^${name}`) });
  }
}
