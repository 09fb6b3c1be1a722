import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { decodeBytes, detectBom } from './encoding.ts';
import { detectFlavour, marcToBook, type MarcField, type MarcRecord } from './marc.ts';
import {
  LIMITS,
  type Issue,
  type ParseOptions,
  type RecordsResult,
  type RejectedResult,
  type SourceRecord,
  type TextEncoding,
} from './types.ts';

/**
 * MARCXML (the Library of Congress "slim" schema, also used for UNIMARC/RUSMARC and by
 * MarcXchange), read with a streaming parser that expands no entities beyond the five predefined
 * ones. A document type declaration is refused outright: it is how entity bombs and external
 * entities get in, and MARCXML never needs one. Nesting deeper than MARCXML needs is refused too.
 */

class Refusal extends Error {
  constructor(readonly issue: Issue) {
    super(issue.code);
  }
}

/** Encoding labels an XML declaration may carry, to the decoders we have. */
const XML_ENCODINGS: Record<string, TextEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'windows-1251': 'windows-1251',
  cp1251: 'windows-1251',
  'kz-1048': 'kz-1048',
  rk1048: 'kz-1048',
  'strk1048-2002': 'kz-1048',
  ibm866: 'ibm866',
  cp866: 'ibm866',
  'koi8-r': 'koi8-r',
  'utf-16': 'utf-16le',
};

function xmlEncoding(bytes: Uint8Array): TextEncoding {
  const bom = detectBom(bytes);
  if (bom) return bom.encoding;
  const head = decodeBytes(bytes.subarray(0, 200), 'windows-1251');
  const m = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  return (m && XML_ENCODINGS[(m[1] as string).toLowerCase()]) || 'utf-8';
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

export function parseMarcXml(
  bytes: Uint8Array,
  opts: ParseOptions,
  onProgress: (fraction: number) => void = () => {},
): RecordsResult | RejectedResult {
  const encoding = opts.encoding === 'auto' ? xmlEncoding(bytes) : opts.encoding;
  let text = decodeBytes(bytes, encoding);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: SourceRecord[] = [];
  const issues: Issue[] = [];
  const parser = new SaxesParser({ xmlns: false, position: true });

  let depth = 0;
  let record: MarcRecord | null = null;
  let field: MarcField | null = null;
  /** Where text goes: the leader, a control field, a subfield, or nowhere. */
  let sink: ((s: string) => void) | null = null;
  let buffer = '';
  let full = false;

  parser.on('doctype', () => {
    throw new Refusal({ code: 'doctype', severity: 'error' });
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    depth++;
    if (depth > LIMITS.xmlDepth)
      throw new Refusal({ code: 'tooDeep', severity: 'error', params: { max: LIMITS.xmlDepth } });
    const name = localName(tag.name);
    const attr = (k: string) => {
      const v = tag.attributes[k];
      return typeof v === 'string' ? v : '';
    };
    if (name === 'record') {
      if (records.length >= LIMITS.records) {
        full = true;
        throw new Refusal({
          code: 'tooManyRecords',
          severity: 'warning',
          params: { max: LIMITS.records },
        });
      }
      record = { leader: '', fields: [] };
      return;
    }
    if (!record) return;
    buffer = '';
    if (name === 'leader') {
      const r = record;
      sink = (s) => (r.leader = s);
    } else if (name === 'controlfield') {
      const f: MarcField = { tag: attr('tag'), ind1: ' ', ind2: ' ', value: '', subfields: [] };
      record.fields.push(f);
      sink = (s) => (f.value = s);
    } else if (name === 'datafield') {
      field = {
        tag: attr('tag'),
        ind1: attr('ind1') || ' ',
        ind2: attr('ind2') || ' ',
        value: '',
        subfields: [],
      };
      record.fields.push(field);
      sink = null;
    } else if (name === 'subfield' && field) {
      const f = field;
      const code = attr('code');
      sink = (s) => f.subfields.push({ code, value: s });
    } else sink = null;
  });
  parser.on('text', (t) => {
    // Bounded by the file size limit; a value longer than any field limit is shortened later.
    if (sink) buffer += t;
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    depth--;
    const name = localName(tag.name);
    if (name === 'record' && record) {
      const number = records.length + 1;
      const recIssues: Issue[] = [];
      const flavour = detectFlavour(record);
      const book = marcToBook(record, flavour, recIssues);
      records.push({ number, book, flavour, encoding, issues: recIssues });
      record = null;
      field = null;
      return;
    }
    if (sink && (name === 'leader' || name === 'controlfield' || name === 'subfield')) {
      sink(buffer);
      sink = null;
      buffer = '';
    }
    if (name === 'datafield') field = null;
  });

  const CHUNK = 64 * 1024;
  try {
    for (let at = 0; at < text.length; at += CHUNK) {
      parser.write(text.slice(at, at + CHUNK));
      onProgress(Math.min(1, (at + CHUNK) / text.length));
    }
    parser.close();
  } catch (e) {
    if (e instanceof Refusal) {
      if (!full) return { kind: 'rejected', format: 'marcxml', issue: e.issue };
      issues.push(e.issue);
    } else {
      const reason = e instanceof Error ? e.message.replace(/^[^:]*:\d+:\d+: /, '') : String(e);
      const issue: Issue = {
        code: 'xmlBroken',
        severity: 'error',
        params: { line: parser.line, reason },
      };
      if (records.length === 0) return { kind: 'rejected', format: 'marcxml', issue };
      issues.push(issue);
    }
  }
  if (records.length === 0)
    return { kind: 'rejected', format: 'marcxml', issue: { code: 'noRecords', severity: 'error' } };
  return { kind: 'records', format: 'marcxml', records, issues };
}
