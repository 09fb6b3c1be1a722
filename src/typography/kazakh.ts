/**
 * Kazakh syllabification for hyphenation. No TeX patterns exist for Kazakh (neither `hyphen` nor
 * `hyphenopoly` ship any), so breaks follow the syllable rules of Kazakh orthography:
 * - every syllable has exactly one vowel (а ә е ё и о ө у ұ ү ы і э ю я);
 * - `у` right after a vowel is the consonant [w] (тау, Наурыз: Нау-рыз, та-уы);
 * - one consonant between vowels opens the next syllable (ба-ла), two are split (мек-теп);
 * - of three or more, the last one opens the next syllable (айт-ты), or the last two when they form
 *   an onset that loanwords keep together: a stop or fricative before р/л (Ле-нин-град), or с/ш
 *   before т/к/п (Қа-зақ-стан);
 * - ь and ъ stay with the consonant before them; after a separating sign the break follows it;
 * - a line never ends or starts with a single letter (өре-нім, not ө-ре-нім).
 */

const VOWELS = new Set('аәеёиоөуұүыіэюя');
const SIGNS = new Set('ьъ');
const ONSET_FIRST_LIQUID = new Set('бвгдкптфх');
const LIQUIDS = new Set('рл');
const ONSET_FIRST_SIBILANT = new Set('сш');
const SIBILANT_SECOND = new Set('ткп');

/** Fewest letters left on either side of a break. */
const MIN_PART = 2;

function isVowelAt(letters: string[], i: number): boolean {
  const c = letters[i] ?? '';
  if (!VOWELS.has(c)) return false;
  if (c === 'у' && i > 0 && VOWELS.has(letters[i - 1] ?? '') && letters[i - 1] !== 'у')
    return false;
  return true;
}

function isOnset(a: string, b: string): boolean {
  return (
    (ONSET_FIRST_LIQUID.has(a) && LIQUIDS.has(b)) ||
    (ONSET_FIRST_SIBILANT.has(a) && SIBILANT_SECOND.has(b))
  );
}

/**
 * Offsets (in UTF-16 code units, which for Kazakh Cyrillic letters equal letters) before which a
 * Kazakh word may be broken, in increasing order.
 */
export function kazakhBreaks(word: string): number[] {
  const letters = [...word.toLowerCase()];
  if (letters.length !== word.length) return [];
  const vowels: number[] = [];
  for (let i = 0; i < letters.length; i++) if (isVowelAt(letters, i)) vowels.push(i);
  const breaks: number[] = [];
  for (let k = 0; k + 1 < vowels.length; k++) {
    const from = vowels[k] ?? 0;
    const to = vowels[k + 1] ?? 0;
    const cons: number[] = [];
    for (let i = from + 1; i < to; i++) if (!SIGNS.has(letters[i] ?? '')) cons.push(i);
    let at: number;
    if (SIGNS.has(letters[to - 1] ?? '')) at = to;
    else if (cons.length === 0) at = to;
    else if (cons.length <= 2) at = cons[cons.length - 1] ?? to;
    else {
      const a = cons[cons.length - 2] ?? to;
      const b = cons[cons.length - 1] ?? to;
      at = isOnset(letters[a] ?? '', letters[b] ?? '') ? a : b;
    }
    if (at >= MIN_PART && letters.length - at >= MIN_PART) breaks.push(at);
  }
  return breaks;
}
