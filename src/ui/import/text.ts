import type { TFunction } from 'i18next';
import type { Duplicate } from '../../import/plan.ts';
import type { Delimiter, Issue } from '../../import/types.ts';

/** The words of the import dialog that depend on data: issues, row labels, duplicates. */

export function issueText(t: TFunction, issue: Issue): string {
  const params: Record<string, string | number> = { ...issue.params };
  if (
    (issue.code === 'shortened' || issue.code === 'valueChanged') &&
    typeof params['field'] === 'string'
  )
    params['field'] = t(`import.field.${params['field']}`);
  return t(`import.issue.${issue.code}`, params);
}

export function sourceLabel(t: TFunction, source: 'row' | 'record', number: number): string {
  return source === 'row'
    ? t('import.rowNumber', { number })
    : t('import.recordNumber', { number });
}

export function duplicateText(t: TFunction, d: Duplicate, source: 'row' | 'record'): string {
  if (d.of === null)
    return t(
      d.by === 'isbn' ? 'import.duplicate.isbnExisting' : 'import.duplicate.authorTitleExisting',
    );
  return t(`import.duplicate.${d.by}`, { what: sourceLabel(t, source, d.of) });
}

export const DELIMITER_NAMES: Record<Delimiter, string> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
  '|': 'pipe',
};
