import type { TextEncoding } from './types.ts';

/**
 * Decoding the text encodings that library software in Kazakhstan and Russia writes.
 *
 * `TextDecoder` (browsers and Node) covers UTF-8, UTF-16, Windows-1251, CP866 (DOS) and KOI8-R. It
 * does not cover KZ-1048 (the Kazakh national standard ST RK 1048-2002: Windows-1251 with 16
 * positions given to Ә Ғ Қ Ң Ө Ұ Ү Һ and their small letters), which Kazakh Windows setups and
 * IRBIS databases with Kazakh text use; we decode it with Windows-1251 and a table of the 16
 * differences. Plain Windows-1251 has no Kazakh letters at all.
 */

/** The 16 byte values where KZ-1048 differs from Windows-1251, with the Kazakh letter they carry. */
const KZ1048_OVERRIDES: ReadonlyMap<number, string> = new Map([
  [0x8d, 'Қ'],
  [0x8e, 'Һ'],
  [0x9d, 'қ'],
  [0x9e, 'һ'],
  [0xa1, 'Ұ'],
  [0xa2, 'ұ'],
  [0xa3, 'Ә'],
  [0xa5, 'Ө'],
  [0xaa, 'Ғ'],
  [0xaf, 'Ү'],
  [0xb4, 'ө'],
  [0xba, 'ғ'],
  [0xbc, 'ә'],
  [0xbd, 'Ң'],
  [0xbe, 'ң'],
  [0xbf, 'ү'],
]);

/**
 * Of those, the bytes that in Windows-1251 are Macedonian or Serbian letters (Ќ Ћ ќ ћ Ј ј Ѕ ѕ):
 * they do not occur in Russian, Ukrainian or Belarusian text, while their KZ-1048 meanings
 * (Қ Һ қ һ Ә ә Ң ң) are among the most frequent Kazakh letters.
 */
const KAZAKH_MARKERS = new Set([0x8d, 0x8e, 0x9d, 0x9e, 0xa3, 0xbc, 0xbd, 0xbe]);

let kz1048Table: string[] | null = null;

function kz1048(): string[] {
  if (!kz1048Table) {
    const base = new TextDecoder('windows-1251');
    kz1048Table = [];
    for (let b = 0; b < 256; b++)
      kz1048Table.push(KZ1048_OVERRIDES.get(b) ?? base.decode(new Uint8Array([b])));
  }
  return kz1048Table;
}

/** Decodes bytes; undecodable bytes become U+FFFD (callers warn about those). */
export function decodeBytes(bytes: Uint8Array, encoding: TextEncoding): string {
  if (encoding === 'kz-1048') {
    const table = kz1048();
    const parts: string[] = [];
    // Runs of ASCII go through one slice; only the high bytes are looked up.
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (b < 0x80) continue;
      if (i > start) parts.push(asciiSlice(bytes, start, i));
      parts.push(table[b] as string);
      start = i + 1;
    }
    if (start < bytes.length) parts.push(asciiSlice(bytes, start, bytes.length));
    return parts.join('');
  }
  return new TextDecoder(encoding, { ignoreBOM: false }).decode(bytes);
}

function asciiSlice(bytes: Uint8Array, start: number, end: number): string {
  return new TextDecoder('latin1').decode(bytes.subarray(start, end));
}

/** `partial`: the bytes are a prefix, so a character cut at the end is not an error. */
export function isValidUtf8(bytes: Uint8Array, partial = false): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: partial });
    return true;
  } catch {
    return false;
  }
}

/** The byte order mark at the start, if any, and its length. */
export function detectBom(bytes: Uint8Array): { encoding: TextEncoding; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

const isCyrillicByte1251 = (b: number) => b >= 0xc0 || KZ1048_OVERRIDES.has(b) || b === 0xb3;

/**
 * Whether single-byte Cyrillic text is KZ-1048 rather than Windows-1251: it is when bytes that are
 * Macedonian/Serbian letters in Windows-1251 stand inside Cyrillic words.
 */
export function looksLikeKz1048(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (!KAZAKH_MARKERS.has(b)) continue;
    const prev = i > 0 ? (bytes[i - 1] as number) : 0;
    const next = i + 1 < bytes.length ? (bytes[i + 1] as number) : 0;
    if (isCyrillicByte1251(prev) || isCyrillicByte1251(next)) return true;
  }
  return false;
}

/**
 * Whether single-byte Cyrillic text is the DOS code page 866 rather than Windows-1251. In CP866 the
 * letters а–п and all capitals sit at 0x80–0xAF, where Windows-1251 has mostly punctuation; the
 * frequent р–я sit at 0xE0–0xEF in both, and Windows-1251's 0xF0–0xFF (р–я) are rare in CP866.
 */
export function looksLikeCp866(bytes: Uint8Array): boolean {
  let low = 0; // 0x80–0xAF
  let high = 0; // 0xC0–0xDF and 0xF0–0xFF
  for (const b of bytes) {
    if (b >= 0x80 && b <= 0xaf) low++;
    else if ((b >= 0xc0 && b <= 0xdf) || b >= 0xf0) high++;
  }
  return low > high;
}

/**
 * Guesses the encoding of text without a declaration: valid UTF-8 is UTF-8 (pure ASCII is too);
 * otherwise one of the single-byte Cyrillic encodings.
 */
export function sniffEncoding(bytes: Uint8Array): TextEncoding {
  const bom = detectBom(bytes);
  if (bom) return bom.encoding;
  // A sample is enough to tell and keeps the check cheap for big files.
  const sample = sampleBytes(bytes, 256 * 1024);
  if (isValidUtf8(sample, sample.length < bytes.length)) return 'utf-8';
  if (looksLikeKz1048(sample)) return 'kz-1048';
  if (looksLikeCp866(sample)) return 'ibm866';
  return 'windows-1251';
}

function sampleBytes(bytes: Uint8Array, max: number): Uint8Array {
  return bytes.length <= max ? bytes : bytes.subarray(0, max);
}

/** Removes control characters (keeping tab and line breaks) and normalises to NFC. */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '').normalize('NFC');
}
