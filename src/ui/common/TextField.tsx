/**
 * A labelled one-line input, or a textarea with `rows`, whose label names it for screen readers.
 * For text kept in a form's state; text shared in the flashbook goes through SharedTextField.
 */
export function TextField({
  label,
  value,
  onChange,
  maxLength,
  rows,
  type,
  readOnly = false,
}: {
  label: string;
  value: string;
  onChange?: (value: string) => void;
  maxLength?: number;
  /** A textarea of this many rows instead of a one-line input. */
  rows?: number;
  type?: 'search';
  readOnly?: boolean;
}) {
  const props = {
    className: 'field__input',
    value,
    maxLength,
    readOnly,
    onChange: (e: { target: { value: string } }) => onChange?.(e.target.value),
  };
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      {rows ? <textarea rows={rows} {...props} /> : <input type={type} {...props} />}
    </label>
  );
}
