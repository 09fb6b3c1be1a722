import type { Locator, Page } from 'playwright-core';
import { toolbarAction } from './pages.ts';

/** The version history dialog, as a user works it. */
export class HistoryPanelPage {
  private constructor(
    readonly page: Page,
    readonly dialog: Locator,
  ) {}

  static async open(page: Page): Promise<HistoryPanelPage> {
    await toolbarAction(page, 'History');
    const dialog = page.getByRole('dialog', { name: 'Version history' });
    await dialog.waitFor();
    return new HistoryPanelPage(page, dialog);
  }

  /** Reopens the dialog, which loads the list afresh. */
  async refresh(): Promise<void> {
    await this.close();
    await toolbarAction(this.page, 'History');
    await this.dialog.waitFor();
  }

  async saveVersion(name: string): Promise<void> {
    await this.dialog.getByLabel('Version name').fill(name);
    await this.dialog.getByRole('button', { name: 'Save version' }).click();
    await this.dialog.getByRole('status').filter({ hasText: 'Version saved.' }).waitFor();
  }

  /** Selects the version whose list entry shows `name`, and waits for its preview. */
  async select(name: string): Promise<void> {
    await this.dialog
      .getByRole('navigation', { name: 'Versions' })
      .getByRole('button', { name: new RegExp(name) })
      .click();
    await this.dialog.getByRole('button', { name: 'Restore the whole flashbook' }).waitFor();
  }

  /** The list of changes between the selected version and now. */
  changes(): Locator {
    return this.dialog.getByRole('region', { name: 'Changes since this version' });
  }

  async restorePost(number: number): Promise<void> {
    await this.dialog.getByRole('button', { name: `Restore post ${number}`, exact: true }).click();
    await this.dialog.getByRole('status').filter({ hasText: 'Restored.' }).waitFor();
  }

  async undo(): Promise<void> {
    await this.dialog.getByRole('status').getByRole('button', { name: 'Undo' }).click();
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await this.dialog.waitFor({ state: 'hidden' });
  }
}
