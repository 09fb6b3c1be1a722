import { isAgeLabelSet, isAssetId, isBiblioStyle, isHexColor } from '../../src/model/schema.ts';
import { isValidId } from '../../src/model/ids.ts';
import {
  DEFAULT_BRAND_KIT,
  WORKSPACE_LIMITS,
  type BrandKit,
  type WorkspaceLibrary,
} from '../../src/protocol/workspaces.ts';
import { HttpError } from '../http/respond.ts';

/** Checks of what an admin sends; every refusal says which field and why. */

/** Control characters other than tab and line breaks (which contacts and addresses may hold). */
function hasControl(text: string): boolean {
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

export function cleanText(value: unknown, field: string, max: number, required = false): string {
  if (typeof value !== 'string') throw new HttpError(400, `${field} must be a string`);
  const text = value.trim();
  if (hasControl(text)) throw new HttpError(400, `${field} must not contain control characters`);
  const length = [...text].length;
  if (required && length < 1) throw new HttpError(400, `${field} must not be empty`);
  if (length > max) throw new HttpError(400, `${field} must be at most ${max} characters`);
  return text;
}

export function cleanName(value: unknown): string {
  return cleanText(value, 'name', WORKSPACE_LIMITS.name, true).replace(/\s+/g, ' ');
}

export function cleanLibraries(value: unknown): WorkspaceLibrary[] {
  if (!Array.isArray(value)) throw new HttpError(400, 'libraries must be an array');
  if (value.length > WORKSPACE_LIMITS.libraries) {
    throw new HttpError(400, `at most ${WORKSPACE_LIMITS.libraries} libraries`);
  }
  const ids = new Set<string>();
  return value.map((raw, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new HttpError(400, `libraries[${i}] must be an object`);
    }
    const r = raw as Record<string, unknown>;
    if (!isValidId(r.id) || ids.has(r.id)) {
      throw new HttpError(400, `libraries[${i}].id must be a unique id (8-64 of A-Z a-z 0-9 _ -)`);
    }
    ids.add(r.id);
    const logo = r.logo ?? '';
    if (logo !== '' && !isAssetId(logo)) {
      throw new HttpError(400, `libraries[${i}].logo must be an image id or empty`);
    }
    const L = WORKSPACE_LIMITS;
    return {
      id: r.id,
      name: cleanText(r.name, `libraries[${i}].name`, L.libraryName, true),
      place: cleanText(r.place ?? '', `libraries[${i}].place`, L.libraryPlace),
      address: cleanText(r.address ?? '', `libraries[${i}].address`, L.libraryAddress),
      contacts: cleanText(r.contacts ?? '', `libraries[${i}].contacts`, L.libraryContacts),
      logo: logo as string,
    };
  });
}

export function cleanBrand(value: unknown, current: BrandKit = DEFAULT_BRAND_KIT): BrandKit {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'brand must be an object');
  }
  const b = value as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!(key in DEFAULT_BRAND_KIT)) throw new HttpError(400, `brand.${key} is not a brand field`);
  }
  const next = { ...current };
  if (b.theme !== undefined) {
    if (typeof b.theme !== 'string' || !/^[a-z0-9-]{1,40}$/.test(b.theme)) {
      throw new HttpError(400, 'brand.theme must be a theme id');
    }
    next.theme = b.theme;
  }
  if (b.brandColor !== undefined) {
    if (b.brandColor !== '' && !isHexColor(b.brandColor)) {
      throw new HttpError(400, 'brand.brandColor must be #rrggbb or empty');
    }
    next.brandColor = b.brandColor as string;
  }
  if (b.logo !== undefined) {
    if (b.logo !== '' && !isAssetId(b.logo)) {
      throw new HttpError(400, 'brand.logo must be an image id or empty');
    }
    next.logo = b.logo as string;
  }
  if (b.hashtags !== undefined) {
    next.hashtags = cleanText(b.hashtags, 'brand.hashtags', WORKSPACE_LIMITS.hashtags);
  }
  if (b.ageLabelSet !== undefined) {
    if (!isAgeLabelSet(b.ageLabelSet))
      throw new HttpError(400, 'brand.ageLabelSet must be "kz" or "ru"');
    next.ageLabelSet = b.ageLabelSet;
  }
  if (b.biblioStyle !== undefined) {
    if (!isBiblioStyle(b.biblioStyle))
      throw new HttpError(400, 'brand.biblioStyle is not a known style');
    next.biblioStyle = b.biblioStyle;
  }
  return next;
}

/** Reads stored JSON defensively: a damaged row reads as the defaults, never as a crash. */
export function parseBrand(json: string): BrandKit {
  try {
    return cleanBrand(JSON.parse(json));
  } catch {
    return { ...DEFAULT_BRAND_KIT };
  }
}

export function parseLibraries(json: string): WorkspaceLibrary[] {
  try {
    return cleanLibraries(JSON.parse(json));
  } catch {
    return [];
  }
}
