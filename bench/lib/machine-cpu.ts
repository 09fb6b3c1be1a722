/**
 * Where the machine's CPU went while a benchmark measured (Linux, from /proc): the benchmark's
 * own processes by kind (client workers, servers, PostgreSQL, Redis, the benchmark itself) and
 * everything else on the machine, which is not ours and says how quiet the run was. On a machine
 * without /proc it reports nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { round } from './report.ts';

interface Proc {
  ppid: number;
  /** utime + stime, seconds. */
  cpuS: number;
  args: string;
}

/** Processes by pid; `busyS` under key 0: the whole machine's busy CPU time (/proc/stat). */
export type CpuSnapshot = Map<number, Proc>;

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on
const markers: string[] = [];

/**
 * Processes whose command line contains `marker`, and their descendants, are this benchmark's
 * even if they are not its descendants (PostgreSQL's postmaster is started by pg_ctl, which
 * exits: its parent is then init). For TestPostgres: its data directory.
 */
export function countAsOurs(marker: string): void {
  markers.push(marker);
}

export function cpuSnapshot(): CpuSnapshot {
  const out: CpuSnapshot = new Map();
  try {
    // cpu  user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
    const n = f.map(Number);
    const busy = n[0]! + n[1]! + n[2]! + n[5]! + n[6]! + n[7]!;
    out.set(0, { ppid: 0, cpuS: busy / TICKS_PER_SECOND, args: '' });
  } catch {
    return out;
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after "(comm)": state ppid … utime(12th) stime(13th).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out.set(Number(entry), {
        ppid: Number(fields[1]),
        cpuS: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
        args,
      });
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

function kindOf(pid: number, snapshot: CpuSnapshot): string {
  let p: number | undefined = pid;
  let ours = false;
  for (let hops = 0; p !== undefined && p > 1 && hops < 32; hops++) {
    const args = snapshot.get(p)?.args ?? '';
    if (p === process.pid || markers.some((m) => args.includes(m))) {
      ours = true;
      break;
    }
    p = snapshot.get(p)?.ppid;
  }
  if (!ours) return 'other';
  const args = snapshot.get(pid)?.args ?? '';
  if (pid === process.pid) return 'bench';
  if (args.includes('client-worker')) return 'clients';
  if (args.includes('server-child')) return 'servers';
  if (args.startsWith('postgres') || args.includes('/postgres ')) return 'postgres';
  if (args.includes('redis-server')) return 'redis';
  return 'bench';
}

/**
 * CPU used between two snapshots by kind, as a share of one core over `seconds`. `other` is the
 * machine's busy time (/proc/stat) less this benchmark's processes: everyone else's work, also
 * processes that started and ended in between (which a list of processes misses), and the kernel's.
 */
export function cpuByKind(
  before: CpuSnapshot,
  after: CpuSnapshot,
  seconds: number,
): Record<string, number> {
  const used: Record<string, number> = {};
  for (const [pid, proc] of after) {
    if (pid === 0) continue;
    const delta = proc.cpuS - (before.get(pid)?.cpuS ?? 0);
    if (delta <= 0) continue;
    const kind = kindOf(pid, after);
    if (kind !== 'other') used[kind] = (used[kind] ?? 0) + delta;
  }
  const machine = (after.get(0)?.cpuS ?? 0) - (before.get(0)?.cpuS ?? 0);
  const ours = Object.values(used).reduce((a, b) => a + b, 0);
  if (after.has(0)) used['other'] = Math.max(0, machine - ours);
  const shares: Record<string, number> = {};
  for (const [kind, s] of Object.entries(used).sort()) shares[kind] = round(s / seconds);
  return shares;
}
