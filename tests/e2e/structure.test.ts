import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './harness.ts';
import { EditorPage, HomePage, dragTo, sidebarOutline, waitFor } from './pages.ts';

describe('posts and slides: add, drag, undo', () => {
  let e2e: E2E;
  let a: EditorPage;
  let b: EditorPage;

  beforeAll(async () => {
    e2e = await startE2E();
    const home = await HomePage.open(await e2e.newUser(), {
      name: 'Aigerim',
      library: 'Central Library',
    });
    a = await home.createFlashbook('Жеңіс кітаптары');
    const links = await a.shareLinks();
    b = await EditorPage.openLink(await e2e.newUser(), links.edit as string, {
      name: 'Boris',
      library: 'Branch 4',
    });
  });

  afterAll(async () => {
    await e2e?.close();
  });

  async function addBookSlide(page: EditorPage, post: number, title: string) {
    await page.page.getByRole('button', { name: `Add slide to post ${post}` }).click();
    await page.slideField('Title').fill(title);
  }

  it('adds posts and slides that the other user sees in the same order', async () => {
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
    const slide = a.page.getByRole('button', { name: 'Slide: За нами Москва' });
    const target = a.page.getByRole('button', { name: 'Slide: Солдаттың жазбалары' });
    await dragTo(a.page, slide, target, 'bottom');
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
    const first = a.page.getByRole('button', { name: 'Slide: Жеңіс кітаптары' });
    const second = a.page.getByRole('button', { name: 'Slide: Волоколамское шоссе' });
    await dragTo(a.page, second, first, 'top');
    const expected = [
      ['Slide: Волоколамское шоссе', 'Slide: Жеңіс кітаптары'],
      ['Slide: Солдаттың жазбалары', 'Slide: За нами Москва'],
    ];
    await waitFor(
      () => sidebarOutline(b.page),
      (o) => JSON.stringify(o) === JSON.stringify(expected),
      'Boris’s sidebar after the reorder',
    );
  });

  it('undo reverts only my own edit, never the other user’s', async () => {
    await a.selectSlide('Солдаттың жазбалары');
    await b.selectSlide('Солдаттың жазбалары');
    await a.slideField('Author').fill('Бауыржан Момышұлы');
    await b.expectText(b.slideField('Author'), ['Бауыржан Момышұлы']);
    await b.slideField('Publisher').fill('Жазушы');
    await a.expectText(a.slideField('Publisher'), ['Жазушы']);
    await a.page.waitForTimeout(600); // let the undo manager close its capture window
    await a.page.getByRole('button', { name: 'Undo', exact: true }).click();
    await b.expectText(b.slideField('Author'), ['']);
    await waitFor(
      () => b.slideField('Author').inputValue(),
      (v) => v === '',
      'the author to be undone for Boris',
    );
    expect(await a.slideField('Publisher').inputValue()).toBe('Жазушы');
    expect(await b.slideField('Publisher').inputValue()).toBe('Жазушы');
    await a.page.getByRole('button', { name: 'Redo', exact: true }).click();
    await b.expectText(b.slideField('Author'), ['Бауыржан Момышұлы']);
  });

  it('shows on each thumbnail who is on that slide', async () => {
    const thumb = a.page.locator('.thumb', {
      has: a.page.getByRole('button', { name: 'Slide: Солдаттың жазбалары' }),
    });
    await waitFor(
      () =>
        thumb
          .locator('.peer-dot')
          .getAttribute('title')
          .catch(() => null),
      (t) => t === 'Boris',
      'Boris’s dot on the thumbnail',
    );
  });
});
