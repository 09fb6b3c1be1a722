import { afterEach, describe, expect, it } from 'vitest';
import { exited, ServerProcesses } from '../helpers/process.ts';
import { Harness, title, titleText, waitFor } from '../helpers/server.ts';

const h = new Harness();
const servers = new ServerProcesses();
afterEach(async () => {
  servers.killAll();
  await h.cleanup();
});

describe('durability', () => {
  it('loses no forwarded edit when the process is killed with SIGKILL', async () => {
    const dataDir = await h.tempDir();
    const first = await servers.start(dataDir);
    const fb = await h.create(first.url, 'Start');
    const writer = await h.connectSynced(first.url, fb.id, fb.editToken);
    const observer = await h.connectSynced(first.url, fb.id, fb.editToken);

    const edits = 300;
    for (let i = 0; i < edits; i++) titleText(writer.doc).insert(title(writer.doc).length, `|${i}`);
    const expected = title(writer.doc);
    // Received by the observer = forwarded = already stored, by the server's contract.
    await waitFor(() => title(observer.doc) === expected, 'observer to receive every edit');

    first.child.kill('SIGKILL');
    await exited(first.child);
    writer.provider.destroy();
    observer.provider.destroy();

    const second = await servers.start(dataDir);
    const fresh = await h.connectSynced(second.url, fb.id, fb.viewToken);
    expect(title(fresh.doc)).toBe(expected);
    expect(title(fresh.doc)).toContain(`|${edits - 1}`);

    second.child.kill('SIGTERM');
    await exited(second.child);
    expect(second.child.exitCode).toBe(0);
  });

  it('shuts down gracefully on SIGTERM and keeps every edit', async () => {
    const dataDir = await h.tempDir();
    const first = await servers.start(dataDir);
    const fb = await h.create(first.url, 'Graceful');
    const a = await h.connectSynced(first.url, fb.id, fb.editToken);
    const b = await h.connectSynced(first.url, fb.id, fb.editToken);
    titleText(a.doc).insert(0, 'Very ');
    await waitFor(() => title(b.doc) === 'Very Graceful', 'edit forwarded');
    first.child.kill('SIGTERM');
    await exited(first.child);
    expect(first.child.exitCode).toBe(0);
    a.provider.destroy();
    b.provider.destroy();

    const second = await servers.start(dataDir);
    const fresh = await h.connectSynced(second.url, fb.id, fb.editToken);
    expect(title(fresh.doc)).toBe('Very Graceful');
  });
});
