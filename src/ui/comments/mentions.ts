/**
 * `@` mentions in a comment: what is being typed after an `@`, putting a chosen name in, and
 * finding the mentions of known participants in a message (names may have spaces: "@Айгерим
 * Нурланова"). Pure functions, table-tested beside.
 */

export interface Participant {
  /** What is written after the `@`. */
  name: string;
  /** A person's library, or empty for a library itself. */
  detail: string;
  kind: 'person' | 'library';
}

/** The mention being typed at `caret`: where its `@` is and what follows it, or null. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  // An `@` inside a word (an e-mail address) does not start a mention.
  if (at > 0 && !/[\s([{«"'„]/u.test(before[at - 1] ?? '')) return null;
  const query = before.slice(at + 1);
  // A mention is at most a few words long and never crosses a line.
  if (query.includes('\n') || query.length > 60 || query.split(' ').length > 4) return null;
  return { start: at, query };
}

/** The participants whose name matches what was typed: names that start with it first. */
export function matchParticipants(
  participants: readonly Participant[],
  query: string,
  limit = 8,
): Participant[] {
  const q = query.trim().toLocaleLowerCase();
  const scored = participants
    .map((p) => {
      const n = p.name.toLocaleLowerCase();
      const score = n.startsWith(q)
        ? 0
        : n.split(/\s+/).some((w) => w.startsWith(q))
          ? 1
          : n.includes(q)
            ? 2
            : 3;
      return { p, score };
    })
    .filter((s) => s.score < 3);
  scored.sort((a, b) => a.score - b.score || a.p.name.localeCompare(b.p.name));
  return scored.slice(0, limit).map((s) => s.p);
}

/** Replaces the mention being typed (from its `@` to the caret) with `@name `. */
export function insertMention(
  text: string,
  start: number,
  caret: number,
  name: string,
): { text: string; caret: number } {
  const inserted = `@${name} `;
  const rest = text.slice(caret).replace(/^ /, '');
  return { text: text.slice(0, start) + inserted + rest, caret: start + inserted.length };
}

export type MessagePart = { text: string; mention: boolean };

/** A message cut into plain text and mentions of the given names (the longest name wins). */
export function splitMentions(text: string, names: readonly string[]): MessagePart[] {
  const sorted = [...new Set(names.filter((n) => n.trim() !== ''))].sort(
    (a, b) => b.length - a.length,
  );
  const parts: MessagePart[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const startsMention = text[i] === '@' && (i === 0 || /[\s([{«"'„]/u.test(text[i - 1] ?? ''));
    const name = startsMention
      ? sorted.find((n) => {
          if (text.slice(i + 1, i + 1 + n.length).toLocaleLowerCase() !== n.toLocaleLowerCase())
            return false;
          // The name ends there: not the beginning of a longer word.
          const next = text[i + 1 + n.length];
          return next === undefined || !/[\p{L}\p{N}]/u.test(next);
        })
      : undefined;
    if (name !== undefined) {
      if (plain) parts.push({ text: plain, mention: false });
      plain = '';
      parts.push({ text: text.slice(i, i + 1 + name.length), mention: true });
      i += 1 + name.length;
    } else {
      plain += text[i];
      i++;
    }
  }
  if (plain) parts.push({ text: plain, mention: false });
  return parts;
}
