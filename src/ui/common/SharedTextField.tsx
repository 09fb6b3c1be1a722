import { useId, useLayoutEffect, useRef, type FormEvent, type KeyboardEvent } from 'react';
import type * as Y from 'yjs';
import { editText, getText, type TextRef } from '../../model/flashbook.ts';
import { observeText, transformPosition } from '../../model/textsync.ts';
import './SharedTextField.css';

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
  /**
   * Ranges to highlight (comment threads), read again whenever the text changes: they move with
   * it. `highlightsKey` changes when the set of ranges does.
   */
  highlights?: () => readonly FieldRange[];
  highlightsKey?: string;
  /** Offered as a "Comment" button and Ctrl+Alt+M: the selection, or the whole text without one. */
  onComment?: (start: number, end: number, value: string) => void;
  /** The accessible name of the comment button. */
  commentLabel?: string;
  /** The caret was put inside a highlighted range (a click, or the keyboard): its thread opens. */
  onHighlightClick?: (id: string) => void;
}

/** A highlighted range of a field's text. */
export interface FieldRange {
  index: number;
  length: number;
  active?: boolean;
  /** What the range is (a comment thread's id), for `onHighlightClick`. */
  id?: string;
}

/** The field's text as nodes, the ranges in <mark>s, for the layer drawn behind the input. */
function highlightNodes(value: string, ranges: readonly FieldRange[]): Node[] {
  const sorted = [...ranges].filter((r) => r.length > 0).sort((a, b) => a.index - b.index);
  const nodes: Node[] = [];
  let at = 0;
  for (const r of sorted) {
    const start = Math.max(at, r.index);
    const end = Math.min(value.length, r.index + r.length);
    if (end <= start) continue;
    if (start > at) nodes.push(document.createTextNode(value.slice(at, start)));
    const mark = document.createElement('mark');
    mark.className = r.active ? 'field__mark field__mark--active' : 'field__mark';
    mark.textContent = value.slice(start, end);
    nodes.push(mark);
    at = end;
  }
  // A trailing newline needs a character after it to take up its line, as in the textarea.
  nodes.push(document.createTextNode(value.slice(at) + '\u200b'));
  return nodes;
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
  const { highlights, highlightsKey, onComment, commentLabel, onHighlightClick } = props;
  const refKey = JSON.stringify(textRef);
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const backdropRef = useRef<HTMLDivElement>(null);
  const highlightsRef = useRef(highlights);
  highlightsRef.current = highlights;
  // Draws the highlighted ranges behind the input, in the same place as its text.
  const paintRef = useRef(() => {
    const el = inputRef.current;
    const backdrop = backdropRef.current;
    const get = highlightsRef.current;
    if (!el || !backdrop || !get) return;
    backdrop.replaceChildren(...highlightNodes(el.value, get()));
    backdrop.scrollTop = el.scrollTop;
    backdrop.scrollLeft = el.scrollLeft;
  });
  useLayoutEffect(() => paintRef.current(), [highlightsKey]);

  useLayoutEffect(() => {
    const el = inputRef.current;
    if (!el) return;
    const ref = JSON.parse(refKey) as TextRef;
    el.value = getText(doc, ref)?.toString() ?? '';
    paintRef.current();
    return observeText(doc, ref, (change) => {
      if (el.value === change.value) return; // our own keystroke, already in the input
      const focused = document.activeElement === el;
      const start = el.selectionStart ?? 0;
      const end = el.selectionEnd ?? 0;
      const direction = el.selectionDirection ?? undefined;
      el.value = change.value;
      paintRef.current();
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
    paintRef.current();
  };

  const comment = () => {
    const el = inputRef.current;
    if (!el || !onComment) return;
    const start = el.selectionStart ?? 0;
    const end = el.selectionEnd ?? 0;
    if (end > start) onComment(start, end, el.value);
    else if (el.value.trim() !== '') onComment(0, el.value.length, el.value);
  };

  // A click (or the arrow keys) that leaves the caret inside a highlighted range opens its thread,
  // as a click on a highlight in the rich text does. Only a collapsed caret: selecting text to
  // comment on it must not jump away.
  const caretMoved = () => {
    const el = inputRef.current;
    const get = highlightsRef.current;
    if (!el || !get || !onHighlightClick || el.selectionStart !== el.selectionEnd) return;
    const at = el.selectionStart ?? 0;
    const hit = get().find((r) => r.id && r.length > 0 && at > r.index && at < r.index + r.length);
    if (hit?.id && !hit.active) onHighlightClick(hit.id);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    // Ctrl+Alt+M, as in Google Docs.
    if (onComment && (e.ctrlKey || e.metaKey) && e.altKey && e.code === 'KeyM') {
      e.preventDefault();
      e.stopPropagation();
      comment();
    }
  };

  const common = {
    ref: inputRef,
    id: inputId,
    onInput,
    onKeyDown,
    onScroll: () => paintRef.current(),
    onClick: caretMoved,
    onKeyUp: (e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      if (e.key.startsWith('Arrow') || e.key === 'Home' || e.key === 'End') caretMoved();
    },
    readOnly,
    placeholder,
    title: tooltip,
    // The canvas finds a slide's field by this when its placeholder is clicked.
    'data-field': textRef.kind === 'slide' ? textRef.field : undefined,
    'aria-label': hiddenLabel ? label : undefined,
    className: 'field__input',
  };
  const input = multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />;
  const control = highlights ? (
    <span
      className={`field__control ${multiline ? 'field__control--multiline' : ''}`}
      data-highlighted="true"
    >
      <div ref={backdropRef} className="field__input field__backdrop" aria-hidden="true" />
      {input}
    </span>
  ) : (
    input
  );
  // Outside the <label>: inside, its name would become part of the field's name.
  const commentButton = onComment ? (
    <button
      type="button"
      className="field__comment"
      aria-label={commentLabel ?? label}
      title={commentLabel ?? label}
      // Keeps the selection in the input while the button is pressed.
      onMouseDown={(e) => e.preventDefault()}
      onClick={comment}
    >
      <CommentIcon />
    </button>
  ) : null;
  if (hiddenLabel)
    return (
      <div className={`${className ?? ''} ${onComment ? 'field--commentable' : ''}`}>
        {control}
        {commentButton}
      </div>
    );
  if (highlights || onComment)
    // Labelled by id: wrapped in the <label>, the highlight layer's copy of the text would be
    // part of the label's text.
    return (
      <div className={`field ${onComment ? 'field--commentable' : ''} ${className ?? ''}`}>
        <label className="field__label" htmlFor={inputId}>
          {label}
        </label>
        {control}
        {commentButton}
      </div>
    );
  return (
    <label className={`field ${className ?? ''}`}>
      <span className="field__label">{label}</span>
      {control}
    </label>
  );
}

/** A speech bubble, drawn (emoji fonts are not everywhere). */
export function CommentIcon() {
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      aria-hidden="true"
    >
      <path d="M2 3.5h12v7.5H7l-3 2.5V11H2z" strokeWidth="1.5" strokeLinejoin="round" />
    </svg>
  );
}
