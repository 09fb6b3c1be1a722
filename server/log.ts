/**
 * Structured logs: one JSON object per line on stdout, so that any log shipper can parse them.
 * Never put tokens, invite keys or full URLs with query strings in a log entry: callers pass only
 * room ids, paths without query and close codes.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  t: string;
  level: LogLevel;
  event: string;
  [field: string]: unknown;
}

export type LogSink = (entry: LogEntry) => void;

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && value in RANK;
}

export const stdoutSink: LogSink = (entry) => {
  process.stdout.write(JSON.stringify(entry) + '\n');
};

export function createLogger(opts: { sink?: LogSink; quiet?: boolean; level?: LogLevel }): Logger {
  const sink = opts.quiet ? undefined : (opts.sink ?? stdoutSink);
  const min = RANK[opts.level ?? 'info'];
  const write = (level: LogLevel, event: string, fields?: Record<string, unknown>): void => {
    if (!sink || RANK[level] < min) return;
    try {
      sink({ t: new Date().toISOString(), level, event, ...fields });
    } catch {
      // A failing log sink (closed stdout, throwing test hook) must never take a request down.
    }
  };
  return {
    debug: (event, fields) => write('debug', event, fields),
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
  };
}

/** The message of an unknown thrown value, for logs (never its stack: it may quote user input). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
