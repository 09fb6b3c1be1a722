/**
 * MARC-8, the pre-Unicode character coding of MARC 21 records (leader/09 blank), for the sets that
 * Russian and Kazakh records use: Basic Latin (ASCII), ANSEL (extended Latin with combining
 * diacritics, for transliterated names), Basic and Extended Cyrillic. MARC-8 has no Kazakh letters
 * (Ә Ғ Қ Ң Ө Ұ Ү Һ): records with Kazakh text are in UTF-8. The Greek, Hebrew, Arabic and East Asian
 * sets are not supported; their characters become U+FFFD and the caller warns.
 *
 * Escape sequences (ISO 2022) designate the set in G0 (bytes 0x21–0x7E) or G1 (0xA1–0xFE); the
 * defaults are ASCII and ANSEL. Combining marks precede their base letter in MARC-8 and follow it in
 * Unicode, so they are held back until the next base character.
 */

const ESC = 0x1b;
const REPLACEMENT = '\ufffd';

type CharSet = 'ascii' | 'ansel' | 'cyrillic' | 'cyrillicExt' | 'unsupported';

/** Final bytes of the designating escape sequences. */
function setFor(final: number): CharSet {
  switch (final) {
    case 0x42: // B: Basic Latin
    case 0x73: // s: ASCII (technique 1)
      return 'ascii';
    case 0x45: // E: ANSEL
      return 'ansel';
    case 0x4e: // N: Basic Cyrillic
      return 'cyrillic';
    case 0x51: // Q: Extended Cyrillic
      return 'cyrillicExt';
    default:
      return 'unsupported';
  }
}

/** Basic Cyrillic, positions 0x40–0x7E: the letters in the KOI-8 order. */
const CYRILLIC_BASIC = 'юабцдефгхийклмнопярстужвьызшэщчъЮАБЦДЕФГХИЙКЛМНОПЯРСТУЖВЬЫЗШЭЩЧ';

/** Extended Cyrillic, positions 0x40–0x73 (undefined positions are empty). */
const CYRILLIC_EXTENDED: Record<number, string> = (() => {
  const out: Record<number, string> = { 0x5b: '[', 0x5d: ']', 0x5f: '_', 0x6f: 'Ъ' };
  [...'ґђѓєёѕіїјљњћќўџ'].forEach((c, i) => (out[0x40 + i] = c));
  [...'ѣѳѵѫ'].forEach((c, i) => (out[0x50 + i] = c));
  [...'ҐЂЃЄЁЅІЇЈЉЊЋЌЎЏ'].forEach((c, i) => (out[0x60 + i] = c));
  [...'ѢѲѴѪ'].forEach((c, i) => (out[0x70 + i] = c));
  return out;
})();

/** ANSEL spacing characters, by G1 byte. */
const ANSEL_SPACING: Record<number, string> = {
  0xa1: 'Ł',
  0xa2: 'Ø',
  0xa3: 'Đ',
  0xa4: 'Þ',
  0xa5: 'Æ',
  0xa6: 'Œ',
  0xa7: 'ʹ',
  0xa8: '·',
  0xa9: '♭',
  0xaa: '®',
  0xab: '±',
  0xac: 'Ơ',
  0xad: 'Ư',
  0xae: 'ʼ',
  0xb0: 'ʻ',
  0xb1: 'ł',
  0xb2: 'ø',
  0xb3: 'đ',
  0xb4: 'þ',
  0xb5: 'æ',
  0xb6: 'œ',
  0xb7: 'ʺ',
  0xb8: 'ı',
  0xb9: '£',
  0xba: 'ð',
  0xbc: 'ơ',
  0xbd: 'ư',
  0xc0: '°',
  0xc1: 'ℓ',
  0xc2: '℗',
  0xc3: '©',
  0xc4: '♯',
  0xc5: '¿',
  0xc6: '¡',
  0xc7: 'ß',
  0xc8: '€',
};

