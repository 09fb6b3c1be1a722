import { get, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import type * as Y from 'yjs';

import { addPost, addSlide, editText, readFlashbook } from '../../src/model/flashbook.ts';
import type { ExhibitionState, PublishResponse } from '../../src/protocol/exhibition.ts';
import type { PublishedEvent } from '../../server/exhibition/http.ts';
import { Harness, titleText, waitFor, type TestServer } from '../helpers/server.ts';

const h = new Harness();
afterEach(() => h.cleanup());

interface Fb {
  id: string;
  editToken: string;
  viewToken: string;
}

function api(server: TestServer, fb: Fb, method: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${server.url}/api/flashbooks/${fb.id}/exhibition`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function publish(server: TestServer, fb: Fb, body?: unknown): Promise<PublishResponse> {
  const res = await api(server, fb, 'POST', fb.editToken, body);
  if (res.status !== 200) throw new Error(`publish: ${res.status} ${await res.text()}`);
  return (await res.json()) as PublishResponse;
}

async function page(server: TestServer, url: string) {
  const res = await fetch(`${server.url}${url}`);
  return { res, html: await res.text() };
}

/** Adds a post with one book slide through a stock y-websocket client (as an editor's tab does). */
function addBook(doc: Y.Doc, fields: Record<string, string>, body: string[] = [], library = '') {
  return addPost(doc, { library, first: { layout: 'book', library, fields, body } }).postId;
}

/** A raw GET (fetch would decompress and hide the encoding). */
function request(server: TestServer, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      get(`${server.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      }).on('error', reject);
    },
  );
}

/** Every start tag of an HTML document with its attributes (React escapes `<`, `>` and quotes). */
function tags(html: string): { name: string; attrs: [string, string][] }[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^>]*)?)>/g)].map((m) => ({
    name: (m[1] ?? '').toLowerCase(),
    attrs: [...(m[2] ?? '').matchAll(/\s([^\s=/>]+)(?:="([^"]*)")?/g)].map(
      (a) => [(a[1] ?? '').toLowerCase(), a[2] ?? ''] as [string, string],
    ),
  }));
}

