import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  TEMPLATE_IDS,
  templatePreview,
  type TemplateId,
  type TemplateLanguage,
} from '../../model/templates.ts';
import { BrowserSlides } from '../../slide/browser.tsx';
import { Slide, designOf } from '../../slide/Slide.tsx';
import '../../slide/themes/fonts.ts';

const THUMB_WIDTH = 132;

/**
 * The starting templates as cards, each with its cover slide rendered by the slide renderer from
 * the very content the template creates (seeded into a scratch document here, in the user's
 * language). Loaded apart from the home page, which stays light.
 */
export function TemplateGallery({
  language,
  busy,
  onChoose,
}: {
  language: TemplateLanguage;
  busy: boolean;
  onChoose: (id: TemplateId) => void;
}) {
  const { t } = useTranslation();
  const previews = useMemo(
    () =>
      TEMPLATE_IDS.map((id) => {
        const view = templatePreview(id, language);
        const slides = view.posts.flatMap((p) => p.slides);
        return { id, view, cover: slides[0], count: slides.length };
      }),
    [language],
  );
  return (
    <BrowserSlides assets={null}>
      <ul className="templates">
        {previews.map(({ id, view, cover, count }) => (
          <li key={id} className="templates__item">
            <button
              type="button"
              className="templates__card"
              disabled={busy}
              aria-label={t('templates.use', { name: t(`templates.${id}.name`) })}
              data-template={id}
              onClick={() => onChoose(id)}
            >
              <span className="templates__thumb" aria-hidden="true">
                {cover ? (
                  <Slide
                    slide={cover}
                    format={view.format}
                    width={THUMB_WIDTH}
                    flashbookTitle={view.title}
                    design={designOf(view)}
                  />
                ) : null}
              </span>
              <span className="templates__name">{t(`templates.${id}.name`)}</span>
              <span className="templates__hint">{t(`templates.${id}.hint`)}</span>
              <span className="templates__hint">{t('templates.slides', { count })}</span>
            </button>
          </li>
        ))}
      </ul>
    </BrowserSlides>
  );
}
