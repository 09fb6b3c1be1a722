import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { sidebarOutline, toolbarAction, waitFor } from './pages.ts';

/** The import dialog, as a librarian uses it (English catalog). */

export const IMPORT_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');

export class ImportDialogPage {
  constructor(
    readonly page: Page,
    readonly dialog: Locator,
  ) {}

  static async open(page: Page): Promise<ImportDialogPage> {
    await toolbarAction(page, 'Import books');
    const dialog = page.getByRole('dialog', { name: 'Import books' });
    await dialog.waitFor();
    return new ImportDialogPage(page, dialog);
  }

  /** Picks a fixture file (or an in-memory one) and waits until it has been read. */
  async choose(file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    const reads = async () => Number(await this.dialog.getAttribute('data-reads'));
    const before = await reads();
    const input = this.dialog.getByLabel('File', { exact: true });
    await input.setInputFiles(typeof file === 'string' ? join(IMPORT_FIXTURES, file) : file);
    await waitFor(reads, (n) => n > before, 'the file to be read', 30_000);
  }

  get summary(): Locator {
    return this.dialog.locator('.import-dialog__summary');
  }

  /** The message a refused file gets. */
  get refusal(): Locator {
    return this.dialog.getByRole('alert');
  }

  /** The tick box of one row or record ("Row 2", "Record 3"). */
  tickBox(what: string): Locator {
    return this.dialog.getByRole('checkbox', { name: new RegExp(`^Import ${what}: `) });
  }

  get tickBoxes(): Locator {
    return this.dialog.getByRole('checkbox', { name: /^Import (Row|Record) \d+: / });
  }

  /** "Row 3 …reason…" for every row or record that will not be imported. */
  async unreadable(): Promise<string[]> {
    const section = this.dialog.getByRole('region', { name: /could not be read/ });
    if ((await section.count()) === 0) return [];
    return section.getByRole('listitem').allInnerTexts();
  }

  /** Notes shown under one row (duplicates, warnings). */
  notes(what: string): Locator {
    return this.tickBox(what).locator('xpath=ancestor::li[1]').locator('.import-row__notes');
  }

  get submitButton(): Locator {
    return this.dialog.getByRole('button', { name: /^Import( \d+ books?)?$/ });
  }

  async setPostSize(n: number): Promise<void> {
    await this.dialog.getByLabel('Slides per post').fill(String(n));
  }

  async submit(): Promise<void> {
    await this.submitButton.click();
    await this.dialog.waitFor({ state: 'hidden' });
  }

  async cancel(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Cancel' }).click();
    await this.dialog.waitFor({ state: 'hidden' });
  }
}

/** Waits until the sidebar shows `count` posts, and returns their slides' names. */
export async function waitForPosts(page: Page, count: number): Promise<string[][]> {
  return waitFor(
    () => sidebarOutline(page),
    (o) => o.length === count,
    `${count} posts in the sidebar`,
    30_000,
  );
}
