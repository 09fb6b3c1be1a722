import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ColumnMapping } from '../../import/mapping.ts';
import { BOOK_FIELDS, type BookField } from '../../import/types.ts';

/** Which column fills which book field: the guess from the header, changeable by the user. */
export function ColumnMappingFields({
  columns,
  mapping,
  onChange,
}: {
  columns: readonly string[];
  mapping: ColumnMapping;
  onChange: (m: ColumnMapping) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const set = (field: BookField, value: string) => {
    const column = value === '' ? null : Number(value);
    const next = { ...mapping, [field]: column };
    // A column fills one field: taking it here frees it elsewhere.
    if (column !== null)
      for (const f of BOOK_FIELDS) if (f !== field && next[f] === column) next[f] = null;
    onChange(next);
  };
  return (
    <fieldset className="import-mapping">
      <legend>{t('import.columns')}</legend>
      <p className="field__hint">{t('import.columnsHint')}</p>
      <div className="import-mapping__grid">
        {BOOK_FIELDS.map((field) => (
          // Labelled by id, not by wrapping: a wrapping label would add the chosen column to the name.
          <div key={field} className="field">
            <label className="field__label" htmlFor={`${id}-${field}`}>
              {t(`import.field.${field}`)}
            </label>
            <select
              id={`${id}-${field}`}
              className="field__input"
              value={mapping[field] ?? ''}
              onChange={(e) => set(field, e.target.value)}
            >
              <option value="">{t('import.notImported')}</option>
              {columns.map((name, i) => (
                <option key={i} value={i}>
                  {name
                    ? t('import.columnNamed', { number: i + 1, name })
                    : t('import.column', { number: i + 1 })}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
