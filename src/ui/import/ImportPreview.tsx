import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { Reviewed } from '../../import/plan.ts';
import { duplicateText, issueText, sourceLabel } from './text.ts';

/**
 * What will be created: every readable row or record in file order with a tick box, the ticked ones
 * counted into posts (a heading where each new post starts), and below, what could not be read and
 * why.
 */
export function ImportPreview({
  reviewed,
  selected,
  postSize,
  onToggle,
  onToggleAll,
}: {
  reviewed: readonly Reviewed[];
  selected: ReadonlySet<string>;
  postSize: number;
  onToggle: (key: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
}) {
  const { t } = useTranslation();
  const readable = reviewed.filter((r) => r.book);
  const unreadable = reviewed.filter((r) => !r.book);
  let ticked = 0;
  return (
    <>
      <section className="import-preview" aria-labelledby="import-preview-title">
        <div className="import-preview__head">
          <h3 id="import-preview-title">
            {t('import.preview', { count: selected.size, total: readable.length })}
          </h3>
          <button type="button" className="link" onClick={() => onToggleAll(true)}>
            {t('import.tickAll')}
          </button>
          <button type="button" className="link" onClick={() => onToggleAll(false)}>
            {t('import.untickAll')}
          </button>
        </div>
        <ol className="import-preview__list">
          {readable.map((r) => {
            const book = r.book as NonNullable<Reviewed['book']>;
            const on = selected.has(r.key);
            const startsPost = on && ticked % postSize === 0;
            const postNumber = Math.floor(ticked / postSize) + 1;
            if (on) ticked++;
            const label = sourceLabel(t, r.source, r.number);
            const title = book.title || t('import.untitled');
            const warnings = r.issues.filter((i) => i.severity === 'warning');
            return (
              <Fragment key={r.key}>
                {startsPost ? (
                  <li className="import-preview__post" aria-hidden="true">
                    {t('import.newPost', { number: postNumber })}
                  </li>
                ) : null}
                <li className={`import-row ${on ? '' : 'import-row--off'}`}>
                  <label className="import-row__main">
                    <input
                      type="checkbox"
                      checked={on}
                      onChange={(e) => onToggle(r.key, e.target.checked)}
                      aria-label={t('import.include', { what: label, title })}
                    />
                    <span className="import-row__number">{label}</span>
                    <span className="import-row__text">
                      <strong>{title}</strong>
                      {book.author ? <span> — {book.author}</span> : null}
                      {book.year ? <span>, {book.year}</span> : null}
                      {r.ageLabel ? <span className="badge">{r.ageLabel}</span> : null}
                    </span>
                  </label>
                  {r.duplicate || warnings.length > 0 ? (
                    <div className="import-row__notes">
                      {r.duplicate ? (
                        <span className="import-row__duplicate">
                          {duplicateText(t, r.duplicate, r.source)}
                        </span>
                      ) : null}
                      {warnings.map((w, i) => (
                        <span key={i} className="import-row__warning">
                          {issueText(t, w)}
                        </span>
                      ))}
                    </div>
                  ) : null}
                </li>
              </Fragment>
            );
          })}
        </ol>
      </section>
      {unreadable.length > 0 ? (
        <section className="import-unreadable" aria-labelledby="import-unreadable-title">
          <h3 id="import-unreadable-title">
            {t('import.unreadable', { count: unreadable.length })}
          </h3>
          <ul>
            {unreadable.map((r) => (
              <li key={r.key}>
                <span className="import-row__number">{sourceLabel(t, r.source, r.number)}</span>{' '}
                {r.issues
                  .filter((i) => i.severity === 'error')
                  .map((i) => issueText(t, i))
                  .join(' ')}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
