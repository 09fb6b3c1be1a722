import type { TFunction } from 'i18next';
import { AssetRequestError } from './api.ts';
import { ImageAreaError } from './prepare.ts';

/** A refused or failed upload in the user's language (the server's English text as a fallback). */
export function uploadErrorMessage(t: TFunction, language: string, err: unknown): string {
  if (err instanceof ImageAreaError) return areaMessage(t, language, err);
  if (!(err instanceof AssetRequestError)) {
    return t('image.error.failed', { reason: err instanceof Error ? err.message : String(err) });
  }
  switch (err.status) {
    case 0:
      return t('image.error.offline');
    case 401:
      return t('image.error.badLink');
    case 403:
      return t('image.error.viewOnly');
    case 404:
      return t('image.error.notFound');
    case 413:
      if (err.code === 'quota') {
        return t('image.error.quota', {
          limit: err.details.limit ? formatMegabytes(err.details.limit, language) : '',
        });
      }
      return t('image.error.tooLarge', {
        limit: err.details.limit ? formatMegabytes(err.details.limit, language) : '',
      });
    case 415:
      if (err.code === 'unsupported-format' && err.details.format === 'SVG') {
        return t('image.error.svg');
      }
      if (err.code === 'unsupported-format' && err.details.format) {
        return t('image.error.format', { format: err.details.format });
      }
      if (err.code === 'damaged') return t('image.error.damaged');
      if (err.code === 'too-many-pixels' && err.details.width && err.details.height) {
        const { width, height, maxPixels } = err.details;
        return areaMessage(t, language, { width, height, maxPixels: maxPixels ?? 0 });
      }
      return t('image.error.notImage');
    default:
      return t('image.error.failed', { reason: err.message });
  }
}

function areaMessage(
  t: TFunction,
  language: string,
  size: { width: number; height: number; maxPixels: number },
): string {
  const megapixels = (n: number) =>
    new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(n / 1e6);
  return t('image.error.tooManyPixels', {
    width: size.width,
    height: size.height,
    megapixels: megapixels(size.width * size.height),
    max: megapixels(size.maxPixels),
  });
}

export function formatMegabytes(bytes: number, language: string): string {
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: 'megabyte',
    maximumFractionDigits: 1,
  }).format(bytes / (1024 * 1024));
}

export function formatPercent(fraction: number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(
    Math.min(1, Math.max(0, fraction)),
  );
}
