import type { AgeLabelSet, BiblioStyle, PostStatus } from '../model/schema.ts';
import type { Format } from '../model/instagram.ts';
import type { LibraryView, SlideView } from '../model/read.ts';

/**
 * The workspace API (docs/server.md, "Workspaces"): one place for a network of libraries where
 * all its flashbooks, its participating libraries and its brand kit live. Two links, each with its
 * own token: `member` (see the workspace and create flashbooks in it) and `admin` (also edit the
 * workspace, its libraries and brand kit, replace links, delete archived flashbooks for good).
 */

export const API_WORKSPACES = '/api/workspaces';

export type WorkspaceRole = 'member' | 'admin';
export const WORKSPACE_ROLES: readonly WorkspaceRole[] = ['member', 'admin'];

export function isWorkspaceRole(value: unknown): value is WorkspaceRole {
  return value === 'member' || value === 'admin';
}

/** Edits the workspace, its libraries and brand kit; replaces links; deletes for good. */
export const workspaceRoleCanAdminister = (role: WorkspaceRole | undefined): boolean =>
  role === 'admin';

const enc = encodeURIComponent;
export const workspacePath = (id: string): string => `${API_WORKSPACES}/${enc(id)}`;
export const workspaceFlashbooksPath = (id: string): string => `${workspacePath(id)}/flashbooks`;
export const workspaceFlashbookPath = (id: string, flashbookId: string): string =>
  `${workspaceFlashbooksPath(id)}/${enc(flashbookId)}`;
/** POST: archive (any member); POST …/restore: back to the list. */
export const workspaceArchivePath = (id: string, flashbookId: string): string =>
  `${workspaceFlashbookPath(id, flashbookId)}/archive`;
export const workspaceRestorePath = (id: string, flashbookId: string): string =>
  `${workspaceFlashbookPath(id, flashbookId)}/restore`;
export const workspaceTokensPath = (id: string, role: WorkspaceRole): string =>
  `${workspacePath(id)}/tokens/${role}`;
/** POST (admin; the raw image bytes) and GET `…/assets/<sha256>` (member or admin). */
export const workspaceAssetsPath = (id: string, assetId?: string): string =>
  assetId ? `${workspacePath(id)}/assets/${assetId}` : `${workspacePath(id)}/assets`;

/** The workspace page's link: `/w/<id>#t=<token>` (the token in the fragment, never sent). */
export const workspaceUrl = (id: string, token: string): string => `/w/${enc(id)}#t=${token}`;

/** One participating library. `logo` is an asset id of the workspace's images, or empty. */
export interface WorkspaceLibrary {
  /** Stable within the workspace (chosen by the client, 1–64 of `A–Z a–z 0–9 _ -`). */
  id: string;
  name: string;
  /** District or city. */
  place: string;
  address: string;
  /** Phone, e-mail, site, as the library writes them. */
  contacts: string;
  logo: string;
}

/** What every new flashbook of the workspace starts with (written into its `meta`). */
export interface BrandKit {
  /** Slide theme id (src/slide/themes). */
  theme: string;
  /** `#rrggbb` or empty: overrides the theme's accent colour. */
  brandColor: string;
  /** Asset id of the workspace's logo, or empty. */
  logo: string;
  /** Common hashtags, appended to every post's caption. */
  hashtags: string;
  ageLabelSet: AgeLabelSet;
  biblioStyle: BiblioStyle;
}

export const DEFAULT_BRAND_KIT: BrandKit = {
  theme: 'memory',
  brandColor: '',
  logo: '',
  hashtags: '',
  ageLabelSet: 'kz',
  biblioStyle: 'gost',
};

/** Limits the server enforces (and the settings page shows). */
export const WORKSPACE_LIMITS = {
  name: 200,
  libraries: 100,
  libraryName: 200,
  libraryPlace: 200,
  libraryAddress: 500,
  libraryContacts: 1000,
  hashtags: 500,
} as const;

/** GET /api/workspaces/<id>: the workspace as the bearer may see it. */
export interface Workspace {
  id: string;
  name: string;
  libraries: WorkspaceLibrary[];
  brand: BrandKit;
  /** The role of the bearer token. */
  role: WorkspaceRole;
  createdAt: number;
  updatedAt: number;
  /** Both links, for admins only (the member link is also shown to admins to hand out). */
  memberUrl?: string;
  adminUrl?: string;
}

/** POST /api/workspaces. */
export interface CreateWorkspaceRequest {
  name: string;
}

/** 201 answer to POST /api/workspaces. */
export interface CreatedWorkspace {
  id: string;
  memberToken: string;
  memberUrl: string;
  adminToken: string;
  adminUrl: string;
}

/** PUT /api/workspaces/<id> with the admin token: any of the three; the rest stays. */
export interface UpdateWorkspaceRequest {
  name?: string;
  libraries?: WorkspaceLibrary[];
  brand?: Partial<BrandKit>;
}

/** 200 answer to POST /api/workspaces/<id>/tokens/<role>: the old token is refused from now on. */
export interface ReplacedWorkspaceToken {
  role: WorkspaceRole;
  token: string;
  url: string;
}

/** The links of a flashbook of the workspace, by role (admins get all, members the edit link). */
export interface WorkspaceFlashbookLinks {
  edit?: string;
  view?: string;
  comment?: string;
  approve?: string;
}

/** The flashbook-wide design a cover is drawn with (the slide layer's SlideDesign). */
export interface CoverDesign {
  theme: string;
  brandColor: string;
  logo: string;
  biblioStyle: BiblioStyle;
  attribution: boolean;
  libraries: LibraryView[];
}

/** One flashbook of the workspace, as the workspace page lists it. */
export interface WorkspaceFlashbook {
  id: string;
  title: string;
  createdAt: number;
  /** The last change the server stored, ms since the epoch. */
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  /** The libraries that prepared its posts and slides, and those named in it. */
  libraries: string[];
  /** Posts by review status. */
  statuses: Record<PostStatus, number>;
  /** Published as an exhibition (and where). */
  published: boolean;
  exhibitionUrl?: string;
  /** The first slide and the design it is drawn with, for the cover thumbnail. */
  cover?: { slide: SlideView; format: Format; design: CoverDesign };
  /** The edit link's token (members and admins), so they can open it. */
  editToken?: string;
  /** Every link the workspace holds for it (admins only). */
  links?: WorkspaceFlashbookLinks;
}

/** 200 answer to GET /api/workspaces/<id>/flashbooks: newest change first. */
export interface WorkspaceFlashbooks {
  flashbooks: WorkspaceFlashbook[];
}

/** POST /api/flashbooks inside a workspace: the member (or admin) token goes as Bearer. */
export interface WorkspaceCreation {
  workspace: string;
}
