/**
 * A process of stock y-websocket editors (see client-pool.ts, which forks it). Spreading the
 * editors over several of these keeps the benchmark's own clients from being what is measured:
 * every editor applies every update of its room, and with 100+ editors in one process that
 * process, not the server, is the bottleneck.
 */
import * as Y from 'yjs';
import { getText } from '../../src/model/flashbook.ts';
import { connectClient, synced, type BenchClient } from './servers.ts';
import { now, type EditorSpec, type WorkerReport, type WorkerRequest } from './editors.ts';

interface Editor {
  spec: EditorSpec;
  client: BenchClient;
  text: Y.Text;
  stopped: boolean;
}

const editors: Editor[] = [];
let running = false;
let measureFrom = Infinity;
let measureUntil = -Infinity;
let recordUntil = -Infinity;
const sent: [number, number, number][] = [];
// key `${client}:${clock}` → [latest arrival, count]
const received = new Map<string, [number, number]>();
const closes: Record<string, number> = {};
let awarenessSent = 0;
let cpuAtStart: NodeJS.CpuUsage | null = null;
let cpuMs = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = (ms: number) => ms * (0.5 + Math.random());

function watch(editor: Editor): void {
  const { client } = editor;
  client.doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== client.provider) return;
    const at = now();
    if (at < measureFrom || at > recordUntil) return;
    const { from, to } = Y.parseUpdateMeta(update);
    for (const [id, start] of from) {
      if (id === client.doc.clientID) continue;
      for (let clock = start; clock < (to.get(id) ?? start); clock++) {
        const key = `${id}:${clock}`;
        const r = received.get(key);
        if (r) {
          r[0] = Math.max(r[0], at);
          r[1]++;
        } else received.set(key, [at, 1]);
      }
    }
  });
  client.provider.on('connection-close', (event: { code?: number } | null) => {
    if (!running) return;
    const code = String(event?.code ?? 'no code');
    closes[code] = (closes[code] ?? 0) + 1;
  });
  // y-websocket 3 stops for good on 4400–4499 and says so.
  client.provider.on('connection-close', (event: { code?: number } | null) => {
    const code = event?.code ?? 0;
    if (code >= 4400 && code < 4500) editor.stopped = true;
  });
}

async function type(editor: Editor, stopAt: number): Promise<void> {
  const { client, text, spec } = editor;
  await sleep(Math.random() * 1000);
  let word = 0;
  while (now() < stopAt) {
    const clock = Y.getState(client.doc.store, client.doc.clientID);
    const at = now();
    text.insert(text.length, 'abcdefghijklmnopqrstuvwxyz'[clock % 26]!);
    if (at >= measureFrom && at < measureUntil && !editor.stopped) {
      sent.push([client.doc.clientID, clock, at]);
    }
    if (spec.typing.kind === 'steady') {
      await sleep(jitter(spec.typing.ms));
      continue;
    }
    const t = spec.typing;
    if (word <= 0) word = t.wordMin + Math.floor(Math.random() * (t.wordMax - t.wordMin + 1));
    word--;
    if (word > 0) await sleep(jitter(t.keyMs));
    else {
      text.insert(text.length, ' ');
      await sleep(jitter(t.pauseMs));
    }
  }
}

async function moveCaret(editor: Editor, stopAt: number): Promise<void> {
  const { caretMs } = editor.spec;
  if (caretMs === null) return;
  const { client, text } = editor;
  await sleep(Math.random() * caretMs);
  while (now() < stopAt) {
    const index = Math.floor(Math.random() * (text.length + 1));
    const pos = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, index));
    client.provider.awareness.setLocalStateField('cursor', { anchor: pos, head: pos });
    awarenessSent++;
    await sleep(jitter(caretMs));
  }
}

async function connect(url: string, specs: EditorSpec[]): Promise<number[]> {
  const made = specs.map((spec) => {
    const client = connectClient({ url }, spec.room);
    return { spec, client, text: null as unknown as Y.Text, stopped: false };
  });
  for (const e of made) {
    await synced(e.client);
    const deadline = now() + 30_000;
    let text = getText(e.client.doc, { kind: 'slide', slideId: e.spec.slideId, field: 'title' });
    while (!text && now() < deadline) {
      await sleep(20);
      text = getText(e.client.doc, { kind: 'slide', slideId: e.spec.slideId, field: 'title' });
    }
    if (!text) throw new Error(`slide ${e.spec.slideId} never arrived`);
    e.text = text;
    e.client.provider.awareness.setLocalStateField('user', {
      name: e.spec.name,
      library: 'Bench',
      color: '#2a6',
    });
    watch(e);
    editors.push(e);
  }
  return made.map((e) => e.client.doc.clientID);
}

async function run(from: number, until: number, stopAt: number, record: number): Promise<void> {
  measureFrom = from;
  measureUntil = until;
  recordUntil = record;
  running = true;
  void sleep(Math.max(0, from - now())).then(() => (cpuAtStart = process.cpuUsage()));
  void sleep(Math.max(0, until - now())).then(() => {
    const d = process.cpuUsage(cpuAtStart ?? undefined);
    cpuMs = (d.user + d.system) / 1000;
  });
  await Promise.all(editors.flatMap((e) => [type(e, stopAt), moveCaret(e, stopAt)]));
}

function report(): WorkerReport {
  running = false;
  return {
    sent,
    received: [...received].map(([key, [at, count]]) => {
      const [id, clock] = key.split(':');
      return [Number(id), Number(clock), at, count];
    }),
    closes,
    stopped: editors.filter((e) => e.stopped).length,
    disconnectedAtEnd: editors.filter((e) => !e.client.provider.wsconnected).length,
    cpuMs,
    awarenessSent,
  };
}

process.setMaxListeners(0); // each provider listens for 'exit'
process.on('message', (msg: WorkerRequest) => {
  void (async () => {
    try {
      if (msg.type === 'connect') {
        process.send!({ type: 'connected', clientIds: await connect(msg.url, msg.editors) });
      } else if (msg.type === 'run') {
        process.send!({ type: 'started' });
        await run(msg.measureFrom, msg.measureUntil, msg.stopAt, msg.recordUntil);
        process.send!({ type: 'ran' });
      } else if (msg.type === 'report') {
        process.send!({ type: 'report', report: report() });
      } else if (msg.type === 'close') {
        for (const e of editors) e.client.destroy();
        process.send!({ type: 'closed' }, () => process.exit(0));
      }
    } catch (error) {
      process.send!({ type: 'error', message: String((error as Error).stack ?? error) });
    }
  })();
});
process.send!({ type: 'ready' });
