import { launchChromium } from './tests/chromium.ts';
const BASE = process.env.BASE ?? 'http://127.0.0.1:8099';
const out = '/tmp/look';
const browser = await launchChromium();
async function ctx(locale: string, w = 1366, h = 768) {
  const c = await browser.newContext({ locale, viewport: { width: w, height: h } });
  return c;
}
// Create a demo flashbook via API (gets all four links)
const res = await fetch(`${BASE}/api/flashbooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ template: 'demo' }) });
const fb = await res.json() as Record<string, string>;
console.log(Object.keys(fb));
async function profile(page: import('playwright-core').Page, name: string, lib: string) {
  const nameField = page.getByLabel(/name|Имя|Аты/i).first();
  if (await nameField.isVisible().catch(() => false)) {
    await nameField.fill(name);
    await page.getByLabel(/library|Библиотека|Кітапхана/i).first().fill(lib);
    await page.keyboard.press('Enter');
  }
}
const a = await (await ctx('kk-KZ')).newPage();
await a.goto(`${BASE}${fb.approveUrl}`);
await a.waitForTimeout(1500);
await profile(a, 'Айгүл Серікқызы', 'Қарағанды облыстық кітапханасы');
await a.waitForTimeout(2500);
await a.screenshot({ path: `${out}/kk-approver-1366.png` });
const b = await (await ctx('ru-RU')).newPage();
await b.goto(`${BASE}${fb.editUrl}`);
await b.waitForTimeout(1500);
await profile(b, 'Марина Иванова', 'ЦБС Темиртау');
await b.waitForTimeout(2500);
await b.screenshot({ path: `${out}/ru-editor-1366.png` });
const c = await (await ctx('ru-RU')).newPage();
await c.goto(`${BASE}${fb.commentUrl}`);
await c.waitForTimeout(1500);
await profile(c, 'Методист', 'ОДБ');
await c.waitForTimeout(2500);
await c.screenshot({ path: `${out}/ru-commenter-1366.png` });
const big = await (await ctx('en-US', 1920, 1080)).newPage();
await big.goto(`${BASE}${fb.editUrl}`);
await big.waitForTimeout(1500);
await profile(big, 'Anna', 'Library 3');
await big.waitForTimeout(2500);
await big.screenshot({ path: `${out}/en-editor-1920.png` });
const home = await (await ctx('kk-KZ')).newPage();
await home.goto(`${BASE}/`);
await home.waitForTimeout(1500);
await profile(home, 'Айгүл', 'ОДБ');
await home.waitForTimeout(2500);
await home.screenshot({ path: `${out}/kk-home-1366.png`, fullPage: true });
const phone = await (await ctx('ru-RU', 390, 844)).newPage();
await phone.goto(`${BASE}${fb.viewUrl}`);
await phone.waitForTimeout(3000);
await phone.screenshot({ path: `${out}/ru-reader-phone.png` });
await browser.close();
