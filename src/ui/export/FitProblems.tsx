import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkFit } from '../../export/fitcheck.ts';
import type { ExportPlan } from '../../export/plan.ts';
import type { FlashbookView } from '../../model/flashbook.ts';
import type { FitStatus } from '../../typography/readability.ts';
import type { AssetResolver } from '../../slide/asset-resolver.ts';

/** The fit of every slide of a plan, measured as the export lays it out; null while measuring. */
export function useSlideFits(
  view: FlashbookView,
  plan: ExportPlan,
  resolver: AssetResolver | null,
): Map<string, FitStatus> | null {
  // Kept with the plan they were measured for: results for an older plan are never shown.
  const [measured, setMeasured] = useState<{
    plan: ExportPlan;
    fits: Map<string, FitStatus>;
  } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const setFits = (fits: Map<string, FitStatus>) => setMeasured({ plan, fits });
    // Edits by others change the plan often: measure once they pause.
    const timer = setTimeout(() => {
      const slides = plan.posts.flatMap((p) => p.slides.map((s) => s.slide));
      checkFit(view, slides, resolver, controller.signal)
        .then((result) => {
          if (!controller.signal.aborted) setFits(result);
        })
        .catch(() => {
          if (!controller.signal.aborted) setFits(new Map());
        });
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [view, plan, resolver]);
  return measured?.plan === plan ? measured.fits : null;
}

export interface CutSlide {
  slideId: string;
  post: number;
  slide: number;
  fit: FitStatus;
}

/** Slides of the plan whose text does not fit (`overflow`) or is shrunk close to the minimum. */
export function fitProblems(plan: ExportPlan, fits: Map<string, FitStatus> | null): CutSlide[] {
  if (!fits) return [];
  return plan.posts.flatMap((p) =>
    p.slides.flatMap((s) => {
      const fit = fits.get(s.slideId) ?? 'ok';
      return fit === 'ok' ? [] : [{ slideId: s.slideId, post: p.number, slide: s.number, fit }];
    }),
  );
}

/**
 * The slides whose text does not fit, each with a button that selects it in the editor (and
 * closes the dialog), and the confirmation without which such slides are not exported.
 */
export function FitProblems({
  fits,
  problems,
  confirmed,
  onConfirm,
  onShow,
  disabled,
}: {
  fits: Map<string, FitStatus> | null;
  problems: CutSlide[];
  confirmed: boolean;
  onConfirm: (confirmed: boolean) => void;
  onShow: (slideId: string) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  if (!fits) return <p className="field__hint">{t('export.fit.checking')}</p>;
  if (problems.length === 0) return null;
  const cut = problems.some((p) => p.fit === 'overflow');
  return (
    <div className="export-fit">
      <ul className="export-problems" aria-label={t('export.fit.list')}>
        {problems.map((p) => (
          <li
            key={p.slideId}
            className={p.fit === 'overflow' ? 'export-problems__error' : 'export-problems__warning'}
          >
            {t(`export.fit.${p.fit}`, { post: p.post, slide: p.slide })}{' '}
            <button
              type="button"
              aria-label={t('export.fit.showLabel', { post: p.post, slide: p.slide })}
              onClick={() => onShow(p.slideId)}
            >
              {t('export.fit.show')}
            </button>
          </li>
        ))}
      </ul>
      {cut ? (
        <label className="export-fit__confirm">
          <input
            type="checkbox"
            checked={confirmed}
            disabled={disabled}
            onChange={(e) => onConfirm(e.target.checked)}
          />{' '}
          {t('export.fit.confirm')}
        </label>
      ) : null}
    </div>
  );
}
