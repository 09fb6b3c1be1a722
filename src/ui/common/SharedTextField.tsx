import { useEffect, useLayoutEffect, useRef, useState, type ChangeEvent } from 'react';
import type * as Y from 'yjs';
import { editText, getText, type TextRef } from '../../model/flashbook.ts';
import { observeText, transformPosition } from '../../model/textsync.ts';

export interface SharedTextFieldProps {
  doc: Y.Doc;
  textRef: TextRef;
  label: string;
  multiline?: boolean;
  readOnly?: boolean;
  /** Hide the label visually (it still names the field for screen readers). */
  hiddenLabel?: boolean;
  className?: string;
  placeholder?: string;
}

/**
 * An input bound to a shared text: each keystroke becomes a minimal splice, so two people typing
 * into the same field merge character by character, and the caret stays on its character when
 * someone else's text arrives.
 */
export function SharedTextField(props: SharedTextFieldProps) {
  const { doc, textRef, label, multiline, readOnly, hiddenLabel, className, placeholder } = props;
  const refKey = JSON.stringify(textRef);
  const inputRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const pendingSelection = useRef<[number, number] | null>(null);
  const [value, setValue] = useState(() => getText(doc, textRef)?.toString() ?? '');

  useEffect(() => {
    const ref = JSON.parse(refKey) as TextRef;
    setValue(getText(doc, ref)?.toString() ?? '');
    return observeText(doc, ref, (change) => {
      const el = inputRef.current;
      if (!change.local && el && document.activeElement === el) {
        pendingSelection.current = [
          transformPosition(change.delta, el.selectionStart ?? 0),
          transformPosition(change.delta, el.selectionEnd ?? 0),
        ];
      }
      setValue(change.value);
    });
  }, [doc, refKey]);

  useLayoutEffect(() => {
    const el = inputRef.current;
    const sel = pendingSelection.current;
    if (el && sel) {
      el.setSelectionRange(sel[0], sel[1]);
      pendingSelection.current = null;
    }
  }, [value]);

  const onChange = (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    const next = e.target.value;
    setValue(next);
    editText(doc, JSON.parse(refKey) as TextRef, next, e.target.selectionEnd ?? next.length);
  };

  const common = {
    ref: inputRef,
    value,
    onChange,
    readOnly,
    placeholder,
    'aria-label': hiddenLabel ? label : undefined,
    className: 'field__input',
  };
  const control = multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />;
  if (hiddenLabel) return <div className={className}>{control}</div>;
  return (
    <label className={`field ${className ?? ''}`}>
      <span className="field__label">{label}</span>
      {control}
    </label>
  );
}