describe('publishing a flashbook as an exhibition', () => {
  it('publishes, freezes the content, republishes at the same address and unpublishes (410)', async () => {
    const events: PublishedEvent[] = [];
    const server = await h.start({ onExhibitionPublished: (e) => events.push(e) });
    const fb = await h.create(server.url, 'Қазақстан әдебиеті соғыс туралы');
    const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
    addBook(
      editor.doc,
      { title: 'Абай жолы', author: 'Мұхтар Әуезов', year: '1942', place: 'Алматы', pages: '480' },
      ['Қазақ даласының өмірі туралы роман-эпопея.'],
      'Талғар аудандық кітапханасы',
    );
    const viewer = await h.connectSynced(server.url, fb.id, fb.viewToken);
    await waitFor(() => readFlashbook(viewer.doc).posts.length === 2, 'book stored');

    const first = await publish(server, fb);
    expect(first.url).toBe('/e/qazaqstan-adebieti-soghys-turaly'.replace('gh', 'g'));
    expect(typeof first.publishedAt).toBe('number');
    expect(events.map((e) => e.slug)).toEqual([first.url.slice(3)]);

    const one = await page(server, first.url);
    expect(one.res.status).toBe(200);
    expect(one.res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(one.html).toContain('<html lang="kk"');
    expect(one.html).toContain('Абай жолы');
    expect(one.html).toContain('Мұхтар Әуезов');
    expect(one.html).toContain('Қазақ даласының өмірі туралы роман-эпопея.');
    // The Kazakh description of a Kazakh page counts pages in «б.».
    expect(one.html).toContain('Мұхтар Әуезов. Абай жолы. — Алматы, 1942. — 480 б.');
    expect(one.html).toContain('Талғар аудандық кітапханасы');
    expect(one.html).not.toMatch(/<script(?![^>]*application\/ld\+json)/);

    // An edit after publishing is not on the page...
    const bookSlide = readFlashbook(editor.doc).posts[1]!.slides[0]!.id;
    editText(
      editor.doc,
      { kind: 'slide', slideId: bookSlide, field: 'quote' },
      'Өнер алды — қызыл тіл.',
    );
    titleText(editor.doc).insert(0, 'ӨЗГЕРДІ ');
    await waitFor(
      () => readFlashbook(viewer.doc).title.startsWith('ӨЗГЕРДІ'),
      'edit stored and forwarded',
    );
    const still = await page(server, first.url);
    expect(still.html).not.toContain('Өнер алды');
    expect(still.html).not.toContain('ӨЗГЕРДІ');

    // ...until someone publishes again, at the same address.
    const second = await publish(server, fb);
    expect(second.url).toBe(first.url);
    expect(second.publishedAt).toBeGreaterThanOrEqual(first.publishedAt);
    const two = await page(server, first.url);
    expect(two.html).toContain('Өнер алды — қызыл тіл.');
    expect(two.html).toContain('ӨЗГЕРДІ');

    const state = (await (await api(server, fb, 'GET', fb.viewToken)).json()) as ExhibitionState;
    expect(state).toMatchObject({
      published: true,
      url: first.url,
      publishedAt: second.publishedAt,
    });

    const del = await api(server, fb, 'DELETE', fb.editToken);
    expect(del.status).toBe(204);
    const goneRes = await page(server, first.url);
    expect(goneRes.res.status).toBe(410);
    expect(goneRes.res.headers.get('x-robots-tag')).toBe('noindex');
    expect(goneRes.html).toContain('<meta name="robots" content="noindex"/>');
    expect(goneRes.html).not.toContain('Абай жолы');
    expect((await page(server, `${first.url}/exhibition.zip`)).res.status).toBe(410);
    const after = (await (await api(server, fb, 'GET', fb.editToken)).json()) as ExhibitionState;
    expect(after).toMatchObject({ published: false, url: first.url });

    // Republishing after taking down comes back at the same address, and survives a restart.
    const third = await publish(server, fb);
    expect(third.url).toBe(first.url);
    await server.close();
    const restarted = await h.start({ dataDir: server.dataDir });
    expect((await page(restarted, first.url)).html).toContain('Өнер алды — қызыл тіл.');
  });

  it('publishes only the chosen posts, under a chosen address, and refuses bad input', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Books about the war');
    const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
    const a = addBook(editor.doc, { title: 'Chosen book', author: 'A. Author' });
    addBook(editor.doc, { title: 'Left out book', author: 'B. Author' });
    const viewer = await h.connectSynced(server.url, fb.id, fb.viewToken);
    await waitFor(() => readFlashbook(viewer.doc).posts.length === 3, 'posts stored');

    const res = await publish(server, fb, { posts: [a], slug: 'war-books' });
    expect(res.url).toBe('/e/war-books');
    const { html } = await page(server, res.url);
    expect(html).toContain('Chosen book');
    expect(html).not.toContain('Left out book');

    for (const body of [
      { slug: 'Not A Slug' },
      { slug: '-x' },
      { slug: 'a'.repeat(81) },
      { posts: ['no-such-post-id'] },
      { posts: [] },
      { posts: 'all' },
      { embedOrigins: ['javascript:alert(1)'] },
      { embedOrigins: ['https://lib.example.kz/path'] },
      { ogImage: 'f'.repeat(64) },
    ]) {
      const r = await api(server, fb, 'POST', fb.editToken, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }

    // Another flashbook cannot take the address; its default slug gets a number instead.
    const other = await h.create(server.url, 'War books');
    expect((await api(server, other, 'POST', other.editToken, { slug: 'war-books' })).status).toBe(
      409,
    );
    expect((await publish(server, other)).url).toBe('/e/war-books-2');
  });

  it('needs the edit token to publish or unpublish; the page needs none', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Tokens');
    expect((await api(server, fb, 'POST')).status).toBe(401);
    expect((await api(server, fb, 'POST', 'wrong-token')).status).toBe(401);
    expect((await api(server, fb, 'POST', fb.viewToken)).status).toBe(403);
    expect((await api(server, fb, 'GET')).status).toBe(401);
    const { url } = await publish(server, fb);
    expect((await api(server, fb, 'DELETE')).status).toBe(401);
    expect((await api(server, fb, 'DELETE', fb.viewToken)).status).toBe(403);
    expect((await page(server, url)).res.status).toBe(200);
    expect((await page(server, '/e/no-such-exhibition')).res.status).toBe(404);
    // Compressed for slow lines, the same page either way; revalidation answers 304.
    const plain = await request(server, url, { 'accept-encoding': 'identity' });
    const br = await request(server, url, { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(plain.body.toString());
    expect(br.body.length).toBeLessThan(plain.body.length);
    const again = await request(server, url, {
      'accept-encoding': 'br',
      'if-none-match': String(br.headers.etag),
    });
    expect(again.status).toBe(304);
    expect((await api(server, fb, 'DELETE', fb.editToken)).status).toBe(204);
    expect((await api(server, fb, 'DELETE', fb.editToken)).status).toBe(404);
  });

  it('sends frame-ancestors from the allow-list and absolute social and search metadata', async () => {
    const server = await h.start({ publicUrl: 'https://studio.example.kz' });
    const fb = await h.create(server.url, 'Embeddable');
    const { url } = await publish(server, fb, { embedOrigins: ['https://Lib.Example.kz:443/'] });
    const { res, html } = await page(server, url);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self' https://lib.example.kz");
    expect(csp).toMatch(/script-src|default-src 'none'/);
    expect(html).toContain(`<link rel="canonical" href="https://studio.example.kz${url}"/>`);
    expect(html).toContain('<meta property="og:title" content="Embeddable"/>');
    const state = (await (await api(server, fb, 'GET', fb.editToken)).json()) as ExhibitionState;
    expect(state.embedOrigins).toEqual(['https://lib.example.kz']);
    // Republishing without embedOrigins keeps the list; an empty list allows only this server.
    await publish(server, fb);
    expect((await page(server, url)).res.headers.get('content-security-policy')).toContain(
      'https://lib.example.kz',
    );
    await publish(server, fb, { embedOrigins: [] });
    expect((await page(server, url)).res.headers.get('content-security-policy')).toMatch(
      /frame-ancestors 'self'$/,
    );
  });

  it('renders hostile content in every field as inert text', async () => {
    const server = await h.start();
    const evil = {
      script: '<script>alert(1)</script>',
      attr: '" onmouseover="alert(2)" x="',
      img: '<img src=x onerror=alert(3)>',
      close: '</script><script>alert(4)</script>',
      js: 'javascript:alert(5)',
      style: '</style><script>alert(6)</script>',
    };
    const all = Object.values(evil).join(' ');
    const fb = await h.create(server.url, `${evil.close} ${evil.script}`);
    const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
    const { postId } = addPost(editor.doc, {
      library: evil.attr,
      first: {
        layout: 'book',
        library: evil.img,
        ageLabel: evil.attr,
        fields: {
          title: evil.script,
          subtitle: evil.attr,
          author: evil.attr,
          publisher: evil.close,
          place: evil.img,
          year: evil.js,
          pages: evil.style,
          isbn: evil.attr,
          quote: evil.close,
          quoteSource: evil.js,
          altText: evil.attr,
        },
        body: [all, 'https://example.kz/" onclick="alert(7)', 'javascript:alert(8)'],
      },
    });
    const coverId = readFlashbook(editor.doc).posts[0]!.slides[0]!.id;
    editText(editor.doc, { kind: 'slide', slideId: coverId, field: 'subtitle' }, all);
    editText(
      editor.doc,
      { kind: 'caption', postId },
      `${all} https://example.kz/"onclick="alert(9)`,
    );
    addSlide(editor.doc, postId, { layout: 'quote', fields: { quote: all, quoteSource: evil.js } });
    addSlide(editor.doc, postId, { layout: 'closing', fields: { title: all }, body: [all] });
    addSlide(editor.doc, postId, { layout: 'text', fields: { title: all }, body: [all] });
    const viewer = await h.connectSynced(server.url, fb.id, fb.viewToken);
    await waitFor(() => readFlashbook(viewer.doc).posts[1]?.slides.length === 4, 'stored');

    const { url } = await publish(server, fb);
    const { html } = await page(server, url);
    const zip = unzipSync(
      new Uint8Array(await (await fetch(`${server.url}${url}/exhibition.zip`)).arrayBuffer()),
    );
    const zipped = strFromU8(zip['index.html']!);
    for (const doc of [html, zipped]) {
      const found = tags(doc);
      const scripts = found.filter((t) => t.name === 'script');
      expect(scripts).toHaveLength(1);
      expect(scripts[0]!.attrs).toEqual([['type', 'application/ld+json']]);
      // The JSON-LD holds no `<` at all, so nothing in it can end the element.
      const ld = /<script type="application\/ld\+json">([^]*?)<\/script>/.exec(doc)?.[1] ?? '';
      expect(ld).not.toContain('<');
      expect(JSON.parse(ld).itemListElement[0].item.name).toBe(evil.script);
      for (const t of found) {
        for (const [name, value] of t.attrs) {
          expect(name, `${t.name} ${name}`).not.toMatch(/^on/);
          if (name === 'href' || name === 'src') expect(value).not.toMatch(/^\s*javascript:/i);
        }
      }
      expect(
        found.filter((t) => t.name === 'img').every((t) => !t.attrs.some(([n]) => n === 'onerror')),
      ).toBe(true);
      // The text is still there, escaped.
      expect(doc).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(doc).toContain('javascript:alert(5)');
      // The one linkified address ends before the quote: its href carries no attribute.
      expect(
        found.filter((t) => t.name === 'a').map((t) => t.attrs.find(([n]) => n === 'href')?.[1]),
      ).toContain('https://example.kz/');
    }
  });

  it('serves a self-contained ZIP: relative links, its images and fonts', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Жаңа кітаптар');
    const { url } = await publish(server, fb);
    const res = await fetch(`${server.url}${url}/exhibition.zip`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const html = strFromU8(files['index.html']!);
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"|url\(([^)]+)\)/g)]
      .map((m) => m[1] ?? m[2] ?? '')
      .filter((r) => !r.startsWith('#'));
    const canonical = /<link rel="canonical" href="([^"]+)"/.exec(html)?.[1];
    for (const ref of refs) {
      if (ref === canonical) continue;
      expect(ref, ref).not.toMatch(/^(\/|[a-z]+:)/i);
      expect(files[ref], ref).toBeDefined();
    }
    const fonts = Object.keys(files).filter((f) => f.startsWith('fonts/'));
    expect(fonts.length).toBeGreaterThan(0);
    // A Kazakh title needs the cyrillic-ext subset (Ә, Ң, …).
    expect(fonts.some((f) => f.includes('cyrillic-ext'))).toBe(true);
    // The online page serves the same font files from its own origin.
    for (const f of fonts) {
      const online = await fetch(`${server.url}${url}/${f}`);
      expect(online.status, f).toBe(200);
      expect(online.headers.get('content-type')).toBe('font/woff2');
    }
    // Only the subsets the page's text needs: an English page gets no Cyrillic font file.
    const english = await h.create(server.url, 'New books');
    const englishZip = unzipSync(
      new Uint8Array(
        await (
          await fetch(`${server.url}${(await publish(server, english)).url}/exhibition.zip`)
        ).arrayBuffer(),
      ),
    );
    const englishFonts = Object.keys(englishZip).filter((f) => f.startsWith('fonts/'));
    expect(englishFonts.length).toBeGreaterThan(0);
    expect(englishFonts.filter((f) => f.includes('cyrillic'))).toEqual([]);
    expect((await fetch(`${server.url}${url}/fonts/..%2F..%2Fpackage.json`)).status).toBe(400);
    expect((await fetch(`${server.url}${url}/fonts/not-a-font.woff2`)).status).toBe(404);
  });
});
