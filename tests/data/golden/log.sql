-- A log written by hand, as a third-party ingest following docs/schema.md
-- would: fixed timestamps and identity, so that answers can be pinned byte
-- for byte (tests/golden.sh).
PRAGMA journal_mode = WAL;
CREATE TABLE instances (
  id INTEGER PRIMARY KEY,
  study_uid TEXT NOT NULL,
  series_uid TEXT NOT NULL,
  sop_uid TEXT NOT NULL,
  current_seq INTEGER,
  metadata TEXT,
  UNIQUE (study_uid, series_uid, sop_uid)
);
CREATE TABLE entries (
  seq INTEGER PRIMARY KEY,
  instance_id INTEGER NOT NULL REFERENCES instances(id),
  action INTEGER NOT NULL CHECK (action IN (0, 1)),
  timestamp INTEGER NOT NULL
);
CREATE INDEX entries_timestamp ON entries(timestamp);
CREATE TABLE feed (id TEXT NOT NULL);
INSERT INTO feed (id) VALUES ('0123456789abcdef0123456789abcdef');
PRAGMA user_version = 1;

INSERT INTO instances VALUES
  (1, '1.2.3', '1.2.3.4', '1.2.3.4.5', 3,
   '{"00080018":{"vr":"UI","Value":["1.2.3.4.5"]},"00100010":{"vr":"PN","Value":[{"Alphabetic":"Müller^Jörg","Ideographic":"山田^太郎"}]},"00081030":{"vr":"LO","Value":["say \"hi\"\\now"]},"00280030":{"vr":"DS","Value":[0.1,1e-7]}}'),
  (2, '1.2.3', '1.2.3.4', '1.2.3.4.6', NULL, NULL),
  (3, '1.2.3', '1.2.3.7', '1.2.3.7.1', 5, '{"00080018":{"vr":"UI","Value":["1.2.3.7.1"]}}');
INSERT INTO entries VALUES
  (1, 1, 0, 1583283788483400),
  (2, 2, 0, 1583283788483400),
  (3, 1, 0, 1583283789000000),
  (4, 2, 1, 1583370196483401),
  (5, 3, 0, 1583370196999999);
