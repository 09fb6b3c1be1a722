import { describe, expect, it } from 'vitest';
import en from '../../src/i18n/locales/en.json';
import ru from '../../src/i18n/locales/ru.json';
import kk from '../../src/i18n/locales/kk.json';

const CATALOGS = { en, ru, kk } as const;
const PLURAL = /_(zero|one|two|few|many|other)$/;

/** key -> value, with nested sections joined by dots. */
function flatten(obj: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk2, vv] of flatten(v, key)) out.set(kk2, vv);
  }
  return out;
}

/** Plural forms differ by language (Russian has four, English two): compare their base keys. */
const baseKeys = (m: Map<string, string>) =>
  new Set([...m.keys()].map((k) => k.replace(PLURAL, '')));
const variables = (s: string) => [...s.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  const flat = Object.fromEntries(
    Object.entries(CATALOGS).map(([lng, c]) => [lng, flatten(c)]),
  ) as Record<keyof typeof CATALOGS, Map<string, string>>;

  it.each(Object.keys(CATALOGS))('%s has every key that another catalog has', (lng) => {
    const mine = baseKeys(flat[lng as keyof typeof CATALOGS]);
    const missing = new Set<string>();
    for (const other of Object.values(flat))
      for (const k of baseKeys(other)) if (!mine.has(k)) missing.add(k);
    expect([...missing]).toEqual([]);
  });

  it.each(Object.keys(CATALOGS))('%s has no empty strings', (lng) => {
    const empty = [...flat[lng as keyof typeof CATALOGS]]
      .filter(([, v]) => !v.trim())
      .map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it('uses the same interpolation variables in every language', () => {
    const mismatched: string[] = [];
    for (const [key, value] of flat.en) {
      const base = key.replace(PLURAL, '');
      for (const lng of ['ru', 'kk'] as const) {
        const forms = [...flat[lng]].filter(([k]) => k.replace(PLURAL, '') === base);
        for (const [k, v] of forms) {
          if (JSON.stringify(variables(v)) !== JSON.stringify(variables(value)))
            mismatched.push(`${lng}:${k}`);
        }
      }
    }
    expect(mismatched).toEqual([]);
  });

  it('has every plural form Russian needs', () => {
    const ruKeys = [...flat.ru.keys()];
    const bases = new Set(ruKeys.filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')));
    for (const base of bases) {
      for (const form of ['one', 'few', 'many', 'other'])
        expect(ruKeys).toContain(`${base}_${form}`);
    }
  });
});
