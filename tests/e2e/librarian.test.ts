import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addPost, addSlide, readFlashbook } from '../../src/model/flashbook.ts';
import { Harness, synced } from '../helpers/server.ts';
import { startE2E, type E2E } from './harness.ts';
import { ExportDialogPage } from './export-pages.ts';
import { ImportDialogPage } from './import-pages.ts';
import { HomePage, chooseLanguage, waitFor, type EditorPage, parseLink } from './pages.ts';

/** What a librarian sees of a book slide, written by a colleague's client through the model. */
describe('Book slides and slide controls as a librarian uses them', () => {
  let e2e: E2E;
  let editor: EditorPage;
  const harness = new Harness();
  let doc: Y.Doc;
  let postId: string;

  beforeAll(async () => {
    e2e = await startE2E();
    const home = await HomePage.open(await e2e.newUser(), {
      name: 'Aigerim',
      library: 'Regional Library',
    });
    editor = await home.createFlashbook('Жаңа кітаптар');
    const { edit } = await editor.shareLinks();
    const { id, token } = parseLink(edit);
    const client = harness.connect(e2e.baseUrl, id, token);
    await synced(client.provider);
    doc = client.doc;
    const first = readFlashbook(doc).posts[0];
    if (!first) throw new Error('no first post');
    postId = first.id;
  });

  afterAll(async () => {
    await harness.cleanup();
    await e2e?.close();
  });

  it('describes a book in library style, and in the short line when the flashbook asks for it', async () => {
    addSlide(doc, postId, {
      layout: 'book',
      fields: {
        author: 'Кэрролл Льюис',
        title: 'Алиса в Стране чудес',
        publisher: 'Детская литература',
        place: 'Москва',
        year: '2021',
        pages: '224',
        isbn: '978-5-08-006498-2',
      },
    });
    await editor.selectSlide('Алиса в Стране чудес');
    const biblio = () =>
      editor.page
        .locator('.canvas .slide__biblio')
        .innerText()
        .then((s) => s.replaceAll('\u00AD', ''));
    expect(await waitFor(biblio, (s) => s.length > 0, 'the bibliographic line')).toBe(
      'Москва : Детская литература, 2021. — 224 с.',
    );
    await editor.page.getByRole('button', { name: 'Design' }).click();
    const dialog = editor.page.getByRole('dialog', { name: 'Design and settings' });
    const style = dialog.getByLabel('Book description on book slides');
    await style.selectOption('gost-isbn');
    await waitFor(biblio, (s) => s.includes('ISBN'), 'the line with the ISBN');
    expect(await biblio()).toBe(
      'Москва : Детская литература, 2021. — 224 с. — ISBN 978-5-08-006498-2.',
    );
    await style.selectOption('short');
    await waitFor(biblio, (s) => s.includes('·'), 'the short line');
    expect(await biblio()).toBe('Детская литература · Москва · 2021 · 224');
    // The choice is the flashbook's: the colleague's client reads it too.
    await waitFor(
      () => Promise.resolve(readFlashbook(doc).biblioStyle),
      (s) => s === 'short',
      'the setting in the shared document',
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it.each(['quote', 'text', 'closing'] as const)(
    'removes the age label of a %s slide (one that kept it from its book layout)',
    async (layout) => {
      const title = `Возраст ${layout}`;
      addSlide(doc, postId, {
        layout: 'book',
        ageLabel: '12+',
        fields: { title, quote: title },
      });
      await editor.selectSlide(title);
      const form = editor.page.getByRole('region', { name: 'Slide content' });
      await form.getByLabel('Layout').selectOption(layout);
      const badge = editor.page.locator('.canvas .slide__age');
      expect(await badge.innerText()).toBe('12+');
      const age = form.getByLabel('Age label');
      expect(await age.inputValue()).toBe('12+');
      await age.selectOption({ label: 'none' });
      await badge.waitFor({ state: 'detached' });
      await waitFor(
        () => Promise.resolve(readFlashbook(doc).posts[0]?.slides.at(-1)?.ageLabel),
        (a) => a === '',
        'the label removed in the shared document',
      );
      // And it can be set again on this layout.
      await age.selectOption('6+');
      expect(await badge.innerText()).toBe('6+');
    },
  );

  it('lists a slide whose text does not fit in the export dialog, shows it, and exports it cut only when confirmed', async () => {
    const title = 'Слишком длинная аннотация';
    const sentence =
      'Повесть о блокадном Ленинграде, о детях и взрослых, которые спасали друг друга. ';
    addSlide(doc, postId, {
      layout: 'book',
      fields: { author: 'Чуковская Лидия', title, altText: 'Обложка книги' },
      body: [sentence.repeat(40)],
    });
    const number = await waitFor(
      () =>
        Promise.resolve(
          readFlashbook(doc).posts[0]?.slides.findIndex((s) => s.fields.title === title),
        ),
      (i) => i !== undefined && i >= 0,
      'the slide in the document',
    ).then((i) => (i ?? 0) + 1);
    const dialog = await ExportDialogPage.open(editor.page);
    const list = dialog.dialog.getByRole('list', { name: 'Slides whose text does not fit' });
    await list.waitFor();
    expect(await list.getByRole('listitem').allInnerTexts()).toContainEqual(
      expect.stringContaining(
        `Post 1, slide ${number}: the text does not fit and would be cut off.`,
      ),
    );
    // Not exported silently: the export waits for an explicit confirmation.
    expect(await dialog.startButton.isDisabled()).toBe(true);
    await dialog.dialog.getByRole('button', { name: `Show post 1, slide ${number}` }).click();
    await dialog.dialog.waitFor({ state: 'hidden' });
    await waitFor(
      () => editor.selectedSlideTitle(),
      (t) => t === title,
      'the listed slide selected',
    );
    expect(await editor.page.locator('.canvas').getByRole('alert').innerText()).toContain(
      'does not fit',
    );

    const again = await ExportDialogPage.open(editor.page);
    await again.dialog.getByLabel('Export anyway, with the text of these slides cut off').check();
    const { files } = await again.exportZip();
    expect(Object.keys(files).filter((f) => f.endsWith('.jpg'))).toContainEqual(
      expect.stringMatching(new RegExp(`/0?${number}\\.jpg$`)),
    );
    await again.close();
  });

  it('gives every exported image alt text: drafted from the slide when empty, the librarian’s own once written', async () => {
    const { postId: second } = addPost(doc, {
      layout: 'text',
      first: { fields: { title: 'Летнее чтение' }, body: ['Десять книг на каникулы'] },
    });
    addSlide(doc, second, {
      layout: 'quote',
      fields: { quote: 'Книга — лучший друг', quoteSource: 'Пословица' },
    });
    await editor.selectSlide('Летнее чтение');
    const alt = editor.slideField('Alt text (image description for screen readers)');
    const draft = 'Пост 2, слайд 1 из 2. Текст: «Летнее чтение». Десять книг на каникулы';
    expect(await alt.getAttribute('placeholder')).toContain(draft);

    const altFile = async () => {
      const dialog = await ExportDialogPage.open(editor.page);
      await dialog.choose(2);
      const { files } = await dialog.exportZip();
      await dialog.close();
      const name = Object.keys(files).find((f) => f.endsWith('/alt-text.txt'));
      const data = name ? files[name] : undefined;
      if (!data) throw new Error('no alt-text.txt');
      return Buffer.from(data).toString('utf8');
    };
    const drafted = await altFile();
    expect(drafted).toBe(
      `01.jpg: ${draft}\n02.jpg: Пост 2, слайд 2 из 2. Цитата: «Книга — лучший друг» — Пословица.\n`,
    );
    for (const line of drafted.trimEnd().split('\n')) expect(line).toMatch(/^\d\d\.jpg: \S/u);

    // The draft is only a proposal: what the librarian writes replaces it.
    await alt.fill('Плакат «Летнее чтение» на жёлтом фоне');
    await waitFor(
      () => Promise.resolve(readFlashbook(doc).posts[1]?.slides[0]?.fields.altText),
      (a) => a === 'Плакат «Летнее чтение» на жёлтом фоне',
      'the alt text in the shared document',
    );
    expect((await altFile()).split('\n')[0]).toBe('01.jpg: Плакат «Летнее чтение» на жёлтом фоне');
  });

  it('puts the caret in the new slide’s first field after Add slide and Add post', async () => {
    await editor.page.getByRole('button', { name: 'Add slide to post 1' }).click();
    const author = editor.slideField('Author');
    await waitFor(
      () => author.evaluate((el) => el === document.activeElement),
      Boolean,
      'the Author field focused',
    );
    await editor.page.keyboard.type('Әуезов Мұхтар');
    await waitFor(
      () => Promise.resolve(readFlashbook(doc).posts[0]?.slides.at(-1)?.fields.author),
      (a) => a === 'Әуезов Мұхтар',
      'the typing in the new slide',
    );

    const before = readFlashbook(doc).posts.length;
    await editor.page.getByRole('button', { name: 'Add post' }).click();
    await waitFor(
      () => author.evaluate((el) => el === document.activeElement).catch(() => false),
      Boolean,
      'the first field of the new post’s slide focused',
    );
    await editor.page.keyboard.type('Абай');
    await waitFor(
      () => Promise.resolve(readFlashbook(doc).posts[before]?.slides[0]?.fields.author),
      (a) => a === 'Абай',
      'the typing in the new post',
    );
  });

  it('notes in the import preview every value that cleaning changed, and sets Russian quotes', async () => {
    const dialog = await ImportDialogPage.open(editor.page);
    const csv = [
      'Автор;Заглавие;Год',
      'Бек Александр;"Повесть ""Волоколамское шоссе""";около 1980',
      '',
    ];
    await dialog.choose({
      name: 'books.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv.join('\n'), 'utf8'),
    });
    expect(await dialog.notes('Row 2').innerText()).toContain(
      'Year: “около 1980” was read as “1980”.',
    );
    const row = dialog.tickBox('Row 2').locator('xpath=ancestor::li[1]');
    expect(await row.innerText()).toContain('Повесть «Волоколамское шоссе»');
    await dialog.cancel();
  });

  it.each(['en', 'ru', 'kk'])(
    'gives every control of the slide form its own accessible name (%s)',
    async (language) => {
      await chooseLanguage(editor.page, language);
      const duplicates: string[] = [];
      for (const title of ['Алиса в Стране чудес', 'Летнее чтение']) {
        await editor.page.locator(`.thumb__button[aria-label$="${title}"]`).click();
        await editor.page
          .locator('.inspector .rich__toolbar')
          .waitFor({ state: 'visible' })
          .catch(() => {});
        const tree = await editor.page.locator('.inspector').ariaSnapshot();
        const names = [
          ...tree.matchAll(/- (button|textbox|combobox|checkbox|radio|link) "([^"]+)"/g),
        ].map((m) => m[2] ?? '');
        expect(names.length, `${language}: ${tree}`).toBeGreaterThan(5);
        const seen = new Set<string>();
        for (const n of names) {
          if (seen.has(n)) duplicates.push(`${title}: ${n}`);
          seen.add(n);
        }
      }
      expect(duplicates, language).toEqual([]);
    },
  );
});
