import { afterEach, describe, expect, it } from 'vitest';
import { Harness, title, titleText, waitFor } from '../helpers/server.ts';

const h = new Harness();
afterEach(() => h.cleanup());

describe('view-only connections', () => {
  it('receive the document, edits and presence, but their edits go nowhere', async () => {
    const server = await h.start();
    const fb = await h.create(server.url, 'Exhibition');
    const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
    const viewer = await h.connectSynced(server.url, fb.id, fb.viewToken);
    expect(title(viewer.doc)).toBe('Exhibition');

    titleText(editor.doc).insert(0, 'Virtual ');
    await waitFor(() => title(viewer.doc) === 'Virtual Exhibition', 'editor edit at viewer');

    editor.provider.awareness.setLocalStateField('user', { name: 'Methodologist' });
    await waitFor(
      () => viewer.provider.awareness.getStates().get(editor.doc.clientID)?.user !== undefined,
      'editor presence at viewer',
    );

    // The viewer edits, then announces itself. The server handles a connection's messages in
    // order, so once the editor sees the presence, the edit has been handled (and dropped).
    titleText(viewer.doc).insert(0, 'HACKED ');
    viewer.provider.awareness.setLocalStateField('user', { name: 'Reader' });
    await waitFor(
      () => editor.provider.awareness.getStates().get(viewer.doc.clientID)?.user !== undefined,
      'viewer presence at editor',
    );
    expect(title(editor.doc)).toBe('Virtual Exhibition');
    // The viewer keeps receiving edits after its own was dropped.
    titleText(editor.doc).insert(title(editor.doc).length, '!');
    await waitFor(() => title(viewer.doc).endsWith('Exhibition!'), 'later edit at viewer');

    const dropped = server.logs.filter((l) => l.event === 'dropped-update');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ room: fb.id, role: 'view' });

    const fresh = await h.connectSynced(server.url, fb.id, fb.viewToken);
    expect(title(fresh.doc)).toBe('Virtual Exhibition!');

    // Nor did it reach storage.
    await server.close();
    const restarted = await h.start({ dataDir: server.dataDir });
    const afterRestart = await h.connectSynced(restarted.url, fb.id, fb.editToken);
    expect(title(afterRestart.doc)).toBe('Virtual Exhibition!');
  });

  it('a viewer that only syncs is not reported as dropping updates', async () => {
    const server = await h.start();
    const fb = await h.create(server.url);
    const editor = await h.connectSynced(server.url, fb.id, fb.editToken);
    titleText(editor.doc).delete(0, 3);
    const viewer = await h.connectSynced(server.url, fb.id, fb.viewToken);
    titleText(editor.doc).insert(0, 'X');
    await waitFor(() => title(viewer.doc) === title(editor.doc), 'viewer up to date');
    expect(server.logs.filter((l) => l.event === 'dropped-update')).toHaveLength(0);
  });
});
