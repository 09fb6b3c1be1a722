import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addPost, addSlide, readFlashbook } from '../../src/model/flashbook.ts';
import { Harness, synced } from '../helpers/server.ts';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, dragTo, sidebarOutline, waitFor, parseLink } from './pages.ts';

const AIGERIM = { name: 'Aigerim', library: 'Central Library' };
const BORIS = { name: 'Boris', library: 'Branch 4' };

describe('posts and slides: add, drag, undo', () => {
  let e2e: E2E;
  const harness = new Harness();

  beforeAll(async () => {
    e2e = await startE2E();
  });

  afterEach(() => harness.cleanup());

  afterAll(async () => {
    await e2e?.close();
  });

  /**
   * A fresh flashbook open in two browsers, Aigerim's and Boris's. `posts` names the slides of
   * each post (the first is the cover, titled like the flashbook); a colleague's client writes them
   * through the model, so each test starts from its own known state.
   */
  async function twoEditors(posts: string[][]): Promise<{ a: EditorPage; b: EditorPage }> {
    const [[title = 'Flashbook', ...firstPost] = [], ...otherPosts] = posts;
    const a = await (await HomePage.open(await e2e.newUser(), AIGERIM)).createFlashbook(title);
    const links = await a.shareLinks();
    const { id, token } = parseLink(links.edit);
    const { doc, provider } = harness.connect(e2e.baseUrl, id, token);
    await synced(provider);
    const firstPostId = readFlashbook(doc).posts[0]?.id ?? '';
    for (const t of firstPost) addSlide(doc, firstPostId, { layout: 'book', fields: { title: t } });
    for (const [first, ...rest] of otherPosts) {
      const { postId } = addPost(doc, { first: { layout: 'book', fields: { title: first } } });
      for (const t of rest) addSlide(doc, postId, { layout: 'book', fields: { title: t } });
    }
    const b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, BORIS);
    const expected = JSON.stringify(posts.map((p) => p.map((t) => `Slide: ${t}`)));
    for (const page of [a, b])
      await waitFor(
        () => sidebarOutline(page.page),
        (o) => JSON.stringify(o) === expected,
        'the starting slides',
      );
    return { a, b };
  }

  async function addBookSlide(page: EditorPage, post: number, title: string) {
    await page.page.getByRole('button', { name: `Add slide to post ${post}` }).click();
    await page.slideField('Title').fill(title);
  }

  it('adds posts and slides that the other user sees in the same order', async () => {
    const { a, b } = await twoEditors([['Жеңіс кітаптары']]);
    await addBookSlide(a, 1, 'Волоколамское шоссе');
    await addBookSlide(a, 1, 'За нами Москва');
    await a.page.getByRole('button', { name: 'Add post' }).click();
    await a.slideField('Title').fill('Солдаттың жазбалары');
    const expected = [
      ['Slide: Жеңіс кітаптары', 'Slide: Волоколамское шоссе', 'Slide: За нами Москва'],
      ['Slide: Солдаттың жазбалары'],
    ];
    await waitFor(
      () => sidebarOutline(b.page),
      (o) => JSON.stringify(o) === JSON.stringify(expected),
      'Boris’s sidebar',
    );
  });

  it('drags a slide to another post, and the move reaches the other user', async () => {
    const { a, b } = await twoEditors([
      ['Жеңіс кітаптары', 'Волоколамское шоссе', 'За нами Москва'],
      ['Солдаттың жазбалары'],
    ]);
    await dragTo(a.page, a.thumb('За нами Москва'), a.thumb('Солдаттың жазбалары'), 'bottom');
    const expected = [
      ['Slide: Жеңіс кітаптары', 'Slide: Волоколамское шоссе'],
      ['Slide: Солдаттың жазбалары', 'Slide: За нами Москва'],
    ];
    await waitFor(
      () => sidebarOutline(a.page),
      (o) => JSON.stringify(o) === JSON.stringify(expected),
      'Aigerim’s sidebar after the drag',
    );
    await waitFor(
      () => sidebarOutline(b.page),
      (o) => JSON.stringify(o) === JSON.stringify(expected),
      'Boris’s sidebar after the drag',
    );
  });

  it('reorders slides within a post by dragging', async () => {
    const { a, b } = await twoEditors([['Жеңіс кітаптары', 'Волоколамское шоссе']]);
    await dragTo(a.page, a.thumb('Волоколамское шоссе'), a.thumb('Жеңіс кітаптары'), 'top');
    const expected = [['Slide: Волоколамское шоссе', 'Slide: Жеңіс кітаптары']];
    await waitFor(
      () => sidebarOutline(b.page),
      (o) => JSON.stringify(o) === JSON.stringify(expected),
      'Boris’s sidebar after the reorder',
    );
  });

  it('selects a slide clicked right after a drag ends', async () => {
    const { a } = await twoEditors([['Жеңіс кітаптары', 'Волоколамское шоссе', 'За нами Москва']]);
    await a.selectSlide('Жеңіс кітаптары');
    // A drag that ends where it started, then a click on another thumbnail, in one task: the
    // fastest a person can be, and what a busy page does to a slower person's click.
    await a.page.evaluate(() => {
      const thumb = (name: string) => {
        const el = document.querySelector(`.thumb__button[aria-label="Slide: ${name}"]`);
        if (!(el instanceof HTMLElement)) throw new Error(`no thumbnail ${name}`);
        const r = el.getBoundingClientRect();
        return { el, x: r.x + r.width / 2, y: r.y + r.height / 2 };
      };
      const at = (x: number, y: number) => ({
        bubbles: true,
        cancelable: true,
        composed: true,
        isPrimary: true,
        pointerId: 1,
        button: 0,
        buttons: 1,
        clientX: x,
        clientY: y,
      });
      const from = thumb('Волоколамское шоссе');
      from.el.dispatchEvent(new PointerEvent('pointerdown', at(from.x, from.y)));
      document.dispatchEvent(new PointerEvent('pointermove', at(from.x, from.y + 20)));
      document.dispatchEvent(new PointerEvent('pointermove', at(from.x, from.y)));
      document.dispatchEvent(new PointerEvent('pointerup', { ...at(from.x, from.y), buttons: 0 }));
      const to = thumb('За нами Москва');
      to.el.dispatchEvent(new PointerEvent('pointerdown', at(to.x, to.y)));
      to.el.dispatchEvent(new PointerEvent('pointerup', { ...at(to.x, to.y), buttons: 0 }));
      to.el.dispatchEvent(new MouseEvent('click', { ...at(to.x, to.y), buttons: 0 }));
    });
    await a.thumb('За нами Москва').and(a.page.locator('[aria-current="true"]')).waitFor();
    expect(await a.selectedSlideTitle()).toBe('За нами Москва');
  });

  it('undo reverts only my own edit, never the other user’s', async () => {
    const { a, b } = await twoEditors([['Жеңіс кітаптары'], ['Солдаттың жазбалары']]);
    await a.selectSlide('Солдаттың жазбалары');
    await b.selectSlide('Солдаттың жазбалары');
    const undo = a.page.getByRole('button', { name: 'Undo', exact: true });
    // The flashbook was written by someone else: Aigerim has nothing to undo yet.
    expect(await undo.isDisabled()).toBe(true);
    await a.slideField('Author').fill('Бауыржан Момышұлы');
    await b.expectText(b.slideField('Author'), ['Бауыржан Момышұлы']);
    await b.slideField('Publisher').fill('Жазушы');
    await a.expectText(a.slideField('Publisher'), ['Жазушы']);
    // Undo is offered once her edit is on the undo stack; Boris's edit never is.
    await waitFor(
      () => undo.isEnabled(),
      (on) => on,
      'Undo to be offered',
    );
    await undo.click();
    await waitFor(
      () => b.slideField('Author').inputValue(),
      (v) => v === '',
      'the author to be undone for Boris',
    );
    expect(await a.slideField('Author').inputValue()).toBe('');
    expect(await a.slideField('Publisher').inputValue()).toBe('Жазушы');
    expect(await b.slideField('Publisher').inputValue()).toBe('Жазушы');
    expect(await undo.isDisabled()).toBe(true);
    await a.page.getByRole('button', { name: 'Redo', exact: true }).click();
    await b.expectText(b.slideField('Author'), ['Бауыржан Момышұлы']);
  });

  it('shows on each thumbnail who is on that slide', async () => {
    const { a, b } = await twoEditors([['Жеңіс кітаптары'], ['Солдаттың жазбалары']]);
    await b.selectSlide('Солдаттың жазбалары');
    await waitFor(
      () =>
        a
          .thumbCard('Солдаттың жазбалары')
          .locator('.peer-dot')
          .getAttribute('title')
          .catch(() => null),
      (t) => t === 'Boris',
      'Boris’s dot on the thumbnail',
    );
    expect(await a.thumbCard('Жеңіс кітаптары').locator('.peer-dot').count()).toBe(0);
  });
});
