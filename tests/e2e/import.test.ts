import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCandidates } from '../../src/import/mapping.ts';
import { parseFixture, table } from '../fixtures/import-fixtures.ts';
import { startE2E, type E2E } from './harness.ts';
import { ImportDialogPage, waitForPosts } from './import-pages.ts';
import { EditorPage, HomePage, waitFor } from './pages.ts';

const AIGERIM = { name: 'Aigerim Seitkali', library: 'Regional Children’s Library' };
const BORIS = { name: 'Boris Lee', library: 'Talgar District Branch' };

/** The titles of a CSV fixture, as read by the parsers in Node: what every user must see. */
const titlesOf = (fixture: string) =>
  toCandidates(table(parseFixture(fixture)), null).map((c) => c.book?.title ?? '');

describe('importing a book list', () => {
  let e2e: E2E;
  let a: EditorPage;
  let b: EditorPage;

  beforeAll(async () => {
    e2e = await startE2E();
    const home = await HomePage.open(await e2e.newUser(), AIGERIM);
    a = await home.createFlashbook('Соғыс жылдарының әдебиеті');
    const links = await a.shareLinks();
    b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, BORIS);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('imports 40 books from a Windows-1251 CSV; a second user sees them in 4 posts', async () => {
    const dialog = await ImportDialogPage.open(a.page);
    await dialog.choose('books-40-cp1251.csv');
    await expect
      .poll(() => dialog.summary.innerText())
      .toBe('40 rows in books-40-cp1251.csv (Windows-1251 (Cyrillic), separator: Semicolon)');
    expect(await dialog.tickBoxes.count()).toBe(40);
    await expect.poll(() => dialog.tickBox('Row 2').isChecked()).toBe(true);
    expect(await dialog.tickBox('Row 2').getAttribute('aria-label')).toBe(
      'Import Row 2: Волоколамское шоссе',
    );
    expect(await dialog.unreadable()).toEqual([]);
    expect(await dialog.dialog.getByText('4 new posts at the end').count()).toBe(1);
    await dialog.submit();

    const expected = titlesOf('books-40-cp1251.csv');
    expect(expected).toHaveLength(40);
    for (const page of [a.page, b.page]) {
      const outline = await waitForPosts(page, 5);
      const imported = outline.slice(1);
      expect(imported.map((p) => p.length)).toEqual([10, 10, 10, 10]);
      expect(imported.flat()).toEqual(expected.map((t) => `Slide: ${t}`));
    }

    // The second user opens an imported slide: Russian text, annotation, age label, alt text.
    await b.page.getByRole('button', { name: 'Slide: Волоколамское шоссе' }).click();
    await waitFor(
      () => b.canvasText(),
      (t) => t.includes('Волоколамское шоссе'),
      'the imported slide on the canvas',
    );
    const canvas = await b.canvasText();
    for (const text of [
      'Бек Александр',
      'Жазушы',
      'Алматы',
      '1975',
      'Второй абзац аннотации: «память».',
      '6+',
    ])
      expect(canvas).toContain(text);
    expect(await b.slideField('Alt text (image description for screen readers)').inputValue()).toBe(
      'Cover of «Волоколамское шоссе» by Бек Александр',
    );
    // No cover was fetched: the slide shows the designed placeholder with title and author.
    expect(
      (await b.page.locator('.canvas .slide__cover').innerText()).replaceAll('\u00AD', ''),
    ).toContain('Волоколамское шоссе');
  });

  it('imports Kazakh text from a UTF-8 CSV with the Kazakh letters intact', async () => {
    const dialog = await ImportDialogPage.open(a.page);
    await dialog.choose('kazakh-utf8.csv');
    await expect
      .poll(() => dialog.summary.innerText())
      .toContain('6 rows in kazakh-utf8.csv (UTF-8');
    await dialog.submit();
    const expected = titlesOf('kazakh-utf8.csv');
    expect(expected.join(' ')).toMatch(/Қ.*Ұ.*ұ.*Ү.*Ө.*і/);
    for (const page of [a.page, b.page]) {
      const outline = await waitForPosts(page, 6);
      expect(outline[5]).toEqual(expected.map((t) => `Slide: ${t}`));
    }
    await b.page.getByRole('button', { name: 'Slide: Қазақ солдаты' }).click();
    await waitFor(
      () => b.canvasText(),
      (t) => t.includes('Ғабит Мүсірепов'),
      'the Kazakh slide on the canvas',
    );
    const canvas = await b.canvasText();
    expect(canvas).toContain('Қайрош Сұлтанбеков туралы роман.');
    expect(canvas).toContain('«Ерлік — елдің қорғаны»');
    await b.page.getByRole('button', { name: 'Slide: Өмір мектебі' }).click();
    await waitFor(
      () => b.canvasText(),
      (t) => t.includes('Жаһанның'),
      'һ on the canvas',
    );
  });

  it('undoes each import as one step, for everyone', async () => {
    const undo = a.page.getByRole('button', { name: 'Undo' });
    await undo.click();
    for (const page of [a.page, b.page]) {
      const outline = await waitForPosts(page, 5);
      expect(outline.slice(1).flat()).toHaveLength(40);
    }
    await undo.click();
    for (const page of [a.page, b.page]) await waitForPosts(page, 1);
    await a.page.getByRole('button', { name: 'Redo' }).click();
    for (const page of [a.page, b.page]) {
      const outline = await waitForPosts(page, 5);
      expect(outline.slice(1).flat()).toHaveLength(40);
    }
  });

  it('lists unreadable rows with their number and reason, and flags duplicates', async () => {
    const dialog = await ImportDialogPage.open(a.page);
    await dialog.choose('broken.csv');
    expect(await dialog.unreadable()).toEqual([
      'Row 3 10 cells where the header has 9: probably a separator inside a value that is not in quotation marks.',
      'Row 5 Neither title nor author.',
      'Row 9 A quotation mark opens a cell and is never closed, so the rest of the file was read as this cell.',
    ]);
    // Duplicates are flagged and left unticked; the user can still tick them.
    expect(await dialog.notes('Row 6').innerText()).toContain('Same ISBN as Row 2');
    expect(await dialog.notes('Row 7').innerText()).toContain('Same author and title as Row 2');
    expect(await dialog.tickBox('Row 6').isChecked()).toBe(false);
    // Books already in the flashbook (imported above) are flagged too.
    expect(await dialog.notes('Row 4').innerText()).toContain(
      'Already in this flashbook (same author and title)',
    );
    expect(await dialog.notes('Row 8').innerText()).toContain(
      'Already in this flashbook (same author and title)',
    );
    expect(await dialog.notes('Row 8').innerText()).toContain(
      'Age label “21+” is not in this flashbook',
    );
    await dialog.tickBox('Row 6').check();
    await expect.poll(() => dialog.submitButton.innerText()).toBe('Import 2 books');
    await dialog.cancel();
    expect((await waitForPosts(a.page, 5)).slice(1).flat()).toHaveLength(40);
  });

  it('refuses hostile files with a message, and the page stays usable', async () => {
    const dialog = await ImportDialogPage.open(a.page);
    await dialog.choose('entities.xml');
    expect(await dialog.refusal.innerText()).toContain('document type declaration (DOCTYPE)');
    await dialog.choose('deep.xml');
    expect(await dialog.refusal.innerText()).toContain('nested deeper than 32 levels');
    await dialog.choose('garbage.mrc');
    expect(await dialog.refusal.innerText()).toContain('binary data');
    await dialog.choose({
      name: 'huge.csv',
      mimeType: 'text/csv',
      buffer: Buffer.alloc(21 * 1024 * 1024, 0x61),
    });
    expect(await dialog.refusal.innerText()).toBe(
      'The file is larger than 20 MB. Split it into smaller files.',
    );
    expect(await dialog.submitButton.isDisabled()).toBe(true);
    await dialog.cancel();
    // Still editing normally.
    await a.titleInput.fill('Қазақстан әдебиеті');
    await a.expectText(b.titleInput, ['Қазақстан әдебиеті']);
  });

  it('imports MARC records (RUSMARC ISO 2709 in Windows-1251) and lists the truncated one', async () => {
    const dialog = await ImportDialogPage.open(a.page);
    await dialog.choose('rusmarc-cp1251.iso');
    await expect
      .poll(() => dialog.summary.innerText())
      .toBe('4 records in rusmarc-cp1251.iso (ISO 2709: RUSMARC/UNIMARC, Windows-1251 (Cyrillic))');
    expect(await dialog.unreadable()).toEqual([
      'Record 2 The record is cut short: 150 of 384 bytes.',
    ]);
    // The same editions were imported from the CSV above: flagged by ISBN and unticked.
    expect(await dialog.notes('Record 1').innerText()).toContain(
      'Already in this flashbook (same ISBN)',
    );
    await expect.poll(() => dialog.submitButton.innerText()).toBe('Import 0 books');
    await dialog.dialog.getByRole('button', { name: 'Tick all', exact: true }).click();
    await dialog.setPostSize(2);
    await expect.poll(() => dialog.submitButton.innerText()).toBe('Import 3 books');
    await dialog.submit();
    for (const page of [a.page, b.page]) {
      const outline = await waitForPosts(page, 7);
      expect(outline.slice(5)).toEqual([
        ['Slide: Иван: роман', 'Slide: Звезда: роман'],
        ['Slide: Жизнь и судьба: роман'],
      ]);
    }
  });
});
