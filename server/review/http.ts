import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { asMap, postsMap, str } from '../../src/model/access.ts';
import { isValidId } from '../../src/model/ids.ts';
import { SERVER } from '../../src/model/origins.ts';
import { postDigest } from '../../src/model/review.ts';
import { POST, POST_STATUSES, type PostStatus } from '../../src/model/schema.ts';
import type { Activity, Actor, StatusChange } from '../../src/protocol/api.ts';
import { roleCanApprove, roleCanEdit, roleCanSetStatus } from '../auth/roles.ts';
import { authoriseRequest } from '../http/authorise.ts';
import { readJsonBody } from '../http/body.ts';
import { HttpError, sendJson } from '../http/respond.ts';
import type { Logger } from '../log.ts';
import type { FlashbookStore } from '../storage/types.ts';
import type { Rooms } from '../sync/rooms.ts';
import type { VersionService } from '../versions/service.ts';

export interface ReviewApiOptions {
  store: FlashbookStore;
  versions: VersionService;
  maxBodyBytes: number;
  log: Logger;
  sync: { rooms: Rooms };
}

export const MAX_NOTE_LENGTH = 2000;
export const MAX_ACTOR_FIELD_LENGTH = 200;
/** The activity API answers at most this many changes (the newest). */
export const MAX_ACTIVITY = 1000;

const isStatus = (v: unknown): v is PostStatus =>
  typeof v === 'string' && (POST_STATUSES as readonly string[]).includes(v);

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

function text(value: unknown, what: string, min: number, max: number): string {
  if (typeof value !== 'string') throw new HttpError(400, `${what} must be a string`);
  const trimmed = value.trim();
  const length = [...trimmed].length;
  if (length < min || length > max) {
    throw new HttpError(400, `${what} must be ${min} to ${max} characters`);
  }
  return trimmed;
}

/** The body of PUT …/status, checked field by field; every problem is a 400 that names it. */
function parseRequest(body: unknown): { status: PostStatus; note: string; by: Actor } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'request body must be a JSON object');
  }
  const { status, note, by, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) throw new HttpError(400, `unknown field: ${unknown[0]?.slice(0, 64)}`);
  if (!isStatus(status)) {
    throw new HttpError(400, 'status must be "draft", "review" or "approved"');
  }
  let cleanNote = '';
  if (note !== undefined) {
    if (typeof note !== 'string') throw new HttpError(400, 'note must be a string');
    cleanNote = note.trim();
    if ([...cleanNote].length > MAX_NOTE_LENGTH) {
      throw new HttpError(400, `note must be at most ${MAX_NOTE_LENGTH} characters`);
    }
  }
  if (typeof by !== 'object' || by === null || Array.isArray(by)) {
    throw new HttpError(400, 'by must be an object {"name": "…", "library": "…"}');
  }
  const { name, library, ...extra } = by as Record<string, unknown>;
  if (Object.keys(extra).length) throw new HttpError(400, 'by has only "name" and "library"');
  const actor = {
    name: text(name, 'by.name', 1, MAX_ACTOR_FIELD_LENGTH),
    library: text(library ?? '', 'by.library', 0, MAX_ACTOR_FIELD_LENGTH),
  };
  if (CONTROL.test(actor.name) || CONTROL.test(actor.library)) {
    throw new HttpError(400, 'by.name and by.library must not contain control characters');
  }
  return { status, note: cleanNote, by: actor };
}

/**
 * PUT /api/flashbooks/<id>/posts/<post id>/status: the only way a post's status changes. An
 * edit link moves a post that is not approved between draft and review; an approve link sets
 * anything (approving, sending back with a note). The server writes the status and who/when/role
 * /note into the document (origin SERVER, so every connected client receives it; stored before
 * the answer), and at approval records a version and the post's digest. Each change goes to the
 * activity log.
 */
export async function setPostStatus(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  postId: string,
  opts: ReviewApiOptions,
): Promise<void> {
  const { role } = await authoriseRequest(req, id, opts.store);
  if (!roleCanEdit(role)) {
    throw new HttpError(403, 'a view or comment link cannot change a post’s status');
  }
  if (!isValidId(postId)) throw new HttpError(400, 'invalid post id');
  const request = parseRequest(await readJsonBody(req, opts.maxBodyBytes));
  if (!roleCanSetStatus(role, request.status)) {
    throw new HttpError(403, 'only the approve link may approve a post');
  }

  const { room, release } = await opts.sync.rooms.hold(id);
  try {
    await room.ready;
    if (room.state !== 'ready') throw new HttpError(503, 'the flashbook could not be loaded');
    const post = () => asMap(postsMap(room.doc).get(postId));
    const current = post();
    if (!current) throw new HttpError(404, 'post not found');
    const from = statusOf(current);
    if (from === 'approved' && !roleCanApprove(role)) {
      throw new HttpError(403, 'only the approve link may change the status of an approved post');
    }

    const at = Date.now();
    let digest: string | undefined;
    let versionId: string | undefined;
    if (request.status === 'approved') {
      // The digest of what is approved now; the version holds the whole flashbook as it is.
      digest = postDigest(room.doc, postId);
      const version = await opts.versions.record(id, 'approval');
      versionId = version.id;
    }
    const target = post();
    if (!target || room.state !== 'ready') {
      throw new HttpError(409, 'the post was deleted meanwhile');
    }
    const fromNow = statusOf(target);
    room.doc.transact(() => {
      target.set(POST.status, request.status);
      target.set(POST.statusByName, request.by.name);
      target.set(POST.statusByLibrary, request.by.library);
      target.set(POST.statusRole, role);
      target.set(POST.statusAt, at);
      target.set(POST.statusNote, request.note);
      if (digest !== undefined && versionId !== undefined) {
        target.set(POST.approvedDigest, digest);
        target.set(POST.approvedVersion, versionId);
      } else {
        // What was approved no longer is: the post is not approved.
        if (target.has(POST.approvedDigest)) target.delete(POST.approvedDigest);
        if (target.has(POST.approvedVersion)) target.delete(POST.approvedVersion);
      }
    }, SERVER);
    // Stored (and forwarded) before the answer: nothing is acknowledged that is not stored.
    await room.flushed();
    if (room.state !== 'ready') throw new HttpError(503, 'the change could not be stored');

    const change: StatusChange = {
      postId,
      from: fromNow,
      to: request.status,
      by: request.by,
      role,
      at,
    };
    if (request.note) change.note = request.note;
    if (versionId !== undefined) change.versionId = versionId;
    await opts.store.addStatusChange(id, change);
    opts.log.info('status', { room: id, post: postId, from: fromNow, to: request.status, role });
    sendJson(res, 200, change);
  } finally {
    release();
  }
}

function statusOf(post: Y.Map<unknown>): PostStatus {
  const status = str(post, POST.status);
  return isStatus(status) ? status : 'draft';
}

/** GET /api/flashbooks/<id>/activity with any link of the flashbook: status changes, newest first. */
export async function getActivity(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  opts: ReviewApiOptions,
): Promise<void> {
  await authoriseRequest(req, id, opts.store);
  const changes = await opts.store.listStatusChanges(id, MAX_ACTIVITY);
  sendJson(res, 200, { changes } satisfies Activity);
}
