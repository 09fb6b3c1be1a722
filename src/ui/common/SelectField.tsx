/** One choice of a SelectField: what it stores and what it shows. */
export interface SelectOption {
  value: string | number;
  label: string;
}

/**
 * A labelled drop-down (filters, settings): the label names the control for screen readers, the
 * change reports the chosen option's value as a string.
 */
export function SelectField({
  label,
  value,
  options,
  onChange,
  inline = false,
  disabled = false,
}: {
  label: string;
  value: string | number;
  options: readonly SelectOption[];
  onChange: (value: string) => void;
  inline?: boolean;
  disabled?: boolean;
}) {
  return (
    <label className={inline ? 'field field--inline' : 'field'}>
      <span className="field__label">{label}</span>
      <select
        className="field__input"
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Options for "any, or one of these names": the empty value first, labelled `allLabel`. */
export function allOr(allLabel: string, names: readonly string[]): SelectOption[] {
  return [{ value: '', label: allLabel }, ...names.map((n) => ({ value: n, label: n }))];
}
