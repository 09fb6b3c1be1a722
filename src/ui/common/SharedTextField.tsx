import { useLayoutEffect, useRef, type FormEvent } from 'react';
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
  /** A tooltip on the input (the toolbar's title shows the whole title when it is cut). */
  tooltip?: string;
}

/**
 * An input bound to a shared text: each keystroke becomes a minimal splice, so two people typing
 * into the same field merge character by character, and the caret stays on its character when
 * someone else's text arrives.
 *
 * The input is uncontrolled on purpose: a remote change is written into the DOM at once, in the
 * same task, so the browser's value is never behind the shared text when the next key is handled
 * (a React state update would leave a window in which a keystroke is diffed against a stale value
 * and undoes the other person's typing).
 */
export function SharedTextField(props: SharedTextFieldProps) {
  const { doc, textRef, label, multiline, readOnly, hiddenLabel, className, placeholder, tooltip } =
    props;
  const refKey = JSON.stringify(textRef);
  const inputRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);

  useLayoutEffect(() => {
    const el = inputRef.current;
    if (!el) return;
    const ref = JSON.parse(refKey) as TextRef;
    el.value = getText(doc, ref)?.toString() ?? '';
    return observeText(doc, ref, (change) => {
      if (el.value === change.value) return; // our own keystroke, already in the input
      const focused = document.activeElement === el;
      const start = el.selectionStart ?? 0;
      const end = el.selectionEnd ?? 0;
      const direction = el.selectionDirection ?? undefined;
      el.value = change.value;
      if (focused) {
        el.setSelectionRange(
          transformPosition(change.delta, start),
          transformPosition(change.delta, end),
          direction,
        );
      }
    });
  }, [doc, refKey]);

  const onInput = (e: FormEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    const el = e.currentTarget;
    editText(doc, JSON.parse(refKey) as TextRef, el.value, el.selectionEnd ?? el.value.length);
  };

  const common = {
    ref: inputRef,
    onInput,
    readOnly,
    placeholder,
    title: tooltip,
    // The canvas finds a slide's field by this when its placeholder is clicked.
    'data-field': textRef.kind === 'slide' ? textRef.field : undefined,
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
