import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { waitFor } from './pages.ts';

/** The export dialog, as a librarian uses it (English catalog). */
export class ExportDialogPage {
  constructor(
    readonly page: Page,
    readonly dialog: Locator,
  ) {}

  static async open(page: Page): Promise<ExportDialogPage> {
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export for Instagram' });
    await dialog.waitFor();
    return new ExportDialogPage(page, dialog);
  }

  get scope(): Locator {
    return this.dialog.getByLabel('What to export');
  }

  get startButton(): Locator {
    return this.dialog.getByRole('button', { name: 'Export ZIP' });
  }

  get status(): Locator {
    return this.dialog.getByRole('status');
  }

  /** Waits until the dialog has checked that every slide's text fits. */
  async fitChecked(): Promise<void> {
    await this.dialog
      .getByText('Checking that the text of every slide fits')
      .waitFor({ state: 'detached' });
  }

  async problems(): Promise<string[]> {
    const list = this.dialog.getByRole('list', { name: 'What Instagram would object to' });
    if ((await list.count()) === 0) return [];
    return list.getByRole('listitem').allInnerTexts();
  }

  /** Chooses what to export: 'all' or a post's number (the options are in post order). */
  async choose(what: 'all' | number, type: 'JPEG' | 'PNG' = 'JPEG'): Promise<void> {
    const index = what === 'all' ? 0 : what;
    const label = (await this.scope.locator('option').nth(index).innerText()).trim();
    expect(label).toMatch(what === 'all' ? /^The whole flashbook/ : new RegExp(`^Post ${what} `));
    await this.scope.selectOption({ index });
    await this.dialog
      .getByLabel(type === 'JPEG' ? 'JPEG (for Instagram)' : 'PNG (for posting by hand)')
      .check();
  }

  /**
   * Runs the export and returns the downloaded ZIP, unpacked; `during` runs once the export has
   * started (what the librarian does meanwhile).
   */
  async exportZip(
    during?: () => Promise<void>,
  ): Promise<{ name: string; files: Record<string, Uint8Array> }> {
    const failed = waitFor(
      () => this.status.innerText().catch(() => ''),
      (s) => s.startsWith('The export failed'),
      'an export failure',
      60_000,
    ).then((s) => Promise.reject(new Error(s)));
    failed.catch(() => {});
    const [download] = await Promise.all([
      Promise.race([this.page.waitForEvent('download', { timeout: 60_000 }), failed]),
      this.startButton.click().then(during),
    ]);
    const path = await download.path();
    const files = unzipSync(new Uint8Array(await readFile(path)));
    await waitFor(
      () => this.status.innerText(),
      (s) => s.startsWith('Done:'),
      'the export to report it is done',
    );
    return { name: download.suggestedFilename(), files };
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close' }).click();
    await this.dialog.waitFor({ state: 'hidden' });
  }
}

/**
 * How many pixels of two images differ (by more than `tolerance` in any channel), decoded by the
 * browser. Images of different sizes count as all pixels different.
 */
export async function pixelDiff(
  page: Page,
  a: Uint8Array,
  b: Uint8Array,
  tolerance = 0,
  /** Only the rows from `top` to `bottom` (exclusive). */
  rows: { top: number; bottom: number } | null = null,
): Promise<{ width: number; height: number; differing: number }> {
  return page.evaluate(
    async ([x, y, tol, band]) => {
      const decode = async (b64: string) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes]));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2d context');
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const [p, q] = await Promise.all([decode(x), decode(y)]);
      if (p.width !== q.width || p.height !== q.height)
        return { width: p.width, height: p.height, differing: p.width * p.height };
      let differing = 0;
      const from = band ? band.top * p.width * 4 : 0;
      const to = band ? Math.min(band.bottom, p.height) * p.width * 4 : p.data.length;
      for (let i = from; i < to; i += 4) {
        for (let c = 0; c < 3; c++) {
          if (Math.abs((p.data[i + c] ?? 0) - (q.data[i + c] ?? 0)) > tol) {
            differing++;
            break;
          }
        }
      }
      return { width: p.width, height: p.height, differing };
    },
    [
      Buffer.from(a).toString('base64'),
      Buffer.from(b).toString('base64'),
      tolerance,
      rows,
    ] as const,
  );
}

/**
 * The width a line of a rendered slide's text takes with its own font and with the generic family
 * its font list ends in (measured by the page, where the shipped fonts are loaded), in 1080-px units.
 */
export async function textWidths(el: Locator): Promise<{ shipped: number; fallback: number }> {
  return el.evaluate(async (node) => {
    await document.fonts.ready;
    const cs = getComputedStyle(node);
    const ctx = document.createElement('canvas').getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    const text = (node.textContent ?? '').replaceAll('\u00AD', '').trim();
    const measure = (family: string) => {
      ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${family}`;
      return ctx.measureText(text).width;
    };
    const generic = cs.fontFamily.split(',').at(-1)?.trim() ?? 'serif';
    return { shipped: measure(cs.fontFamily), fallback: measure(generic) };
  });
}

/**
 * The horizontal extent of the ink (pixels far from the background) in some rows of an image,
 * between x = `left` and x = `right` (to leave out a slide's frame).
 */
export async function inkWidth(
  page: Page,
  image: Uint8Array,
  rows: { top: number; bottom: number },
  left = 60,
  right = 1020,
): Promise<number> {
  return page.evaluate(
    async ([b64, band, x0, x1]) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes]));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(bitmap, 0, 0);
      const { data, width } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      const at = (x: number, y: number) => (y * width + x) * 4;
      const bg = at(x0, band.top);
      let min = Infinity;
      let max = -Infinity;
      for (let y = band.top; y < band.bottom; y++)
        for (let x = x0; x < x1; x++) {
          const i = at(x, y);
          let far = false;
          for (let c = 0; c < 3; c++)
            if (Math.abs((data[i + c] ?? 0) - (data[bg + c] ?? 0)) > 80) far = true;
          if (far) {
            min = Math.min(min, x);
            max = Math.max(max, x);
          }
        }
      return max >= min ? max - min + 1 : 0;
    },
    [Buffer.from(image).toString('base64'), rows, left, right] as const,
  );
}

/** The RGB colours of some pixels of an image, decoded by the browser. */
export async function pixelColors(
  page: Page,
  image: Uint8Array,
  points: [number, number][],
): Promise<[number, number, number][]> {
  return page.evaluate(
    async ([b64, pts]) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes]));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(bitmap, 0, 0);
      return pts.map(([x, y]) => {
        const d = ctx.getImageData(x, y, 1, 1).data;
        return [d[0] ?? 0, d[1] ?? 0, d[2] ?? 0] as [number, number, number];
      });
    },
    [Buffer.from(image).toString('base64'), points] as const,
  );
}

/**
 * Where an element is drawn inside its slide, in the slide's own (export) pixels: measured in this
 * run from the rendered page, so no test depends on one machine's layout or fonts.
 */
export async function rectInSlide(
  el: Locator,
): Promise<{ x: number; y: number; width: number; height: number }> {
  return el.evaluate((node) => {
    const slide = node.closest('.slide');
    if (!(slide instanceof HTMLElement)) throw new Error('not inside a slide');
    const s = slide.getBoundingClientRect();
    const r = node.getBoundingClientRect();
    const scale = s.width / slide.offsetWidth;
    return {
      x: (r.left - s.left) / scale,
      y: (r.top - s.top) / scale,
      width: r.width / scale,
      height: r.height / scale,
    };
  });
}
