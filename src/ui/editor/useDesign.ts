import { useMemo } from 'react';
import { useSessionState } from '../../session/hooks.ts';
import type { SlideDesign } from '../../slide/Slide.tsx';

/** The open flashbook's design, as one stable object (it changes only when a setting does). */
export function useSlideDesign(): SlideDesign {
  const theme = useSessionState((s) => s.view.theme);
  const brandColor = useSessionState((s) => s.view.brandColor);
  const logo = useSessionState((s) => s.view.logo);
  const biblioStyle = useSessionState((s) => s.view.biblioStyle);
  const attribution = useSessionState((s) => s.view.attribution);
  const libraries = useSessionState((s) => s.view.libraries);
  return useMemo(
    () => ({ theme, brandColor, logo, biblioStyle, attribution, libraries }),
    [theme, brandColor, logo, biblioStyle, attribution, libraries],
  );
}
