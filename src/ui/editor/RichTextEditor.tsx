import { useEditor, EditorContent, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { User } from '../../session/session.ts';
import type { SessionUndoManager } from '../../session/undo.ts';

export interface RichTextEditorProps {
  fragment: Y.XmlFragment;
  awareness: Awareness;
  user: User;
  undoManager: SessionUndoManager | null;
  readOnly: boolean;
  label: string;
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
}: RichTextEditorProps) {
  const { t } = useTranslation();
  // The rich text's edits are the user's own too: the shared undo history tracks their origin.
  undoManager?.trackedOrigins.add(ySyncPluginKey);
  const editor = useEditor({
    editable: !readOnly,
    extensions: [
      StarterKit.configure({
        undoRedo: false,
        heading: { levels: [2, 3] },
        code: false,
        codeBlock: false,
        horizontalRule: false,
        link: false,
      }),
      Collaboration.configure({
        fragment,
        yUndoOptions: undoManager ? { undoManager } : {},
      }),
      CollaborationCaret.configure({ provider: { awareness }, user }),
    ],
    editorProps: {
      attributes: {
        'aria-label': label,
        'aria-multiline': 'true',
        role: 'textbox',
        class: 'rich__content',
      },
    },
  });

  const state = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      e
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
