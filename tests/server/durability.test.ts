import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness, title, titleText, waitFor } from '../helpers/server.ts';

const h = new Harness();
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await h.cleanup();
});

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Starts `server/main.ts` as a real process and resolves with the URL it prints. */
function spawnServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      STATIC_DIR: join(dataDir, 'no-build'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve({ child, url: match[1].replace('localhost', '127.0.0.1') });
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('durability', () => {
  it('loses no forwarded edit when the process is killed with SIGKILL', async () => {
    const dataDir = await h.tempDir();
    const first = await spawnServer(dataDir);
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

    const second = await spawnServer(dataDir);
    const fresh = await h.connectSynced(second.url, fb.id, fb.viewToken);
    expect(title(fresh.doc)).toBe(expected);
    expect(title(fresh.doc)).toContain(`|${edits - 1}`);

    second.child.kill('SIGTERM');
    await exited(second.child);
    expect(second.child.exitCode).toBe(0);
  });

  it('shuts down gracefully on SIGTERM and keeps every edit', async () => {
    const dataDir = await h.tempDir();
    const first = await spawnServer(dataDir);
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

    const second = await spawnServer(dataDir);
    const fresh = await h.connectSynced(second.url, fb.id, fb.editToken);
    expect(title(fresh.doc)).toBe('Very Graceful');
  });
});
