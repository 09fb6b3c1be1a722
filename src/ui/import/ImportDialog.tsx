import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseInWorker, tooLarge } from '../../import/client.ts';
import { guessMapping, toCandidates, type ColumnMapping } from '../../import/mapping.ts';
import {
  DEFAULT_POST_SIZE,
  MAX_IMPORT_BYTES,
  MAX_POST_SIZE,
  clampPostSize,
  defaultSelection,
  estimateUpdateBytes,
  planImport,
  reviewCandidates,
  type ExistingBook,
} from '../../import/plan.ts';
import {
  DEFAULT_PARSE_OPTIONS,
  DELIMITERS,
  LIMITS,
  TEXT_ENCODINGS,
  type BookFields,
  type DelimiterChoice,
  type EncodingChoice,
  type ParseOptions,
  type ParseResult,
} from '../../import/types.ts';
import { importPosts } from '../../model/import.ts';
import { importBetweenVersions } from '../../session/history.ts';
import { AGE_LABEL_SETS } from '../../model/schema.ts';
import { useSession, useSessionState } from '../../session/hooks.ts';
import { ColumnMappingFields } from './ColumnMappingFields.tsx';
import { ImportPreview } from './ImportPreview.tsx';
import { DELIMITER_NAMES, issueText } from './text.ts';
import '../common/Dialog.css';
import './import.css';

const ACCEPT = '.csv,.tsv,.txt,.xml,.mrc,.iso,.marc,text/csv,text/plain,application/xml,text/xml';

type Loaded = { name: string; bytes: ArrayBuffer };

/**
 * Import of a book list: pick a file, check what will be created, import. Parsing runs in a Web
 * Worker (with progress and a stop button), so a big or hostile file never freezes the editor.
 * The import itself is one transaction: one undo step here, one live update for everyone else.
 */
