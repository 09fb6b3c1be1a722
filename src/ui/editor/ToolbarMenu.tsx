import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * The toolbar's "More" button: a disclosure (not an ARIA menu, so that it can hold a language
 * select as well as buttons) with the less-used actions. It opens with the first action focused;
 * Escape, a click outside or choosing an action closes it and puts focus back on the button, so a
 * dialog opened from it returns focus there too.
 */
export function ToolbarMenu({
  label,
  children,
}: {
  label: string;
  /** The actions; `close` closes the menu (call it before opening a dialog). */
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const id = useId();
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('button, select')?.focus();
    const onDown = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  return (
    <div
      className="toolbar-menu"
      onBlur={(e) => {
        // Tabbing out of the menu closes it (focus stays where the user moved it).
        if (open && e.relatedTarget && !e.currentTarget.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      <div
        ref={panel}
        id={id}
        className="toolbar-menu__panel"
        hidden={!open}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            close();
          }
        }}
      >
        {open ? children(close) : null}
      </div>
    </div>
  );
}
