import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import en from '../../src/i18n/locales/en.json';
import ru from '../../src/i18n/locales/ru.json';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, openMoreMenu, sidebarOutline, waitFor } from './pages.ts';

const SHOTS = 'test-results/layouts';

describe('library content: demo flashbook, layouts, languages', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('offers the demo flashbook on a fresh server, and a colleague sees the same books', async () => {
    const home = await HomePage.open(await e2e.newUser(), { name: 'Aigerim', library: 'Central' });
    await home.page.getByRole('button', { name: 'Open the demo flashbook' }).click();
    const a = new EditorPage(home.page);
    await a.waitLoaded();
    const outline = await waitFor(
      () => sidebarOutline(a.page),
      (o) => o.flat().length >= 9,
      'the demo slides',
    );
    expect(outline.length).toBeGreaterThanOrEqual(3);
    const names = outline.flat().join('\n');
    for (const title of [
      'За нами Москва',
      'Волоколамское шоссе',
      'Ақын өлімі туралы аңыз',
      'Ленинградтық өренім',
      'Қаһарлы күндер',
      'Менің майдандас достарым',
    ]) {
      expect(names).toContain(title);
    }
    // The slides were prepared by several libraries.
    const libraries = new Set<string>();
    for (const title of ['За нами Москва', 'Ақын өлімі туралы аңыз', 'Қаһарлы күндер']) {
      await a.selectSlide(new RegExp(`Slide: ${title}`));
      // "Prepared by (this slide)": a participating library, or the name typed for another.
      libraries.add(
        await a.page
          .locator('.slide-design__library')
          .nth(1)
          .evaluate((el) => {
            const typed = el.querySelector('input')?.value;
            return typed || el.querySelector('select')?.selectedOptions[0]?.textContent || '';
          }),
      );
    }
    expect(libraries.size).toBe(3);
    // Kazakh letters arrive intact in the canvas of a second user.
    const links = await a.shareLinks();
    const b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, {
      name: 'Boris',
      library: 'Branch',
    });
    await b.selectSlide(/Slide: Қаһарлы күндер/);
    await waitFor(
      () => b.canvasText(),
      (t) => t.includes('Қаһарлы күндер') && t.includes('Тахауи Ахтанов'),
      'the Kazakh book on Boris’s canvas',
    );
  });

  it('renders every layout at every format, fitting long text and flagging what cannot fit', async () => {
    const home = await HomePage.open(await e2e.newUser(), { name: 'Dana', library: 'Methodology' });
    const ed = await home.createFlashbook('Жеңіс кітаптары — Книги Победы');
    const page = ed.page;
    const addSlide = async (layout: string) => {
      await page.getByRole('button', { name: 'Add slide to post 1' }).click();
      await page.getByRole('combobox', { name: /^Layout/ }).selectOption({ label: layout });
    };
    // The cover exists; add one slide of each other layout with realistic content.
    await ed.slideField('Subtitle').fill('Виртуалды көрме · Виртуальная выставка');
    await addSlide('Book');
    await ed.slideField('Author').fill('Бауыржан Момышұлы');
    await ed.slideField('Title').fill('Артымызда Москва');
    await ed.slideField('Publisher').fill('Жазушы');
    await ed.slideField('Place of publication').fill('Алматы');
    await ed.slideField('Year').fill('1982');
    await ed.slideField('Pages').fill('320 б.');
    await ed
      .richText('Annotation')
      .fill(
        'Панфилов дивизиясы батальон командирінің 1941 жылғы Мәскеу түбіндегі шайқастар туралы естеліктері. Әр жауынгердің ерлігі мен қайсарлығы туралы шынайы кітап.',
      );
    await ed.slideField('Quote').fill('Ерлік — елдің қорғаны.');
    await page.getByRole('combobox', { name: /^Age label/ }).selectOption('12+');
    await addSlide('Quote');
    await ed.slideField('Quote').fill('Ленинградтық өренім, мақтанышым сен едің!');
    await ed.slideField('Source of the quote').fill('Жамбыл Жабаев, 1941');
    await addSlide('Text');
    await ed.slideField('Title').fill('Көрме туралы');
    await ed
      .richText('Text')
      .fill(
        'Бұл көрмеде 1941–1945 жылдардағы соғыс туралы қазақ және орыс тілдеріндегі кітаптар бар.',
      );
    await addSlide('Closing');
    await ed.slideField('Title').fill('Кітапханаға келіңіздер!');
    await ed
      .richText('Contacts of the libraries')
      .fill('Облыстық балалар кітапханасы · Абай даңғылы, 1 · +7 727 000 00 00');

    const thumbs = page.locator('.sidebar .thumb');
    expect(await thumbs.count()).toBe(5);
    for (const [format, ratio] of [
      ['4:5 portrait', 1350 / 1080],
      ['1:1 square', 1],
      ['3:4 portrait', 1440 / 1080],
    ] as const) {
      await page.getByRole('combobox', { name: /^Format/ }).selectOption({ label: format });
      for (let i = 0; i < 5; i++) {
        await thumbs.nth(i).click();
        const frame = page.locator('.canvas .slide-frame');
        await waitFor(
          async () => (await frame.boundingBox())?.height ?? 0,
          (h) => h > 0,
          'the canvas',
        );
        const box = await frame.boundingBox();
        expect((box?.height ?? 0) / (box?.width ?? 1)).toBeCloseTo(ratio, 1);
        // Realistic content fits every layout at every format.
        expect(await page.locator('.canvas .slide').getAttribute('data-overflow')).toBeNull();
        const layout = await page
          .locator('.canvas .slide')
          .evaluate((el) => /slide--(\w+)/.exec(el.className)?.[1]);
        await frame.screenshot({
          path: `${SHOTS}/${layout}-${format.slice(0, 3).replace(':', 'x')}.png`,
        });
      }
    }

    // An annotation far too long for a slide is shrunk first, then flagged — never silently cut.
    await thumbs.nth(1).click();
    const annotation = ed.richText('Annotation');
    await annotation.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.insertText(' Ұзақ мәтін.'.repeat(220));
    await page.getByRole('alert').filter({ hasText: 'does not fit' }).waitFor();
    expect(await page.locator('.canvas .slide').getAttribute('data-overflow')).toBe('true');
    await page.locator('.canvas .slide-frame').screenshot({ path: `${SHOTS}/book-overflow.png` });
  });

  it('switches every visible string to Russian, and remembers the choice', async () => {
    const home = await HomePage.open(await e2e.newUser(), { name: 'Erlan', library: 'Branch 7' });
    const ed = await home.createFlashbook('Тіл сынағы');
    await ed.page.getByRole('button', { name: 'Design' }).click();
    await ed.page.getByRole('button', { name: 'Close' }).click();
    const english = catalogPatterns(en, ru);
    const before = await visibleUiStrings(ed.page);
    expect(before.filter((s) => english.some((re) => re.test(s))).length).toBeGreaterThan(15);

    await (await openMoreMenu(ed.page)).getByLabel('Language').selectOption('ru');
    await ed.page.getByRole('navigation', { name: 'Посты и слайды' }).waitFor();
    const after = await visibleUiStrings(ed.page);
    const leftovers = after.filter((s) => english.some((re) => re.test(s)));
    expect(leftovers).toEqual([]);
    expect(await ed.page.evaluate(() => document.documentElement.lang)).toBe('ru');

    await ed.page.reload();
    await ed.page.getByRole('navigation', { name: 'Посты и слайды' }).waitFor();
    expect(await ed.page.getByRole('button', { name: 'Поделиться' }).count()).toBe(1);
  });
});