export function ImportDialog({ library, onClose }: { library: string; onClose: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const view = useSessionState((s) => s.view);
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [file, setFile] = useState<Loaded | null>(null);
  const [options, setOptions] = useState<ParseOptions>(DEFAULT_PARSE_OPTIONS);
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<ParseResult | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [postSize, setPostSize] = useState(DEFAULT_POST_SIZE);
  const [error, setError] = useState<string | null>(null);
  /** How many files have been read: lets tests (and screen readers, via the summary) follow along. */
  const [reads, setReads] = useState(0);
  /** Set while the import waits for the server's version before it: a second click must not import twice. */
  const [importing, setImporting] = useState(false);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  // Parse (again) whenever the file or the reading options change; a new parse stops the old one.
  useEffect(() => {
    if (!file) return;
    setProgress(0);
    setResult(null);
    setError(null);
    const job = parseInWorker(file.bytes, file.name, options, setProgress);
    let current = true;
    void job.result.then((r) => {
      if (!current) return;
      setProgress(null);
      setResult(r);
      setReads((n) => n + 1);
      setMapping(r.kind === 'table' ? guessMapping(r.columns) : null);
      setToggled(new Map());
    });
    return () => {
      current = false;
      job.cancel();
    };
  }, [file, options]);

  const existing = useMemo<ExistingBook[]>(
    () =>
      [...view.posts.flatMap((p) => p.slides), ...view.orphanSlides]
        .filter((s) => s.layout === 'book')
        .map((s) => ({ author: s.fields.author, title: s.fields.title, isbn: s.fields.isbn })),
    [view],
  );
  const ageLabels = AGE_LABEL_SETS[view.ageLabelSet];
  const reviewed = useMemo(
    () => (result ? reviewCandidates(toCandidates(result, mapping), { ageLabels, existing }) : []),
    [result, mapping, ageLabels, existing],
  );
  const selected = useMemo(() => {
    const s = defaultSelection(reviewed);
    for (const [key, on] of toggled) {
      if (on && reviewed.some((r) => r.key === key && r.book)) s.add(key);
      else s.delete(key);
    }
    return s;
  }, [reviewed, toggled]);

  const altText = (b: BookFields) =>
    b.title && b.author
      ? t('import.altText', { title: b.title, author: b.author })
      : b.title
        ? t('import.altTextNoAuthor', { title: b.title })
        : t('import.altTextNoTitle', { author: b.author });
  const plan = () => planImport(reviewed, selected, { postSize, library, altText });
  const postCount = Math.ceil(selected.size / clampPostSize(postSize));

  const chooseFile = async (f: File | undefined) => {
    if (!f) return;
    if (f.size > LIMITS.fileBytes) {
      // Refused before reading: nothing of a huge file is loaded into the page.
      setFile(null);
      setResult(tooLarge());
      setReads((n) => n + 1);
      return;
    }
    setFile({ name: f.name, bytes: await f.arrayBuffer() });
  };

  const doImport = () => {
    if (importing) return;
    const posts = plan();
    const size = estimateUpdateBytes(posts);
    if (size > MAX_IMPORT_BYTES) {
      setError(
        t('import.tooBig', {
          size: (size / 1024 / 1024).toFixed(1),
          max: MAX_IMPORT_BYTES / 1024 / 1024,
        }),
      );
      return;
    }
    // The server keeps a version before and after it (session/history.ts).
    setImporting(true);
    void importBetweenVersions(session, file?.name, () => {
      // Its own undo step: an edit made just before or after must not merge into it.
      session.undo?.stopCapturing();
      const { slideIds } = importPosts(session.doc, posts);
      session.undo?.stopCapturing();
      return slideIds;
    }).then((slideIds) => {
      if (slideIds[0]) session.select(slideIds[0]);
      ref.current?.close();
    });
  };

  const setOption = <K extends keyof ParseOptions>(key: K, value: ParseOptions[K]) =>
    setOptions((o) => ({ ...o, [key]: value }));
  const isTable = result?.kind === 'table';
  const reading = progress !== null;

  return (
    <dialog
      ref={ref}
      className="dialog import-dialog"
      aria-labelledby="import-title"
      data-reads={reads}
      onClose={onClose}
    >
      <h2 id="import-title">{t('import.title')}</h2>
      <p className="field__hint">{t('import.intro')}</p>

      <div className="import-dialog__source">
        <div className="field">
          <span className="field__label" id={`${id}-file-label`}>
            {t('import.file')}
          </span>
          {/* The browser's own file button speaks the browser's language; ours speaks the UI's. */}
          <div className="import-dialog__file">
            <input
              id={`${id}-file`}
              className="visually-hidden"
              type="file"
              accept={ACCEPT}
              aria-labelledby={`${id}-file-label`}
              onChange={(e) => void chooseFile(e.target.files?.[0])}
            />
            <label htmlFor={`${id}-file`} className="import-dialog__choose">
              {t('import.chooseFile')}
            </label>
            <span className="import-dialog__file-name">{file?.name ?? t('import.noFile')}</span>
          </div>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-encoding`}>
            {t('import.encoding')}
          </label>
          <select
            id={`${id}-encoding`}
            className="field__input"
            value={options.encoding}
            onChange={(e) => setOption('encoding', e.target.value as EncodingChoice)}
          >
            <option value="auto">{t('import.auto')}</option>
            {TEXT_ENCODINGS.filter((e) => e !== 'utf-16be').map((e) => (
              <option key={e} value={e}>
                {t(`import.encodings.${e}`)}
              </option>
            ))}
          </select>
        </div>
        {isTable || result === null ? (
          <>
            <div className="field">
              <label className="field__label" htmlFor={`${id}-delimiter`}>
                {t('import.delimiter')}
              </label>
              <select
                id={`${id}-delimiter`}
                className="field__input"
                value={options.delimiter}
                onChange={(e) => setOption('delimiter', e.target.value as DelimiterChoice)}
              >
                <option value="auto">{t('import.auto')}</option>
                {DELIMITERS.map((d) => (
                  <option key={d} value={d}>
                    {t(`import.delimiters.${DELIMITER_NAMES[d]}`)}
                  </option>
                ))}
              </select>
            </div>
            <label className="field field--inline import-dialog__header">
              <input
                type="checkbox"
                checked={options.header}
                onChange={(e) => setOption('header', e.target.checked)}
              />
              <span>{t('import.header')}</span>
            </label>
          </>
        ) : null}
      </div>

      {reading ? (
        <div className="import-dialog__progress" role="status">
          <span>{t('import.reading', { name: file?.name ?? '' })}</span>
          <progress max={1} value={progress} aria-label={t('import.progress')} />
          <button
            type="button"
            onClick={() => {
              setFile(null);
              setProgress(null);
            }}
          >
            {t('import.stop')}
          </button>
        </div>
      ) : null}

      {result?.kind === 'rejected' ? (
        <p className="error import-dialog__rejected" role="alert">
          {issueText(t, result.issue)}
        </p>
      ) : null}

      {result && result.kind !== 'rejected' && !reading ? (
        <>
          <p className="import-dialog__summary">
            {result.kind === 'table'
              ? t('import.summaryRows', {
                  count: result.rows.length,
                  name: file?.name ?? '',
                  encoding: t(`import.encodings.${result.encoding}`),
                  delimiter: t(`import.delimiters.${DELIMITER_NAMES[result.delimiter]}`),
                })
              : t('import.summaryRecords', {
                  count: result.records.length,
                  name: file?.name ?? '',
                  format: t(`import.format.${result.format}`),
                  details: [
                    ...new Set(
                      result.records.flatMap((r) =>
                        r.flavour ? [t(`import.flavour.${r.flavour}`)] : [],
                      ),
                    ),
                    ...new Set(
                      result.records.flatMap((r) =>
                        r.encoding ? [t(`import.encodings.${r.encoding}`)] : [],
                      ),
                    ),
                  ].join(', '),
                })}
          </p>
          {result.issues.length > 0 ? (
            <ul className="import-dialog__file-issues" role="alert">
              {result.issues.map((i, n) => (
                <li key={n} className={i.severity === 'error' ? 'error' : undefined}>
                  {issueText(t, i)}
                </li>
              ))}
            </ul>
          ) : null}
          {result.kind === 'table' && mapping ? (
            <ColumnMappingFields columns={result.columns} mapping={mapping} onChange={setMapping} />
          ) : null}
          <label className="field field--inline">
            <span className="field__label">{t('import.postSize')}</span>
            <input
              className="field__input import-dialog__post-size"
              type="number"
              min={1}
              max={MAX_POST_SIZE}
              value={postSize}
              onChange={(e) => setPostSize(clampPostSize(e.target.valueAsNumber))}
            />
            <span className="field__hint">{t('import.postSizeHint')}</span>
          </label>
          <ImportPreview
            reviewed={reviewed}
            selected={selected}
            postSize={clampPostSize(postSize)}
            onToggle={(key, on) => setToggled((m) => new Map(m).set(key, on))}
            onToggleAll={(on) =>
              setToggled(new Map(reviewed.filter((r) => r.book).map((r) => [r.key, on])))
            }
          />
        </>
      ) : null}

      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog__buttons">
        {selected.size > 0 && !reading ? (
          <span className="import-dialog__will">
            {t('import.willCreate', { count: postCount })}
          </span>
        ) : null}
        <button type="button" onClick={() => ref.current?.close()}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={reading || importing || selected.size === 0}
          onClick={doImport}
        >
          {result && result.kind !== 'rejected'
            ? t('import.submit', { count: selected.size })
            : t('import.submitNothing')}
        </button>
      </div>
    </dialog>
  );
}
