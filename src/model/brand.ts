import type * as Y from 'yjs';
import { meta } from './access.ts';
import { SERVER, type Origin } from './origins.ts';
import { META, isAgeLabelSet, isAssetId, isBiblioStyle, isHexColor } from './schema.ts';
import { editText } from './text.ts';
import { addLibrary } from './flashbook.ts';
import type { AgeLabelSet, BiblioStyle } from './schema.ts';

/**
 * A workspace's brand kit and participating libraries, written into a new flashbook's `meta`
 * (`theme`, `brandColor`, `logo`, `hashtags`, `ageLabelSet`, `biblioStyle`, `libraries`;
 * docs/document-schema.md): the
 * server does it for a flashbook created online inside a workspace, the client for one created
 * offline (it holds the only replica then). Only valid values are written; the rest keep the
 * seeded defaults.
 */
export interface BrandSettings {
  theme: string;
  brandColor: string;
  logo: string;
  hashtags: string;
  ageLabelSet: AgeLabelSet;
  biblioStyle: BiblioStyle;
}

/** A participating library as a workspace holds it (address and contacts stay in the workspace). */
export interface BrandLibrary {
  id: string;
  name: string;
  place: string;
  logo: string;
}

export function applyBrandKit(
  doc: Y.Doc,
  kit: Partial<BrandSettings>,
  origin: Origin = SERVER,
  libraries: readonly BrandLibrary[] = [],
): void {
  doc.transact(() => {
    // Under the workspace's own ids, so a slide's `library` names the same library everywhere.
    for (const l of libraries) {
      if (!l.name.trim()) continue;
      addLibrary(
        doc,
        { id: l.id, name: l.name, place: l.place, logo: isAssetId(l.logo) ? l.logo : '' },
        origin,
      );
    }
    const m = meta(doc);
    if (typeof kit.theme === 'string' && /^[a-z0-9-]{1,40}$/.test(kit.theme)) {
      m.set(META.theme, kit.theme);
    }
    if (isHexColor(kit.brandColor)) m.set(META.brandColor, kit.brandColor);
    if (isAssetId(kit.logo)) m.set(META.logo, kit.logo);
    if (isAgeLabelSet(kit.ageLabelSet)) m.set(META.ageLabelSet, kit.ageLabelSet);
    if (isBiblioStyle(kit.biblioStyle)) m.set(META.biblioStyle, kit.biblioStyle);
    if (typeof kit.hashtags === 'string' && kit.hashtags.trim()) {
      editText(doc, { kind: 'hashtags' }, kit.hashtags.trim(), undefined, origin);
    }
  }, origin);
}
