'use strict'

const { quote } = require('./options')
const { logNames, MAX_PAYLOAD } = require('./postgres-sync')

/**
 * The PostgreSQL store's writes: each upserts the records into `table` and
 * appends the winning rows to its change log (postgres-sync.js reads it), in
 * one statement. Parameters: kinds, keys, ats, expiresAts (one each for put,
 * arrays for putMany), then the log's lock key, the writer's clock (ms) and
 * the NOTIFY channel.
 */
// A record already there keeps the later of each time: a write never moves a
// cut-off or an exp back. GREATEST ignores NULLs, but NULL means "never
// expires" and must win.
const UPSERT = `ON CONFLICT (kind, key) DO UPDATE SET
          at = GREATEST(r.at, EXCLUDED.at),
          expires_at = CASE WHEN r.expires_at IS NULL OR EXCLUDED.expires_at IS NULL THEN NULL
                            ELSE GREATEST(r.expires_at, EXCLUDED.expires_at) END
        RETURNING kind, key, at, expires_at`

function writeSql(table) {
  const t = quote(table)
  const { log } = logNames(table)
  return {
    // Ids are assigned in one order and could commit in another, and a reader
    // that saw id 6 before id 5 committed would skip 5 for good. Writers of the
    // log therefore take a transaction-scoped advisory lock before drawing an
    // id and hold it until commit, so ids become visible strictly in order and
    // "every row after the last id I applied" is lossless. The lock is taken
    // in the first CTE, which the insert reads from, so it comes first; the
    // whole put stays one statement (one round trip, one implicit transaction).
    put: `WITH lock AS (SELECT pg_advisory_xact_lock(hashtext($5))),
      up AS (
        INSERT INTO ${t} AS r (kind, key, at, expires_at)
        SELECT $1, $2, $3::double precision, $4::double precision FROM lock
        ${UPSERT}),
      logged AS (
        INSERT INTO ${log} (kind, key, at, expires_at, ts)
        SELECT kind, key, at, expires_at, $6::double precision FROM up
        RETURNING json_build_array(id::text, kind, key, at, expires_at, ts)::text AS change, id)
      SELECT pg_notify($7, CASE WHEN octet_length(change) <= ${MAX_PAYLOAD} THEN change ELSE id::text END) FROM logged`,
    // Many records in one statement (one round trip, one transaction, one
    // notification carrying the last id: readers fetch the rows from the log).
    // The batch holds each (kind, key) once: ON CONFLICT cannot update a row twice.
    putMany: `WITH lock AS (SELECT pg_advisory_xact_lock(hashtext($5))),
      up AS (
        INSERT INTO ${t} AS r (kind, key, at, expires_at)
        SELECT u.kind, u.key, u.at, u.expires_at FROM lock,
          unnest($1::text[], $2::text[], $3::double precision[], $4::double precision[]) AS u(kind, key, at, expires_at)
        ${UPSERT}),
      logged AS (
        INSERT INTO ${log} (kind, key, at, expires_at, ts)
        SELECT kind, key, at, expires_at, $6::double precision FROM up
        RETURNING id)
      SELECT pg_notify($7, max(id)::text) FROM logged`,
  }
}

module.exports = { writeSql }
