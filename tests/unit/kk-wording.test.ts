import { describe, expect, it } from 'vitest';
import en from '../../src/i18n/locales/en.json';
import kk from '../../src/i18n/locales/kk.json';

/** key -> value, with nested sections joined by dots. */
function flatten(obj: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [k2, v2] of flatten(v, key)) out.set(k2, v2);
  }
  return out;
}

/**
 * One Kazakh word per thing: a post is «пост», its caption is «пост мәтіні» (мәтін), and «жазба»
 * keeps its library meaning, a catalogue record (it used to mean post in the sidebar and caption
 * in the form).
 */
describe('Kazakh wording', () => {
  const english = flatten(en);
  const kazakh = flatten(kk);
  const pairs = [...english].map(([key, value]) => ({ key, en: value, kk: kazakh.get(key) ?? '' }));

  it('calls a post «пост» wherever the English says post', () => {
    const wrong = pairs.filter((p) => /\bposts?\b/i.test(p.en) && !/пост/iu.test(p.kk));
    expect(wrong).toEqual([]);
  });

  it('calls a caption «мәтін» wherever the English says caption', () => {
    const wrong = pairs.filter((p) => /\bcaptions?\b/i.test(p.en) && !/мәтін/iu.test(p.kk));
    expect(wrong).toEqual([]);
  });

  it('uses «жазба» only for catalogue records', () => {
    const wrong = pairs.filter((p) => /жазба|жазу/iu.test(p.kk) && !/\brecords?\b/i.test(p.en));
    expect(wrong).toEqual([]);
  });
});
