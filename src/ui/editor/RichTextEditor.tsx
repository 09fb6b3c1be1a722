import { useEditor, EditorContent, useEditorState } from '@tiptap/react';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { BubbleMenu } from '@tiptap/react/menus';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { readRichText, richPlainText } from '../../model/richtext.ts';
import { OWN_CONTENT, contentExtensions, tooForeign } from './foreignContent.ts';
import type { Awareness } from 'y-protocols/awareness';
import type { User } from '../../session/session.ts';
import type { SessionUndoManager } from '../../session/undo.ts';
import {
  CommentMarks,
  commentMarksKey,
  selectionAnchors,
  type BodyAnchor,
} from '../comments/commentMarks.ts';
import { CommentIcon } from '../common/SharedTextField.tsx';
import type { CaretUser } from './usePeopleColors.ts';
import './RichTextEditor.css';

export interface RichTextEditorProps {
  fragment: Y.XmlFragment;
  awareness: Awareness;
  user: User;
  undoManager: SessionUndoManager | null;
  readOnly: boolean;
  label: string;
  /** The comment ranges in this body, read whenever the editor redraws. */
  commentAnchors?: () => readonly BodyAnchor[];
  /** Changes when the set of ranges (or the active one) does. */
  commentsKey?: string;
  /** Offered on a selection (bubble menu, Ctrl+Alt+M) when the user may comment. */
  onComment?: (anchors: { anchorStart: Uint8Array; anchorEnd: Uint8Array; quote: string }) => void;
  /** The colour of a colleague's caret (their avatar's here, `useCaretColor`); else their own. */
  caretColor?: (user: CaretUser) => string | undefined;
}

/** A colleague's caret: a coloured bar with their name (Tiptap's own markup and classes). */
function caretElement(user: { name?: unknown; color?: unknown }, color: string): HTMLElement {
  const caret = document.createElement('span');
  caret.classList.add('collaboration-carets__caret');
  caret.style.borderColor = color;
  const label = document.createElement('div');
  label.classList.add('collaboration-carets__label');
  label.style.backgroundColor = color;
  label.textContent = typeof user.name === 'string' ? user.name : '';
  caret.append(label);
  return caret;
}

/**
 * The slide's rich text, edited with Tiptap bound to the slide's Y.XmlFragment. Never given
 * `content`: the shared fragment is the content (initial content would be inserted again on every
 * load). Remount it (key) when the fragment changes.
 */
