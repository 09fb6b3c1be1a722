import type { BrowserContext, Page } from 'playwright-core';
import { waitFor } from './pages.ts';

/** Waits until the service worker controls the page and has precached the app shell. */
export async function waitOfflineReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await waitFor(
    () =>
      page.evaluate(async () => {
        const keys = await caches.keys();
        for (const k of keys) {
          const cache = await caches.open(k);
          // Workbox keys carry a revision: /index.html?__WB_REVISION__=…
          if ((await cache.keys()).some((r) => new URL(r.url).pathname === '/index.html'))
            return true;
        }
        return false;
      }),
    (ok) => ok,
    'the service worker to precache the app',
  );
}

/** The sync status the editor shows: connection state and the number of unconfirmed changes. */
export async function syncStatus(
  page: Page,
): Promise<{ status: string; pending: number; text: string }> {
  const el = page.locator('.connection');
  return {
    status: (await el.getAttribute('data-status')) ?? '',
    pending: Number(await el.getAttribute('data-pending')),
    text: await el.innerText(),
  };
}

export async function goOffline(ctx: BrowserContext): Promise<void> {
  await ctx.setOffline(true);
}

export async function goOnline(ctx: BrowserContext): Promise<void> {
  await ctx.setOffline(false);
}