/** ANSEL combining diacritics, by G1 byte. */
const ANSEL_COMBINING: Record<number, string> = {
  0xe0: '\u0309',
  0xe1: '\u0300',
  0xe2: '\u0301',
  0xe3: '\u0302',
  0xe4: '\u0303',
  0xe5: '\u0304',
  0xe6: '\u0306',
  0xe7: '\u0307',
  0xe8: '\u0308',
  0xe9: '\u030c',
  0xea: '\u030a',
  0xeb: '\ufe20',
  0xec: '\ufe21',
  0xed: '\u0315',
  0xee: '\u030b',
  0xef: '\u0310',
  0xf0: '\u0327',
  0xf1: '\u0328',
  0xf2: '\u0323',
  0xf3: '\u0324',
  0xf4: '\u0325',
  0xf5: '\u0333',
  0xf6: '\u0332',
  0xf7: '\u0326',
  0xf8: '\u031c',
  0xf9: '\u032e',
  0xfa: '\ufe22',
  0xfb: '\ufe23',
  0xfe: '\u0313',
};

/** One character of `set` at 7-bit position `p` (0x21–0x7E); combining marks are flagged. */
function lookup(set: CharSet, p: number): { char: string; combining: boolean } | null {
  switch (set) {
    case 'ascii':
      return { char: String.fromCharCode(p), combining: false };
    case 'ansel': {
      const g1 = p | 0x80;
      const comb = ANSEL_COMBINING[g1];
      if (comb) return { char: comb, combining: true };
      const sp = ANSEL_SPACING[g1];
      return sp ? { char: sp, combining: false } : null;
    }
    case 'cyrillic':
      if (p < 0x40) return { char: String.fromCharCode(p), combining: false };
      return { char: CYRILLIC_BASIC[p - 0x40] ?? REPLACEMENT, combining: false };
    case 'cyrillicExt': {
      const c = CYRILLIC_EXTENDED[p];
      return c ? { char: c, combining: false } : null;
    }
    case 'unsupported':
      return null;
  }
}

export interface Marc8Result {
  text: string;
  /** True when characters of a set we do not decode (Greek, Hebrew, Arabic, CJK) were replaced. */
  unsupported: boolean;
}

/** Decodes one field or subfield (MARC-8 resets to the default sets at each field). */
export function decodeMarc8(bytes: Uint8Array): Marc8Result {
  let g0: CharSet = 'ascii';
  let g1: CharSet = 'ansel';
  let multibyte = false;
  let out = '';
  let pending = '';
  let unsupported = false;
  const emit = (c: string) => {
    out += c + pending;
    pending = '';
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === ESC) {
      const b1 = bytes[i + 1];
      const b2 = bytes[i + 2];
      if (b1 === 0x28 || b1 === 0x2c) {
        // ESC ( F or ESC , F: G0
        if (b2 !== undefined) g0 = setFor(b2);
        multibyte = false;
        i += 2;
      } else if (b1 === 0x29 || b1 === 0x2d) {
        if (b2 !== undefined) g1 = setFor(b2);
        i += 2;
      } else if (b1 === 0x24) {
        // ESC $ F / ESC $ , F / ESC $ ) F: the East Asian (3-byte) set
        multibyte = true;
        unsupported = true;
        i += b2 === 0x2c || b2 === 0x29 || b2 === 0x2d ? 3 : 2;
      } else if (b1 === 0x67 || b1 === 0x62 || b1 === 0x70) {
        // Technique 1: Greek symbols, subscripts, superscripts
        g0 = 'unsupported';
        i += 1;
      } else if (b1 === 0x73) {
        g0 = 'ascii';
        multibyte = false;
        i += 1;
      }
      continue;
    }
    if (b < 0x21 || b === 0x7f || b === 0xff || (b >= 0x80 && b < 0xa1)) {
      // Space and controls pass through; C1 controls and 0xFF have no meaning.
      if (b === 0x20) emit(' ');
      continue;
    }
    if (multibyte) {
      // Skip the 3-byte character.
      out += REPLACEMENT;
      i += 2;
      continue;
    }
    const c = b < 0x80 ? lookup(g0, b) : lookup(g1, b & 0x7f);
    if (!c) {
      unsupported = true;
      emit(REPLACEMENT);
    } else if (c.combining) pending += c.char;
    else emit(c.char);
  }
  out += pending;
  return { text: out.normalize('NFC'), unsupported };
}