export function RichTextEditor({
  fragment,
  awareness,
  user,
  undoManager,
  readOnly,
  label,
  commentAnchors,
  commentsKey,
  onComment,
  caretColor,
}: RichTextEditorProps) {
  const { t } = useTranslation();
  // Read through refs: the editor is made once (per generation) and must see the current ones.
  const anchorsRef = useRef(commentAnchors);
  anchorsRef.current = commentAnchors;
  const onCommentRef = useRef(onComment);
  onCommentRef.current = onComment;
  const caretColorRef = useRef(caretColor);
  caretColorRef.current = caretColor;
  // The rich text's edits are the user's own too: the shared undo history tracks their origin.
  undoManager?.trackedOrigins.add(ySyncPluginKey);
  // Nodes and marks other clients wrote that we do not offer get pass-through types
  // (foreignContent.ts): y-tiptap deletes, for everyone, what its schema cannot build. When a
  // remote change brings a new one, the editor is destroyed at once and made again (`generation`).
  const [generation, setGeneration] = useState(0);
  const [tooMany, setTooMany] = useState(() => tooForeign(fragment));
  // Where the caret was when the editor was remade while the librarian was in it.
  const [caret, setCaret] = useState<number | null>(null);
  const remake = (at: number | null) => {
    setTooMany(tooForeign(fragment));
    setCaret(at);
    setGeneration((g) => g + 1);
  };
  const collaboration = [
    Collaboration.configure({
      fragment,
      yUndoOptions: undoManager ? { undoManager } : {},
    }),
    CollaborationCaret.configure({
      provider: { awareness },
      user,
      // Tiptap has checked the colour (a #rrggbb or "transparent") before this is called.
      render: (u: CaretUser & { color: string }) =>
        caretElement(u, caretColorRef.current?.(u) ?? u.color),
    }),
    CommentMarks.configure({
      anchors: () => anchorsRef.current?.() ?? [],
      onComment: () => commentOnSelection(),
    }),
  ];
  const editor = useEditor(
    {
      editable: !readOnly,
      autofocus: caret ?? false,
      // A getter, read when useEditor makes the editor (in its effect, after this render): the
      // fragment is scanned at that moment, so nothing arrives between the scan and the binding.
      get extensions() {
        // Too many foreign names: no binding to the fragment at all (the text is shown instead).
        const content = contentExtensions(fragment, remake);
        return content ? [...content, ...collaboration] : OWN_CONTENT;
      },
      editorProps: editorPropsFor(label),
    },
    [generation],
  );
  function commentOnSelection() {
    const e = editorRef.current;
    const handler = onCommentRef.current;
    if (!e || e.isDestroyed || !handler) return;
    const anchors = selectionAnchors(e.state);
    if (anchors) handler(anchors);
  }
  const editorRef = useRef(editor);
  editorRef.current = editor;
  // Ranges added, resolved or activated elsewhere: redraw the decorations.
  useEffect(() => {
    if (editor && !editor.isDestroyed)
      editor.view.dispatch(editor.state.tr.setMeta(commentMarksKey, commentsKey ?? ''));
  }, [editor, commentsKey]);
  // With dependencies, useEditor no longer passes changed options on to the editor: the label
  // changes with the layout and the language.
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.setOptions({ editorProps: editorPropsFor(label) });
  }, [editor, label]);

  const state = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      e && !e.isDestroyed
        ? {
            bold: e.isActive('bold'),
            italic: e.isActive('italic'),
            h2: e.isActive('heading', { level: 2 }),
            bullet: e.isActive('bulletList'),
            ordered: e.isActive('orderedList'),
            quote: e.isActive('blockquote'),
          }
        : null,
  });

  const buttons = [
    {
      key: 'bold',
      label: t('rich.bold'),
      text: 'B',
      run: () => editor?.chain().focus().toggleBold().run(),
    },
    {
      key: 'italic',
      label: t('rich.italic'),
      text: 'I',
      run: () => editor?.chain().focus().toggleItalic().run(),
    },
    {
      key: 'h2',
      label: t('rich.heading'),
      text: 'H',
      run: () => editor?.chain().focus().toggleHeading({ level: 2 }).run(),
    },
    {
      key: 'bullet',
      label: t('rich.bulletList'),
      text: '•',
      run: () => editor?.chain().focus().toggleBulletList().run(),
    },
    {
      key: 'ordered',
      label: t('rich.orderedList'),
      text: <OrderedListIcon />,
      run: () => editor?.chain().focus().toggleOrderedList().run(),
    },
    {
      key: 'quote',
      label: t('rich.quote'),
      text: '❝',
      run: () => editor?.chain().focus().toggleBlockquote().run(),
    },
  ] as const;

  if (tooMany) {
    // Too many foreign names to build a schema for: show the text, keep the document untouched.
    return (
      <div className="field rich">
        <span className="field__label">{label}</span>
        <div
          className="rich__editor rich__content"
          role="textbox"
          aria-readonly="true"
          aria-label={label}
        >
          {richPlainText(readRichText(fragment))}
        </div>
      </div>
    );
  }

  return (
    <div className="field rich">
      <span className="field__label">{label}</span>
      {readOnly ? null : (
        <div className="rich__toolbar" role="toolbar" aria-label={t('rich.toolbar')}>
          {buttons.map((b) => (
            <button
              key={b.key}
              type="button"
              className={`rich__button rich__button--${b.key}`}
              aria-label={b.label}
              title={b.label}
              aria-pressed={state?.[b.key] ?? false}
              onMouseDown={(e) => e.preventDefault()}
              onClick={b.run}
            >
              {/* The glyph is a picture of the action, not its name: the accessible name is the
                  label alone. Glyphs are single characters or drawings, never words or numbers
                  that the name lacks (a visible "1." fails WCAG 2.5.3, Label in Name). */}
              <span aria-hidden="true">{b.text}</span>
            </button>
          ))}
        </div>
      )}
      {editor && onComment ? (
        <BubbleMenu
          editor={editor}
          // Also in a read-only editor (a comment link): only a selection is needed.
          shouldShow={({ state }) => !state.selection.empty}
        >
          <div className="rich__bubble">
            <button
              type="button"
              className="rich__button rich__comment"
              onMouseDown={(e) => e.preventDefault()}
              onClick={commentOnSelection}
              aria-label={t('comments.commentSelection')}
              title={t('comments.commentSelection')}
            >
              <CommentIcon /> {t('comments.comment')}
            </button>
          </div>
        </BubbleMenu>
      ) : null}
      <EditorContent editor={editor} className="rich__editor" />
    </div>
  );
}

/** A numbered list drawn as lines with numeral ticks: a picture, with no text for a name to lack. */
function OrderedListIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor">
      <path d="M2 2.5v3M1.5 5.5h1M1.5 8.5h1.5l-1.5 2h1.5M1.5 12.5h1.5l-0.8 1 0.8 1h-1.5" />
      <path d="M6 4h9M6 9.5h9M6 14h9" strokeWidth="1.6" />
    </svg>
  );
}

function editorPropsFor(label: string) {
  return {
    attributes: {
      'aria-label': label,
      'aria-multiline': 'true',
      role: 'textbox',
      class: 'rich__content',
    },
  };
}
