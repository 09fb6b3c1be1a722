import { parseCsv } from './csv.ts';
import { detectBom } from './encoding.ts';
import { leaderAt, parseIso2709 } from './iso2709.ts';
import { parseMarcXml } from './marcxml.ts';
import { LIMITS, type FileFormat, type ParseOptions, type ParseResult } from './types.ts';

/**
 * Entry point of the parsers (run in the import worker): recognises the file by its content (the
 * name only breaks ties), refuses what is too big or not text, and hands it to the right parser.
 */

const MARC_EXTENSIONS = /\.(mrc|iso|marc|iso2709)$/i;
const XML_EXTENSIONS = /\.xml$/i;

/** What the file is, or null for something we cannot read (binary, or empty). */
export function detectFormat(bytes: Uint8Array, fileName: string): FileFormat | 'binary' | null {
  const bom = detectBom(bytes);
  let at = bom?.encoding === 'utf-8' ? 3 : 0;
  while (at < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[at] as number)) at++;
  if (at >= bytes.length) return null;
  if (bom && bom.encoding !== 'utf-8') {
    // UTF-16: XML or text; look at the first character.
    const first = bom.encoding === 'utf-16le' ? bytes[2] : bytes[3];
    return first === 0x3c ? 'marcxml' : 'csv';
  }
  if (bytes[at] === 0x3c) return 'marcxml';
  if (leaderAt(bytes, at) && bytes.subarray(0, 100_000).includes(0x1e)) return 'iso2709';
  if (looksBinary(bytes)) return 'binary';
  if (MARC_EXTENSIONS.test(fileName)) return 'binary';
  if (XML_EXTENSIONS.test(fileName)) return 'marcxml';
  return 'csv';
}

/** NUL bytes or many control characters in the first 64 KB: not a text file. */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 64 * 1024);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) control++;
  }
  return control > sample.length / 100;
}

export function parseFile(
  bytes: Uint8Array,
  fileName: string,
  opts: ParseOptions,
  onProgress: (fraction: number) => void = () => {},
): ParseResult {
  if (bytes.length > LIMITS.fileBytes)
    return {
      kind: 'rejected',
      format: null,
      issue: {
        code: 'tooLarge',
        severity: 'error',
        params: { max: Math.round(LIMITS.fileBytes / 1024 / 1024) },
      },
    };
  const format = detectFormat(bytes, fileName);
  if (format === null)
    return { kind: 'rejected', format: null, issue: { code: 'empty', severity: 'error' } };
  if (format === 'binary')
    return { kind: 'rejected', format: null, issue: { code: 'binary', severity: 'error' } };
  try {
    switch (format) {
      case 'csv':
        return parseCsv(bytes, opts, onProgress);
      case 'marcxml':
        return parseMarcXml(bytes, opts, onProgress);
      case 'iso2709':
        return parseIso2709(bytes, opts, onProgress);
    }
  } catch (e) {
    // A parser bug must not leave the dialog waiting: report it as a file that could not be read.
    return {
      kind: 'rejected',
      format,
      issue: { code: 'failed', severity: 'error', params: { reason: String(e) } },
    };
  }
}
