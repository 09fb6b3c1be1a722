import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A non-modal dialog in the editor's right column, beside the canvas it changes (the Design
 * panel): the slide stays visible and every choice shows on it at once. Focus moves to its title
 * when it opens; Escape or Close closes it and puts focus back where it was.
 */
export function SidePanel({
  title,
  onClose,
  className,
  children,
}: {
  title: string;
  onClose: () => void;
  className?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const panel = ref.current;
    heading.current?.focus();
    return () => {
      // Back to the button that opened the panel, unless the user has moved on elsewhere.
      const active = document.activeElement;
      if (opener?.isConnected && (!active || active === document.body || panel?.contains(active)))
        opener.focus();
    };
  }, []);

  return (
    <section
      ref={ref}
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      className={`side-panel ${className ?? ''}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          onCloseRef.current();
        }
      }}
    >
      <div className="side-panel__head">
        <h2 id={titleId} ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <div className="side-panel__body">{children}</div>
    </section>
  );
}
