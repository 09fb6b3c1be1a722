import type { ReactNode } from 'react';
import { navigate } from '../router.ts';

/**
 * A link to another page of the app: a real link (copy, open in a new tab), opened in place by
 * the client-side router on a plain click.
 */
export function AppLink({
  href,
  className,
  children,
}: {
  href: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <a
      href={href}
      className={className}
      onClick={(e) => {
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
