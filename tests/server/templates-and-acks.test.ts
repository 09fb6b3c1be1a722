import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import { editText, readFlashbook, seedFlashbook } from '../../src/model/flashbook.ts';
import { newId } from '../../src/model/ids.ts';
import {
  TEMPLATE_IDS,
  templateStructure,
  templateTheme,
  templateTitle,
} from '../../src/model/templates.ts';
import { Harness, sleep, synced, waitFor, type CreatedFlashbook } from '../helpers/server.ts';

const h = new Harness();
afterEach(() => h.cleanup());

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/api/flashbooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('flashbook templates', () => {
  it('creates a copy of the demo flashbook: six or more books, several posts and libraries', async () => {
    const server = await h.start();
    const res = await post(server.url, { template: 'demo' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedFlashbook;
    const { doc } = await h.connectSynced(server.url, created.id, created.editToken);
    const view = readFlashbook(doc);
    expect(view.title).toBe('Литература Казахстана о войне 1941–1945 годов');
    const slides = view.posts.flatMap((p) => p.slides);
    expect(slides.filter((s) => s.layout === 'book').length).toBeGreaterThanOrEqual(6);
    expect(view.posts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(slides.map((s) => s.library)).size).toBeGreaterThanOrEqual(3);
    expect(slides.map((s) => s.fields.title).join(' ')).toContain('Қаһарлы күндер');
    expect(slides.every((s) => s.fields.altText.length > 0)).toBe(true);
    // Two copies are two flashbooks: each librarian tries things on a copy of their own.
    const again = (await (await post(server.url, { template: 'demo' })).json()) as CreatedFlashbook;
    expect(again.id).not.toBe(created.id);
  });

  it('registers a flashbook created offline without seeding it, so its own content is all it has', async () => {
    const server = await h.start();
    const id = newId();
    const res = await post(server.url, { id, title: 'Офлайн флешбук', template: 'empty' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedFlashbook;
    // The client seeded it itself while offline; after sync there is exactly its one post.
    const offline = new Y.Doc();
    seedFlashbook(offline, { title: 'Офлайн флешбук' });
    const client = h.connect(server.url, id, created.editToken, offline);
    await synced(client.provider);
    const fresh = await h.connectSynced(server.url, id, created.editToken);
    await waitFor(() => readFlashbook(fresh.doc).posts.length === 1, 'the offline content');
    expect(readFlashbook(fresh.doc).posts).toHaveLength(1);
    expect(readFlashbook(fresh.doc).title).toBe('Офлайн флешбук');
    // "empty" needs the client's id, and a taken id is a conflict, never an overwrite.
    expect((await post(server.url, { title: 'x', template: 'empty' })).status).toBe(400);
    expect((await post(server.url, { id, title: 'x', template: 'empty' })).status).toBe(409);
    expect((await post(server.url, { title: 'x', template: 'nope' })).status).toBe(400);
  });
});

describe('starting templates', () => {
  it('creates each template through POST /api/flashbooks in the asked language', async () => {
    const server = await h.start();
    for (const id of TEMPLATE_IDS) {
      const res = await post(server.url, { template: id, language: 'kk' });
      expect(res.status, id).toBe(201);
      const created = (await res.json()) as CreatedFlashbook;
      const { doc } = await h.connectSynced(server.url, created.id, created.editToken);
      const view = readFlashbook(doc);
      expect(view.title).toBe(templateTitle(id, 'kk'));
      expect(view.theme).toBe(templateTheme(id));
      expect(view.posts.map((p) => p.slides.map((s) => s.layout))).toEqual(
        templateStructure(id, 'kk').map((p) => p.slides.map((s) => s.layout)),
      );
    }
    // Russian by default, with the librarian's own title.
    const res = await post(server.url, { template: 'new-arrivals', title: 'Новинки марта' });
    const created = (await res.json()) as CreatedFlashbook;
    const { doc } = await h.connectSynced(server.url, created.id, created.editToken);
    const view = readFlashbook(doc);
    expect(view.title).toBe('Новинки марта');
    expect(view.posts[1]?.slides[0]?.fields.title).toBe(
      templateStructure('new-arrivals', 'ru')[1]?.slides[0]?.title,
    );
  });

  it('refuses a bad language, a language without a template and an id with a template', async () => {
    const server = await h.start();
    const refused = [
      { template: 'nauryz', language: 'de' },
      { template: 'nauryz', language: 7 },
      { title: 'Без шаблона', language: 'kk' },
      { template: 'demo', language: 'kk' },
      { template: 'nauryz', id: newId() },
      { template: 'nauryz', title: '' },
      { template: 'nauryz', title: 'x'.repeat(201) },
      { template: 'Nauryz' },
    ];
    for (const body of refused) {
      const res = await post(server.url, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/template|language|title|id/);
    }
  });
});

describe('acknowledgements of stored updates', () => {
  it('acknowledges each stored update message to a client that asked, and to no other', async () => {
    const server = await h.start();
    const created = await h.create(server.url, 'Acks');
    const acks: number[] = [];
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`${server.wsUrl}/sync`, created.id, doc, {
      params: { token: created.editToken, ack: '1' },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    provider.messageHandlers[100] = (_e, decoder) => acks.push(decoding.readVarUint(decoder));
    await synced(provider);
    // The answer to the server's step 1 is update message 1; three edits are messages 2 to 4.
    await waitFor(() => acks.at(-1) === 1, 'the acknowledgement of the first step 2');
    for (const word of [' one', ' two', ' three']) {
      editText(doc, { kind: 'title' }, readFlashbook(doc).title + word);
    }
    await waitFor(() => acks.at(-1) === 4, 'the acknowledgement of all three edits');
    expect([...acks].sort((a, b) => a - b)).toEqual(acks); // never goes back
    provider.destroy();

    // A stock client (no ack=1) never receives message type 100.
    const plain = await h.connectSynced(server.url, created.id, created.editToken);
    const observer = await h.connectSynced(server.url, created.id, created.editToken);
    let unknown = 0;
    plain.provider.messageHandlers[100] = () => unknown++;
    editText(plain.doc, { kind: 'title' }, 'changed');
    await waitFor(
      () => readFlashbook(observer.doc).title === 'changed',
      'the edit to be forwarded',
    );
    await sleep(400); // longer than the server's acknowledgement delay
    expect(unknown).toBe(0);
  });
});
