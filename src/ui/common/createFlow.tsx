import type { FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { templateTitle, type TemplateId, type TemplateLanguage } from '../../model/templates.ts';
import { ApiError } from '../../session/api.ts';
import { flashbookUrl, navigate } from '../router.ts';

/** What a "new flashbook" action asks for: a blank one with a title, the demo, or a template. */
export type CreateRequest =
  { title: string } | { template: 'demo' } | { template: TemplateId; language: TemplateLanguage };

/** The title the new flashbook gets (the demo names itself). */
export function requestTitle(what: CreateRequest): string {
  return 'title' in what
    ? what.title
    : 'language' in what
      ? templateTitle(what.template, what.language)
      : '';
}

/** The message for a failed create: offline, rate limited (with minutes), or the reason. */
export function createErrorMessage(
  err: unknown,
  t: TFunction,
  failedKey: 'home.createFailed' | 'home.createWorkspaceFailed',
): string {
  return err instanceof ApiError && err.status === 0
    ? t('home.createOffline')
    : err instanceof ApiError && err.status === 429
      ? t('home.createRateLimited', { minutes: Math.ceil((err.retryAfter ?? 60) / 60) })
      : t(failedKey, { reason: err instanceof Error ? err.message : String(err) });
}

/**
 * Creates a flashbook and opens it: on the server when it answers (`online` creates, remembers
 * the links and returns the address to open), else on this device (`offline` returns the new id;
 * it reaches the server later). The demo needs the server. Resolves to an error message when
 * nothing could be created, to null once navigated.
 */
export async function createAndOpen(
  what: CreateRequest,
  t: TFunction,
  online: (what: CreateRequest, title: string) => Promise<string>,
  offline: (
    title: string,
    template: { id: TemplateId; language: TemplateLanguage } | undefined,
  ) => Promise<string>,
): Promise<string | null> {
  const title = requestTitle(what);
  try {
    navigate(await online(what, title));
    return null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 0 && ('title' in what || 'language' in what)) {
      try {
        const id = await offline(
          title,
          'language' in what ? { id: what.template, language: what.language } : undefined,
        );
        navigate(flashbookUrl(id, ''));
        return null;
      } catch {
        // No local storage either: nothing can be kept, say so.
      }
    }
    return createErrorMessage(err, t, 'home.createFailed');
  }
}

/** A one-field "name it and create" form (new flashbook, new workspace). */
export function CreateForm({
  label,
  placeholder,
  value,
  onChange,
  onSubmit,
  submitLabel,
  busy,
  primary = false,
  className,
}: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  onSubmit: (value: string) => void;
  submitLabel: string;
  busy: boolean;
  primary?: boolean;
  className?: string;
}) {
  return (
    <form
      className={className}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit(value.trim());
      }}
    >
      <label className="field">
        <span className="field__label">{label}</span>
        <input
          className="field__input"
          required
          maxLength={200}
          value={value}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
        />
      </label>
      <button
        type="submit"
        className={primary ? 'primary' : undefined}
        disabled={busy || !value.trim()}
      >
        {submitLabel}
      </button>
    </form>
  );
}
