'use strict'

const errors = require('./errors')

// Result labels: 'ok' and every JwtError code, from the error classes themselves.
const RESULTS = ['ok', ...new Set(Object.values(errors).filter((v) => typeof v === 'function' && /^ERR_JWT_/.test(v.code)).map((v) => v.code))]
const SLOT = new Map(RESULTS.map((r, i) => [r, i]))

/**
 * A Guard's counters. The hot path adds one to a typed-array cell and does
 * nothing else (no allocation, no lookup on success); everything else (the
 * table, the queue, sync) is read only when metrics() is called, on scrape.
 */
class Counters {
  verified = new Float64Array(RESULTS.length)
  #other = new Map() // a code no error class has (kept, not dropped)
  #reasons = new Map() // ERR_JWT_REVOKED by reason ('user', 'session', …, as Rust names them)
  #revocations = new Map() // records this Guard wrote, by kind

  /** A verification that threw `err`: counted under its code, and a revoked token under its reason. */
  failed(err) {
    const code = err && err.code
    const slot = SLOT.get(code)
    if (slot !== undefined) this.verified[slot]++
    else this.#other.set(String(code), (this.#other.get(String(code)) ?? 0) + 1)
    if (code === 'ERR_JWT_REVOKED') {
      const reason = String(err.reason ?? 'unknown')
      this.#reasons.set(reason, (this.#reasons.get(reason) ?? 0) + 1)
    }
  }

  revoked(kind) {
    this.#revocations.set(kind, (this.#revocations.get(kind) ?? 0) + 1)
  }

  snapshot() {
    const verifications = {}
    RESULTS.forEach((r, i) => { verifications[r] = this.verified[i] })
    for (const [code, n] of this.#other) verifications[code] = n
    return { verifications, revoked: Object.fromEntries(this.#reasons), revocations: Object.fromEntries(this.#revocations) }
  }
}

/** What auth.metrics() answers; `parts` are read at this moment. */
function metricsOf(counters, { cache, table, horizon, queue, sync, jwks, nowMs }) {
  const { verifications, revoked, revocations } = counters.snapshot()
  // The store's horizon (lib/guard/horizon.js) is a session entry no token carries: not a revoked session.
  const entries = { user: table.users, session: table.sessions - (horizon ? 1 : 0), token: table.tokens, allow: table.allowed }
  return {
    verifications,
    revoked,
    revocations,
    cache: { hits: cache.hits, misses: cache.misses, size: cache.size, max: cache.max },
    table: {
      entries,
      bytes: table.bytes,
      bytesByKind: { user: table.userBytes, session: table.sessionBytes, token: table.tokenBytes, allow: table.allowedBytes },
      global: table.global > 0,
    },
    persistence: { up: !queue.down, pending: queue.pending, oldestPendingMs: queue.oldestAt === null ? 0 : Math.max(0, nowMs - queue.oldestAt) },
    sync: sync ? { connected: sync.connected, lagMs: sync.lagMs, reloads: sync.reloads } : null,
    // Remote key sets by issuer (or uri): how many fetches, and whether the set in use is fresh.
    jwks: jwks === null ? null : Object.values(jwks).map(({ uri, status, fetches, fetchedAt }) => ({
      uri, up: status === 'ok', fetches, ageMs: fetchedAt === null ? null : Math.max(0, nowMs - fetchedAt),
    })),
  }
}

module.exports = { Counters, metricsOf, RESULTS }
