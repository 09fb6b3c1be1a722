import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { insertMention, matchParticipants, mentionQuery, type Participant } from './mentions.ts';

/**
 * A comment box: a textarea where `@` opens a list of participants to mention (arrows, Enter or
 * Tab to choose, Escape to close), Ctrl+Enter sends.
 */
export function MentionInput({
  label,
  submitLabel,
  participants,
  initial = '',
  autoFocus,
  compact,
  onSubmit,
  onCancel,
}: {
  label: string;
  submitLabel: string;
  participants: Participant[];
  initial?: string;
  autoFocus?: boolean;
  compact?: boolean;
  onSubmit: (text: string) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState(initial);
  const [caret, setCaret] = useState(initial.length);
  const [chosen, setChosen] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const query = mentionQuery(value, caret);
  const matches =
    query && dismissed !== query.start ? matchParticipants(participants, query.query) : [];
  const listOpen = matches.length > 0;

  const choose = (p: Participant) => {
    if (!query) return;
    const next = insertMention(value, query.start, caret, p.name);
    setValue(next.text);
    setCaret(next.caret);
    setChosen(0);
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(next.caret, next.caret);
    });
  };

  const send = () => {
    const text = value.trim();
    if (!text) return;
    onSubmit(text);
    setValue('');
    setCaret(0);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (listOpen) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const d = e.key === 'ArrowDown' ? 1 : -1;
        setChosen((c) => (c + d + matches.length) % matches.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        const p = matches[Math.min(chosen, matches.length - 1)];
        if (p) choose(p);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setDismissed(query?.start ?? null);
        return;
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
    } else if (e.key === 'Escape' && onCancel) {
      e.preventDefault();
      onCancel();
    }
  };

  return (
    <div className={`mention-input ${compact ? 'mention-input--compact' : ''}`}>
      <div className="mention-input__box">
        <textarea
          ref={ref}
          className="field__input"
          aria-label={label}
          placeholder={t('comments.placeholder')}
          rows={compact ? 2 : 3}
          value={value}
          autoFocus={autoFocus}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={listOpen}
          aria-controls={listOpen ? listId : undefined}
          aria-activedescendant={listOpen ? `${listId}-${chosen}` : undefined}
          onChange={(e) => {
            setValue(e.target.value);
            setCaret(e.target.selectionStart ?? e.target.value.length);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
          onKeyDown={onKeyDown}
        />
        {listOpen ? (
          <ul
            id={listId}
            role="listbox"
            className="mention-list"
            aria-label={t('comments.mention')}
          >
            {matches.map((p, i) => (
              <li
                key={`${p.kind}-${p.name}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === chosen}
                className={i === chosen ? 'mention-list__chosen' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(p);
                }}
              >
                <span>{p.name}</span>
                <span className="mention-list__detail">
                  {p.kind === 'library' ? t('comments.library') : p.detail}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <div className="mention-input__buttons">
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
        <button type="button" className="primary" disabled={!value.trim()} onClick={send}>
          {submitLabel}
        </button>
      </div>
    </div>
  );
}
