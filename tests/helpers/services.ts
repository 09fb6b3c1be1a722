import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Real PostgreSQL and Redis servers for the tests, on free ports in temporary directories, so
 * that tests can stop, kill and restart them. Nothing is mocked.
 *
 * initdb refuses to run as root: as root, the cluster belongs to the `postgres` user (which
 * Debian's postgresql package creates) and its commands run through `runuser`.
 */

export const MISSING_SERVICES =
  'PostgreSQL and Redis tests need the Debian packages postgresql (15) and redis-server ' +
  '(apt-get install -y postgresql redis-server); skipping them.';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Directory of initdb/pg_ctl: on PATH, or where Debian's package puts them. */
export function postgresBinDir(): string | undefined {
  const found = onPath('initdb');
  if (found) return join(found, '..');
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions)
    if (existsSync(join(base, v, 'bin', 'initdb'))) return join(base, v, 'bin');
  return undefined;
}

export function redisBinary(): string | undefined {
  return (
    onPath('redis-server') ??
    (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined)
  );
}

export function servicesAvailable(): boolean {
  return postgresBinDir() !== undefined && redisBinary() !== undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

function run(bin: string, args: string[]): void {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }
}

/** A PostgreSQL cluster of its own: `url` is its superuser's connection to database `postgres`. */
export class TestPostgres {
  readonly url: string;
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly durable: boolean,
  ) {
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  }

  /** `durable`: fsync on, as in production (benchmarks); tests run without it. */
  static async start({ durable = false } = {}): Promise<TestPostgres> {
    const bin = postgresBinDir();
    if (!bin) throw new Error(MISSING_SERVICES);
    const dir = mkdtempSync(join(tmpdir(), 'flashbook-pg-'));
    if (asRoot) chownSync(dir, uid('postgres'), gid('postgres'));
    run(join(bin, 'initdb'), [
      '-D',
      join(dir, 'data'),
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    const pgsql = new TestPostgres(dir, await freePort(), bin, durable);
    pgsql.startServer();
    return pgsql;
  }

  /** Starts (again) on the same port and data. */
  startServer(): void {
    // fsync off: a killed server still loses nothing (the OS has the writes); only power loss would.
    run(join(this.bin, 'pg_ctl'), [
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=${this.durable ? 'on' : 'off'} -c max_connections=400`,
      'start',
    ]);
  }

  /** `immediate` is a crash as far as clients can tell: connections drop without goodbye. */
  stopServer(mode: 'fast' | 'immediate' = 'fast'): void {
    run(join(this.bin, 'pg_ctl'), ['-D', join(this.dir, 'data'), '-m', mode, '-w', 'stop']);
  }

  database(key: string): Promise<string> {
    return createDatabase(this.url, key);
  }

  destroy(): void {
    try {
      this.stopServer('immediate');
    } catch {
      // Already stopped.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A database for one server's data dir on the cluster at `adminUrl`: the same dir gets the same
 * database, so a restarted server finds its data.
 */
export async function createDatabase(adminUrl: string, key: string): Promise<string> {
  const name = 'fb_' + createHash('sha256').update(key).digest('hex').slice(0, 24);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // exists already
  } finally {
    await client.end();
  }
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

export async function dropDatabase(adminUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function uid(user: string): number {
  return Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
}
function gid(user: string): number {
  return Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
}

/** A Redis server of its own, without persistence (pub/sub keeps nothing anyway). */
export class TestRedis {
  private child: ChildProcess | undefined;
  readonly url: string;
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  static async start(): Promise<TestRedis> {
    if (!redisBinary()) throw new Error(MISSING_SERVICES);
    const redis = new TestRedis(mkdtempSync(join(tmpdir(), 'flashbook-redis-')), await freePort());
    await redis.startServer();
    return redis;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null;
  }

  async startServer(): Promise<void> {
    const child = spawn(
      redisBinary()!,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
    });
  }

  /** SIGKILL: subscribers lose their connection and whatever was in flight. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
