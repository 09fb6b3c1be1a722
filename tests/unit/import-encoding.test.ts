import { describe, expect, it } from 'vitest';
import {
  cleanText,
  decodeBytes,
  detectBom,
  looksLikeKz1048,
  sniffEncoding,
} from '../../src/import/encoding.ts';
import { decodeMarc8 } from '../../src/import/marc8.ts';

const bytes = (...b: number[]) => new Uint8Array(b);
const cp1251 = (s: string) => {
  const d = new TextDecoder('windows-1251');
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(d.decode(bytes(b)), b);
  return new Uint8Array([...s].map((c) => table.get(c) ?? 0x3f));
};

describe('decodeBytes', () => {
  it('decodes the 16 Kazakh positions of KZ-1048 and the rest as Windows-1251', () => {
    const kz = bytes(0xa3, 0xaa, 0x8d, 0xbd, 0xa5, 0xa1, 0xaf, 0x8e, 0xb2);
    expect(decodeBytes(kz, 'kz-1048')).toBe('ӘҒҚҢӨҰҮҺІ');
    const small = bytes(0xbc, 0xba, 0x9d, 0xbe, 0xb4, 0xa2, 0xbf, 0x9e, 0xb3);
    expect(decodeBytes(small, 'kz-1048')).toBe('әғқңөұүһі');
    expect(decodeBytes(cp1251('Абай жолы, 1942 ж.'), 'kz-1048')).toBe('Абай жолы, 1942 ж.');
    // The same bytes in Windows-1251 are Macedonian, Serbian and Ukrainian letters.
    expect(decodeBytes(kz, 'windows-1251')).toBe('ЈЄЌЅҐЎЇЋІ');
  });

  it('decodes the encodings TextDecoder has', () => {
    expect(decodeBytes(cp1251('Война и мир'), 'windows-1251')).toBe('Война и мир');
    expect(decodeBytes(bytes(0x8c, 0xa8, 0xe0), 'ibm866')).toBe('Мир');
    expect(decodeBytes(bytes(0xed, 0xc9, 0xd2), 'koi8-r')).toBe('Мир');
    expect(decodeBytes(new TextEncoder().encode('Қазақ'), 'utf-8')).toBe('Қазақ');
  });
});

describe('sniffEncoding', () => {
  it('reads byte order marks', () => {
    expect(detectBom(bytes(0xef, 0xbb, 0xbf, 0x41))).toEqual({ encoding: 'utf-8', length: 3 });
    expect(detectBom(bytes(0xff, 0xfe, 0x41, 0))).toEqual({ encoding: 'utf-16le', length: 2 });
    expect(sniffEncoding(bytes(0xfe, 0xff, 0, 0x41))).toBe('utf-16be');
  });

  it('tells UTF-8, Windows-1251, KZ-1048 and CP866 apart', () => {
    expect(sniffEncoding(new TextEncoder().encode('Өмір мектебі; Абай жолы'))).toBe('utf-8');
    expect(sniffEncoding(bytes(0x41, 0x42))).toBe('utf-8');
    expect(sniffEncoding(cp1251('Василий Тёркин; Повесть о настоящем человеке'))).toBe(
      'windows-1251',
    );
    // "Қазақ солдаты" in KZ-1048: Қ = 0x8D, қ = 0x9D
    const kazakh = new Uint8Array([0x8d, ...cp1251('аза'), 0x9d, ...cp1251(' солдаты')]);
    expect(looksLikeKz1048(kazakh)).toBe(true);
    expect(sniffEncoding(kazakh)).toBe('kz-1048');
    // "привет мир" in CP866
    const dos = bytes(0xaf, 0xe0, 0xa8, 0xa2, 0xa5, 0xe2, 0x20, 0xac, 0xa8, 0xe0);
    expect(sniffEncoding(dos)).toBe('ibm866');
  });

  it('looks at a sample of a big file without being misled by a character cut at its end', () => {
    // 'Қ' is two bytes; 256 KiB of it leaves the sample's end in the middle of one.
    const big = new TextEncoder().encode(`x${'Қ'.repeat(200_000)}`);
    expect(sniffEncoding(big)).toBe('utf-8');
  });

  it('does not take Russian or Ukrainian text for Kazakh', () => {
    expect(looksLikeKz1048(cp1251('Съешь же ещё этих мягких французских булок'))).toBe(false);
    expect(looksLikeKz1048(cp1251('Україна, їжак, ґанок, єдність'))).toBe(false);
  });
});

describe('cleanText', () => {
  it('removes control characters, keeps line breaks and tabs, and composes to NFC', () => {
    expect(cleanText('a\u0000b\u0007c\nd\te\u009f')).toBe('abc\nd\te');
    expect(cleanText('Толстой Лев И\u0306.')).toBe('Толстой Лев Й.');
  });
});

describe('decodeMarc8', () => {
  it('switches to Basic Cyrillic and back with escape sequences', () => {
    const esc = (f: number) => [0x1b, 0x28, f];
    // "Мир 1869" : М = 0x6D, и = 0x49, р = 0x52
    const b = bytes(...esc(0x4e), 0x6d, 0x49, 0x52, ...esc(0x42), 0x20, 0x31, 0x38, 0x36, 0x39);
    expect(decodeMarc8(b)).toEqual({ text: 'Мир 1869', unsupported: false });
  });

  it('moves ANSEL combining marks after their letter', () => {
    // "Tolstoĭ": breve (0xE6) precedes the i
    const b = bytes(...new TextEncoder().encode('Tolsto'), 0xe6, 0x69);
    expect(decodeMarc8(b).text).toBe('Tolstoĭ');
    expect(decodeMarc8(bytes(0xe2, 0x65)).text).toBe('é');
  });

  it('reads Extended Cyrillic through G1', () => {
    // ESC ) Q designates Extended Cyrillic into G1; 0xC6 = і, 0xE4 = Ё
    expect(decodeMarc8(bytes(0x1b, 0x29, 0x51, 0xc6, 0xe4)).text).toBe('іЁ');
  });

  it('replaces sets it does not decode, and says so', () => {
    const greek = bytes(0x1b, 0x28, 0x53, 0x41, 0x1b, 0x28, 0x42, 0x41);
    expect(decodeMarc8(greek)).toEqual({ text: '\ufffdA', unsupported: true });
  });
});
