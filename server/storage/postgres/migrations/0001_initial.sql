-- The SQLite schema (server/storage/sqlite.ts, versions/sqlite.ts) in PostgreSQL, plus what
-- several instances on one database need: per-flashbook dense sequence numbers and leases.
CREATE TABLE flashbooks (
  id              text PRIMARY KEY,
  title           text NOT NULL,
  edit_token_hash bytea NOT NULL,
  view_token      text NOT NULL,
  created_at      bigint NOT NULL,
  -- The seq of the flashbook's last appended update. An append takes this row's lock, so a
  -- flashbook's seqs are dense (1, 2, 3, ...) and commit in order: an instance that has seq n
  -- and sees n + 2 knows exactly what it missed (server/scale/fanout.ts).
  last_seq        bigint NOT NULL DEFAULT 0
);

-- One row per accepted Yjs update; compaction folds a prefix of a flashbook's rows into one,
-- stored at the seq of the last row it covers.
CREATE TABLE updates (
  flashbook_id text NOT NULL REFERENCES flashbooks(id) ON DELETE CASCADE,
  seq          bigint NOT NULL,
  data         bytea NOT NULL,
  PRIMARY KEY (flashbook_id, seq)
);

CREATE TABLE exhibitions (
  flashbook_id   text PRIMARY KEY REFERENCES flashbooks(id) ON DELETE CASCADE,
  slug           text NOT NULL UNIQUE,
  state          bytea,
  posts          text,
  embed_origins  text NOT NULL,
  og_image       text,
  published_at   bigint,
  unpublished_at bigint
);

-- No foreign key, as in SQLite: versions may outlive a flashbook store swap.
CREATE TABLE versions (
  ord          bigserial,
  id           text PRIMARY KEY,
  flashbook_id text NOT NULL,
  created_at   bigint NOT NULL,
  reason       text NOT NULL,
  name         text,
  authors      text NOT NULL,
  state        bytea NOT NULL
);
CREATE INDEX versions_by_flashbook ON versions (flashbook_id, created_at);

-- Image bytes, content-addressed (lowercase hex SHA-256), and which flashbook may read which.
CREATE TABLE asset_objects (
  id   text PRIMARY KEY,
  data bytea NOT NULL
);
CREATE TABLE asset_grants (
  flashbook_id text NOT NULL,
  asset_id     text NOT NULL REFERENCES asset_objects(id),
  type         text NOT NULL,
  width        integer NOT NULL,
  height       integer NOT NULL,
  bytes        integer NOT NULL,
  PRIMARY KEY (flashbook_id, asset_id)
);

-- Leases: work that one instance of several should do (automatic versions of a room).
CREATE TABLE leases (
  name       text PRIMARY KEY,
  holder     text NOT NULL,
  expires_at bigint NOT NULL
);
