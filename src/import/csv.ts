import Papa from 'papaparse';
import { decodeBytes, detectBom, sniffEncoding } from './encoding.ts';
import {
  DELIMITERS,
  LIMITS,
  type Delimiter,
  type Issue,
  type ParseOptions,
  type RejectedResult,
  type TableResult,
  type TableRow,
} from './types.ts';

/**
 * CSV (and tab-separated text) from spreadsheets and catalogue reports, parsed by Papa Parse.
 * Russian and Kazakh Excel saves CSV with semicolons in Windows-1251 (or UTF-8 with a BOM, or
 * "Unicode text": UTF-16 with tabs); the delimiter is guessed unless the user picks one.
 *
 * Papa Parse turns itself into a worker message handler when it is loaded from a blob: URL; our
 * worker is a module file (never inlined as a blob), so it stays a plain library here.
 */

/**
 * The delimiter of the first records: the one that occurs (outside quotes) the same number of times
 * in the most records, the header included. Papa Parse's own guess gives up on files with one data
 * row or with blank lines.
 */
export function guessDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number>[] = [];
  let current = zeroCounts();
  let inQuotes = false;
  let blank = true;
  const end = Math.min(text.length, 256 * 1024);
  for (let i = 0; i < end && counts.length < 30; i++) {
    const c = text[i] as string;
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) {
      if (!blank) counts.push(current);
      current = zeroCounts();
      blank = true;
      continue;
    } else if (!inQuotes && (DELIMITERS as readonly string[]).includes(c))
      current[c as Delimiter]++;
    if (c.trim()) blank = false;
  }
  if (!blank) counts.push(current);
  let best: Delimiter = ',';
  let bestScore = -1;
  for (const d of PREFERENCE) {
    const first = counts[0]?.[d] ?? 0;
    if (first === 0) continue;
    const agreeing = counts.filter((c) => c[d] === first).length;
    const score = agreeing * 1000 + first;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/** On a tie, the order in which exports from our region most often use them. */
const PREFERENCE: Delimiter[] = [';', '\t', ',', '|'];

const zeroCounts = (): Record<Delimiter, number> => ({ ',': 0, ';': 0, '\t': 0, '|': 0 });

export function parseCsv(
  bytes: Uint8Array,
  opts: ParseOptions,
  onProgress: (fraction: number) => void = () => {},
): TableResult | RejectedResult {
  const bom = detectBom(bytes);
  const encoding = opts.encoding === 'auto' ? sniffEncoding(bytes) : opts.encoding;
  let text = decodeBytes(
    bom && bom.encoding === encoding ? bytes.subarray(bom.length) : bytes,
    encoding,
  );
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) return { kind: 'rejected', format: 'csv', issue: err('empty') };

  const rows: TableRow[] = [];
  const issues: Issue[] = [];
  let columns: string[] | null = null;
  let rowNumber = 0;
  let rejected: Issue | null = null;
  let lastProgress = 0;
  const delimiter: Delimiter = opts.delimiter === 'auto' ? guessDelimiter(text) : opts.delimiter;

  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: false,
    step: (res, parser) => {
      rowNumber++;
      const cells = res.data.map((c) => c ?? '');
      const rowIssues: Issue[] = [];
      for (const e of res.errors) {
        if (e.code === 'MissingQuotes') rowIssues.push(err('unclosedQuote'));
        else if (e.code === 'InvalidQuotes') rowIssues.push(err('badQuote'));
        else if (e.type !== 'Delimiter' && e.type !== 'FieldMismatch')
          rowIssues.push({ code: 'csvError', severity: 'error', params: { reason: e.message } });
      }
      if (cells.every((c) => !c.trim()) && rowIssues.length === 0) return; // empty line
      if (columns === null) {
        if (cells.length > LIMITS.columns) {
          rejected = { code: 'tooManyColumns', severity: 'error', params: { max: LIMITS.columns } };
          parser.abort();
          return;
        }
        if (opts.header) {
          columns = cells.map((c) => c.replace(/\s+/g, ' ').trim());
          return;
        }
        columns = cells.map(() => '');
      }
      if (rows.length >= LIMITS.records) {
        issues.push({
          code: 'tooManyRecords',
          severity: 'warning',
          params: { max: LIMITS.records },
        });
        parser.abort();
        return;
      }
      const broken = rowIssues.length > 0; // a quote error already explains the field count
      if (!broken && cells.length > columns.length)
        rowIssues.push({
          code: 'fieldCount',
          severity: 'error',
          params: { found: cells.length, expected: columns.length },
        });
      else if (!broken && cells.length < columns.length)
        rowIssues.push({
          code: 'fieldCountShort',
          severity: 'warning',
          params: { found: cells.length, expected: columns.length },
        });
      rows.push({ number: rowNumber, cells, issues: rowIssues });
      const cursor = res.meta.cursor;
      if (cursor - lastProgress > text.length / 50) {
        lastProgress = cursor;
        onProgress(cursor / text.length);
      }
    },
  });
  onProgress(1);
  if (rejected) return { kind: 'rejected', format: 'csv', issue: rejected };
  if (!columns) return { kind: 'rejected', format: 'csv', issue: err('empty') };
  if (rows.length === 0) return { kind: 'rejected', format: 'csv', issue: err('noRecords') };
  return {
    kind: 'table',
    format: 'csv',
    encoding,
    delimiter,
    columns,
    rows,
    issues,
  };
}

const err = (code: Issue['code']): Issue => ({ code, severity: 'error' });
