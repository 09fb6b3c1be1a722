import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MESSAGE,
  META,
  POST,
  ROOT,
  SLIDE,
  SLIDE_TEXT_FIELDS,
  THREAD,
} from '../../src/model/schema.ts';

// docs/document-schema.md is how other Yjs clients learn the document: every key the model
// declares must appear, in code quotes, in the section of the type that holds it.
const doc = readFileSync(new URL('../../docs/document-schema.md', import.meta.url), 'utf8');

function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/document-schema.md has no section "## ${heading}"`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

const cases: [string, string[]][] = [
  ['Root types', Object.values(ROOT)],
  ['`meta`', Object.values(META)],
  ['`posts[id]`', Object.values(POST)],
  ['`slides[id]`', [...Object.values(SLIDE), ...SLIDE_TEXT_FIELDS]],
  ['`comments[id]`', Object.values(THREAD)],
  ['`comments[id].messages[i]`', Object.values(MESSAGE)],
];

describe('docs/document-schema.md', () => {
  it.each(cases)('documents every key of %s', (heading, keys) => {
    const text = section(heading);
    const missing = keys.filter((k) => !text.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });
});
