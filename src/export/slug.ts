/**
 * File and folder names for exported packages.
 *
 * Decision: names are transliterated to lowercase ASCII (`a-z`, `0-9`, `-`). Unicode names are legal
 * on all three systems, but ZIP tools disagree about them: Windows Explorer ignores the UTF-8 flag of
 * older archivers' entries, macOS stores names decomposed (NFD) so that "й" no longer matches itself,
 * and some Android file managers show mojibake. ASCII names survive every unzip tool, every file
 * system and every upload form. Kazakh and Russian letters follow a simple phonetic table (Kazakh
 * letters without diacritics: Ә→a, Ғ→g, Қ→q, Ң→ng, Ө→o, Ұ→u, Ү→u, Һ→h, І→i); other Latin letters
 * lose their accents; everything else becomes a hyphen. The result never is a name Windows reserves
 * (CON, PRN, AUX, NUL, COM1–9, LPT1–9, with or without an extension), never ends in a dot or a space,
 * and is short enough for deep Windows paths.
 */

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'yo',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  // Kazakh
  ә: 'a',
  ғ: 'g',
  қ: 'q',
  ң: 'ng',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  һ: 'h',
  і: 'i',
  // Ukrainian and Belarusian letters that appear in titles of the collections
  є: 'ye',
  ї: 'yi',
  ў: 'u',
  ґ: 'g',
};

/** Lowercase ASCII transliteration of any text; characters without one become spaces. */
export function transliterate(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) {
    const mapped = CYRILLIC[ch];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    // Latin letters with accents: decompose and drop the combining marks (é → e, ö → o).
    const plain = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    out += /^[a-z0-9]+$/.test(plain) ? plain : plain === 'ß' ? 'ss' : ' ';
  }
  return out;
}

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * A slug for a file or folder name: lowercase ASCII words joined by hyphens, at most `maxLength`
 * characters (cut at a word boundary when possible), `fallback` when nothing is left.
 */
export function slugify(text: string, { maxLength = 40, fallback = 'untitled' } = {}): string {
  let slug = transliterate(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > maxLength) {
    const cut = slug.slice(0, maxLength + 1);
    const lastHyphen = cut.lastIndexOf('-');
    slug = (
      lastHyphen > maxLength / 2 ? cut.slice(0, lastHyphen) : cut.slice(0, maxLength)
    ).replace(/-+$/, '');
  }
  if (!slug) slug = fallback;
  return safeFileName(slug);
}

/**
 * Makes any name safe on Windows, macOS and Linux: no reserved characters (`<>:"/\|?*`, control
 * characters), no trailing dots or spaces, no reserved device name, not empty, at most 120 UTF-16
 * units. Applied to slugs too, as the last word on what a name may be.
 */
export function safeFileName(name: string, fallback = 'untitled'): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  let safe = name.replace(/[<>:"/\\|?*\u0000-\u001f\u007f]/g, '-').trim();
  safe = safe.slice(0, 120).replace(/[. ]+$/, '');
  if (!safe || /^\.+$/.test(safe)) safe = fallback;
  const stem = safe.split('.')[0] ?? safe;
  if (RESERVED.test(stem.trim())) safe = `${safe.slice(0, stem.length)}_${safe.slice(stem.length)}`;
  return safe;
}

/** Two-digit (or longer) one-based number, so that names sort in order: 01, 02, … 10. */
export function ordinal(index: number, total = 99): string {
  return String(index + 1).padStart(Math.max(2, String(total).length), '0');
}