/** English catalog strings that differ from Russian, as patterns ({{var}} matches anything). */
function catalogPatterns(enCatalog: unknown, ruCatalog: unknown): RegExp[] {
  const flat = (o: unknown, out: Map<string, string> = new Map(), p = ''): Map<string, string> => {
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      if (typeof v === 'string') out.set(p + k, v);
      else flat(v, out, `${p}${k}.`);
    }
    return out;
  };
  const e = flat(enCatalog);
  const r = flat(ruCatalog);
  return [...e]
    .filter(([k, v]) => r.get(k) !== v && v.replace(/{{\w+}}/g, '').trim().length >= 4)
    .map(([, v]) => {
      const escaped = v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\{\\{\w+\\}\\}/g, '.*');
      return new RegExp(`^${escaped}$`);
    });
}

/** Text the interface shows or announces: text nodes, labels, titles, placeholders, option texts. */
async function visibleUiStrings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out = new Set<string>();
    const userContent = '.slide, .ProseMirror, .presence__name';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(userContent) || el.closest('script,style')) continue;
      const text = n.textContent?.trim();
      if (text) out.add(text);
    }
    for (const el of document.querySelectorAll<HTMLElement>('[aria-label],[title],[placeholder]')) {
      if (el.closest('.slide')) continue;
      for (const attr of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(attr)?.trim();
        if (v) out.add(v);
      }
    }
    return [...out];
  });
}
