import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, waitFor } from './pages.ts';

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core in the page. The source is evaluated through the DevTools protocol, which a
 * Content-Security-Policy does not block (an injected <script> tag would be). Label in Name is the
 * rule a review found broken on the rich-text toolbar (and it held for every slide thumbnail too).
 */
async function seriousFindings(page: Page): Promise<Finding[]> {
  await page.evaluate(axe.source);
  const found = await page.evaluate(async () => {
    const w = window as unknown as { axe: typeof axe };
    // axe 4.14 runs `label-content-name-mismatch` (WCAG 2.5.3, Label in Name) by default; it is
    // enabled here explicitly so that the check cannot silently disappear with another version.
    const all = await w.axe.run(document, {
      rules: { 'label-content-name-mismatch': { enabled: true } },
    });
    return all.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return found.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}

describe('accessibility of the editor (axe-core)', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });

  afterAll(async () => {
    await e2e?.close();
  });

  // Each language has its own labels: a name that holds the visible text in English may not in
  // Kazakh or Russian (the bold button's "B" is in "Bold", not in «Полужирный»).
  for (const language of ['en', 'ru', 'kk'] as const) {
    it(`has no serious or critical violation on a book slide with the rich-text toolbar (${language})`, async () => {
      const home = await HomePage.open(await e2e.newUser(), {
        name: 'Aigerim',
        library: 'Central',
      });
      await home.page.getByRole('button', { name: 'Open the demo flashbook' }).click();
      const editor = new EditorPage(home.page);
      await editor.waitLoaded();
      const book = editor.page.locator('.thumb').nth(1);
      await book.click();
      await editor.page.getByRole('toolbar').first().waitFor();
      if (language !== 'en') {
        await editor.page.evaluate(
          (lang) => localStorage.setItem('flashbook.language', lang),
          language,
        );
        await editor.page.reload();
        await editor.page.locator('.thumb').nth(1).click();
        await waitFor(
          () => editor.page.locator('html').getAttribute('lang'),
          (l) => l === language,
          `the page in ${language}`,
        );
        await editor.page.getByRole('toolbar').first().waitFor();
      }
      // The toolbar is there, with its glyph buttons: the check below really looks at them.
      expect(await editor.page.locator('.rich__button').count()).toBeGreaterThanOrEqual(6);
      expect(await seriousFindings(editor.page)).toEqual([]);
      // The panels beside the canvas and the toolbar's More menu (found by their place, in any
      // language): each open in turn, the page still without serious findings.
      const page = editor.page;
      await page.locator('.toolbar-menu > button').click();
      await page.locator('.toolbar-menu__panel:not([hidden]) button').first().waitFor();
      expect(await seriousFindings(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await page.locator('.toolbar > button[aria-pressed]:not(.comments-button)').click();
      await page.locator('.settings-panel').waitFor();
      expect(await seriousFindings(page)).toEqual([]);
      await page.locator('.sidebar .post__title').first().click();
      await page.locator('.side-panel .post-caption').waitFor();
      expect(await seriousFindings(page)).toEqual([]);
      await editor.page.context().close();
    });
  }
});
