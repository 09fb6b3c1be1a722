import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { waitFor } from './pages.ts';

/** Page objects for images: the image field of the inspector and the image on the slide. */

export const IMAGE_FIXTURES = join(import.meta.dirname, '../fixtures/images');

/** A picture drawn in the page's canvas, handed to the app as a dropped or pasted file. */
export interface DrawnImage {
  width: number;
  height: number;
  type: 'image/jpeg' | 'image/png' | 'image/webp';
  name: string;
}

export class ImageFieldPage {
  constructor(
    readonly page: Page,
    readonly label: string,
  ) {}

  /** The field: its label names the drop zone (a group). */
  get zone(): Locator {
    return this.page.getByRole('group', { name: this.label, exact: true });
  }

  private get root(): Locator {
    return this.page.locator('.image-field').filter({ has: this.zone });
  }

  get fileInput(): Locator {
    return this.page.getByLabel(`Choose file for: ${this.label}`, { exact: true });
  }

  get removeButton(): Locator {
    return this.page.getByRole('button', { name: `Remove: ${this.label}`, exact: true });
  }

  get preview(): Locator {
    return this.zone.getByRole('img', { name: `Preview: ${this.label}`, exact: true });
  }

  get error(): Locator {
    return this.root.getByRole('alert');
  }

  /** "1620 × 2160 px" once the preview has loaded. */
  get size(): Locator {
    return this.root.locator('.image-field__size');
  }

  async choose(fixture: string): Promise<void> {
    await this.fileInput.setInputFiles(join(IMAGE_FIXTURES, fixture));
  }

  /** The preview's blob: URL once it shows a decoded picture. */
  async waitForPreview(notSrc?: string): Promise<string> {
    return waitForLoadedImage(this.preview, `the ${this.label} preview`, notSrc);
  }

  async errorText(): Promise<string> {
    await this.error.waitFor();
    return this.error.innerText();
  }

  /** Remembers every upload status shown from now on (they come and go quickly). */
  async recordStatuses(): Promise<() => Promise<string[]>> {
    const handle = await this.root.evaluateHandle((root) => {
      const seen: string[] = [];
      const status = root.querySelector('.image-field__status');
      const observer = new MutationObserver(() => {
        const text = status?.textContent ?? '';
        const bar = status?.querySelector('progress');
        if (text) seen.push(bar ? `${text} [progressbar]` : text);
      });
      if (status) observer.observe(status, { childList: true, subtree: true, characterData: true });
      return seen;
    });
    return () => handle.jsonValue();
  }

  /** Drops a picture drawn in the page onto the field, as a file dragged from the desktop. */
  async drop(image: DrawnImage): Promise<void> {
    await this.zone.evaluate(async (zone, spec) => {
      const file = await drawInPage(spec);
      const dataTransfer = new DataTransfer();
      dataTransfer.items.add(file);
      for (const type of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer }));
      }
      // Bundled into the page as plain source: keep it self-contained.
      async function drawInPage(s: typeof spec): Promise<File> {
        const canvas = document.createElement('canvas');
        canvas.width = s.width;
        canvas.height = s.height;
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2d context');
        ctx.fillStyle = '#264653';
        ctx.fillRect(0, 0, s.width, s.height);
        ctx.fillStyle = '#e9c46a';
        ctx.fillRect(s.width * 0.1, s.height * 0.1, s.width * 0.8, s.height * 0.3);
        const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, s.type, 0.9));
        if (!blob) throw new Error('canvas could not encode');
        return new File([blob], s.name, { type: s.type });
      }
    }, image);
  }

  /**
   * Pastes a picture drawn in the page into the focused field, as Ctrl+V with an image on the
   * clipboard does. Returns the SHA-256 (hex) of the pasted bytes.
   */
  async paste(image: DrawnImage): Promise<string> {
    await this.zone.focus();
    return this.zone.evaluate(async (zone, s) => {
      const canvas = document.createElement('canvas');
      canvas.width = s.width;
      canvas.height = s.height;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.fillStyle = '#2a9d8f';
      ctx.fillRect(0, 0, s.width, s.height);
      ctx.fillStyle = '#f4a261';
      ctx.beginPath();
      ctx.arc(s.width / 2, s.height / 2, s.width / 3, 0, Math.PI * 2);
      ctx.fill();
      const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, s.type, 0.9));
      if (!blob) throw new Error('canvas could not encode');
      const clipboardData = new DataTransfer();
      clipboardData.items.add(new File([blob], s.name, { type: s.type }));
      zone.dispatchEvent(
        new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData }),
      );
      const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
      return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
    }, image);
  }
}

/** The cover image rendered inside the slide on the canvas (what will be exported). */
export function canvasCoverImage(page: Page): Locator {
  return page.locator('.canvas .slide img.slide__cover-image');
}

/** Waits until an <img> shows a decoded picture from a blob: URL (other than `notSrc`). */
export async function waitForLoadedImage(
  img: Locator,
  what: string,
  notSrc?: string,
): Promise<string> {
  const state = await waitFor(
    async () =>
      (await img.count()) === 0
        ? null
        : img.evaluate((el) => {
            const image = el as HTMLImageElement;
            return { src: image.src, width: image.complete ? image.naturalWidth : 0 };
          }),
    (s) => s !== null && s.src.startsWith('blob:') && s.width > 0 && s.src !== notSrc,
    what,
  );
  return state?.src ?? '';
}
