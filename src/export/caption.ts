import { LIMITS } from '../model/instagram.ts';

/**
 * Captions as Instagram sees them: the post's caption with the flashbook's common hashtags appended,
 * counted against Instagram's limits (model/instagram.ts). Pure functions: the caption editor shows
 * the counts live, the export writes the same text to caption.txt.
 */

// A hashtag needs a letter (Instagram does not link "#1941"); it may not follow a letter or "&".
const HASHTAG = /(?<![\p{L}\p{M}\p{N}_&])#([\p{L}\p{M}\p{N}_]*\p{L}[\p{L}\p{M}\p{N}_]*)/gu;
// Instagram user names: 1–30 of A–Z a–z 0–9 . _ ; not inside an e-mail address.
const MENTION = /(?<![\p{L}\p{N}_.@])@([A-Za-z0-9._]{1,30})(?![A-Za-z0-9_])/gu;

/** The hashtags of a text, in order of appearance, each once (compared without case), with "#". */
export function hashtagsIn(text: string): string[] {
  return uniqueFold([...text.matchAll(HASHTAG)].map((m) => `#${m[1] ?? ''}`));
}

/** The @mentions of a text, each once (compared without case), with "@". */
export function mentionsIn(text: string): string[] {
  return uniqueFold(
    [...text.matchAll(MENTION)].map((m) => `@${(m[1] ?? '').replace(/\.+$/, '')}`),
  ).filter((m) => m.length > 1);
}

function uniqueFold(items: string[]): string[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = item.toLocaleLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The flashbook's common hashtags as typed in its settings ("#Жеңіс80 кітап, #library"): words
 * separated by spaces, commas or semicolons, each made a hashtag, each once.
 */
export function parseHashtagList(text: string): string[] {
  const tags = text
    .split(/[\s,;]+/u)
    .map((word) => word.replace(/^#+/, '').replace(/[^\p{L}\p{M}\p{N}_]+$/u, ''))
    .filter((word) => /^[\p{L}\p{M}\p{N}_]*\p{L}[\p{L}\p{M}\p{N}_]*$/u.test(word))
    .map((word) => `#${word}`);
  return uniqueFold(tags);
}

/**
 * The caption as published: the post's caption (trimmed, line breaks normalised), then a blank
 * line and the flashbook's common hashtags that the caption does not already contain.
 */
export function assembleCaption(caption: string, flashbookHashtags: string): string {
  const body = caption.replace(/\r\n?/g, '\n').trim();
  const present = new Set(hashtagsIn(body).map((t) => t.toLocaleLowerCase()));
  const extra = parseHashtagList(flashbookHashtags).filter(
    (t) => !present.has(t.toLocaleLowerCase()),
  );
  if (extra.length === 0) return body;
  return body ? `${body}\n\n${extra.join(' ')}` : extra.join(' ');
}

/** Length as Instagram's counter shows it: in characters (code points), not UTF-16 units. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export interface CaptionStats {
  chars: number;
  hashtags: string[];
  mentions: string[];
}

export function captionStats(text: string): CaptionStats {
  return { chars: charCount(text), hashtags: hashtagsIn(text), mentions: mentionsIn(text) };
}

export type CaptionProblem =
  | { code: 'tooLong'; count: number; max: number }
  | { code: 'tooManyHashtags'; count: number; max: number }
  | { code: 'tooManyMentions'; count: number; max: number };

/** What Instagram would refuse or cut in a caption (checked on the assembled caption). */
export function captionProblems(stats: CaptionStats): CaptionProblem[] {
  const problems: CaptionProblem[] = [];
  if (stats.chars > LIMITS.captionChars)
    problems.push({ code: 'tooLong', count: stats.chars, max: LIMITS.captionChars });
  if (stats.hashtags.length > LIMITS.hashtags)
    problems.push({ code: 'tooManyHashtags', count: stats.hashtags.length, max: LIMITS.hashtags });
  if (stats.mentions.length > LIMITS.mentions)
    problems.push({ code: 'tooManyMentions', count: stats.mentions.length, max: LIMITS.mentions });
  return problems;
}

/**
 * The part of a caption the feed shows before "more": about 125 characters, and no more than two
 * lines. The cut goes back to a space when one is near, so words are not split.
 */
export function visibleCaption(
  text: string,
  limit: number = LIMITS.captionVisibleChars,
): { visible: string; truncated: boolean } {
  const chars = [...text];
  const lines = text.split('\n');
  const twoLines = lines.length > 2 ? lines.slice(0, 2).join('\n') : text;
  if (chars.length <= limit && twoLines === text) return { visible: text, truncated: false };
  let cut = [...twoLines].slice(0, limit).join('');
  if (cut.length < twoLines.length) {
    const space = cut.search(/\s\S*$/u);
    if (space > cut.length - 20 && space > 0) cut = cut.slice(0, space);
  }
  return { visible: cut.replace(/\s+$/u, ''), truncated: true };
}

/**
 * Whether a post's caption says nothing of its own: `empty` when it is blank, `onlyCommon` when
 * all it holds is some of the flashbook's common hashtags (which export appends anyway), and
 * null when it has text of its own. The export dialog warns about the first two.
 */
export function blankCaption(
  caption: string,
  flashbookHashtags: string,
): 'empty' | 'onlyCommon' | null {
  if (!caption.trim()) return 'empty';
  const common = new Set(parseHashtagList(flashbookHashtags).map((t) => t.toLocaleLowerCase()));
  const rest = caption.replace(HASHTAG, (tag: string) =>
    common.has(tag.toLocaleLowerCase()) ? ' ' : tag,
  );
  return /[\p{L}\p{N}]/u.test(rest) ? null : 'onlyCommon';
}
