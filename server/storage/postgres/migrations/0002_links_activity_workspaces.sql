-- SQLite's schema versions 3 (links, status_changes: server/storage/sqlite.ts) and workspaces
-- (server/workspaces/sqlite.ts) in PostgreSQL.

-- Links (server/auth/links.ts) of any scope: a flashbook's view/comment/edit/approve links, a
-- workspace's member/admin links. token_hash is the token's SHA-256; token is in clear only for
-- roles shown again (view, comment). replaced_at is set when a newer link of the same
-- (scope, scope_id, role) replaced it: the partial unique index allows one current row each.
CREATE TABLE links (
  scope       text NOT NULL,
  scope_id    text NOT NULL,
  role        text NOT NULL,
  token_hash  bytea NOT NULL,
  token       text,
  created_at  bigint NOT NULL,
  replaced_at bigint
);
CREATE INDEX links_by_scope ON links (scope, scope_id);
CREATE UNIQUE INDEX links_current ON links (scope, scope_id, role) WHERE replaced_at IS NULL;

-- A flashbook's two tokens were columns up to here: they become its first edit and view links
-- (as SQLite's migrateLegacyTokens does), then the columns go.
INSERT INTO links (scope, scope_id, role, token_hash, token, created_at)
  SELECT 'flashbook', id, 'edit', edit_token_hash, NULL, created_at FROM flashbooks;
INSERT INTO links (scope, scope_id, role, token_hash, token, created_at)
  SELECT 'flashbook', id, 'view', sha256(convert_to(view_token, 'UTF8')), view_token, created_at
  FROM flashbooks;
ALTER TABLE flashbooks DROP COLUMN edit_token_hash;
ALTER TABLE flashbooks DROP COLUMN view_token;

-- The review activity log (the status API): one row per status change of a post.
CREATE TABLE status_changes (
  seq          bigserial PRIMARY KEY,
  flashbook_id text NOT NULL REFERENCES flashbooks(id) ON DELETE CASCADE,
  post_id      text NOT NULL,
  from_status  text NOT NULL,
  to_status    text NOT NULL,
  note         text,
  by_name      text NOT NULL,
  by_library   text NOT NULL,
  role         text NOT NULL,
  at           bigint NOT NULL,
  version_id   text
);
CREATE INDEX status_changes_by_flashbook ON status_changes (flashbook_id, seq);

-- Workspaces (docs/server.md, "Workspaces"); their links are links of scope 'workspace'.
CREATE TABLE workspaces (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  libraries     text NOT NULL,
  brand         text NOT NULL,
  member_sealed bytea NOT NULL,
  created_at    bigint NOT NULL,
  updated_at    bigint NOT NULL
);
-- The workspace key wrapped for each current token. Written before the workspace row (a link
-- only becomes usable once its key is there), so no foreign key.
CREATE TABLE workspace_keys (
  token_hash   bytea PRIMARY KEY,
  workspace_id text NOT NULL,
  wrapped      bytea NOT NULL
);
CREATE TABLE workspace_flashbooks (
  flashbook_id  text PRIMARY KEY REFERENCES flashbooks(id) ON DELETE CASCADE,
  workspace_id  text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  sealed_tokens bytea NOT NULL,
  added_at      bigint NOT NULL,
  updated_at    bigint NOT NULL,
  archived_at   bigint
);
CREATE INDEX workspace_flashbooks_by_workspace ON workspace_flashbooks (workspace_id);
