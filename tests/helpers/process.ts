import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseUrlFor } from './server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Real server processes (`server/main.ts`), for the tests that kill them. */
export class ServerProcesses {
  private readonly children: ChildProcess[] = [];

  /**
   * Starts one and resolves with the URL it prints. Port 0 picks a free port; pass a fixed port
   * when clients must find the server again after a restart.
   */
  async start(
    dataDir: string,
    port = 0,
    env: Record<string, string> = {},
  ): Promise<{ child: ChildProcess; url: string }> {
    const databaseUrl = await databaseUrlFor(dataDir);
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        STATIC_DIR: join(dataDir, 'no-build'),
        LOG_LEVEL: 'warn',
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
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

  /** Kills every process still running (afterEach). */
  killAll(): void {
    for (const child of this.children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** Resolves when the process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
