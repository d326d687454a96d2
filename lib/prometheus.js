'use strict'

// `revocable/prometheus`: a Guard's metrics() in the app's own prom-client
// registry. prom-client is an optional peer dependency: the app's copy is used.
const { invalidOption } = require('./errors')

const byLabel = (label, object) => Object.entries(object).map(([value, n]) => [{ [label]: value }, n])
const one = (n) => (n === null || n === undefined ? [] : [[{}, n]])

// [name, type, help, labelNames, values(metrics) -> [[labels, value], …]]
const METRICS = [
  ['verifications_total', 'counter', 'Tokens verified, by result: ok or the error code', ['result'], (m) => byLabel('result', m.verifications)],
  ['revoked_tokens_total', 'counter', 'Tokens refused as revoked, by the rule that refused them', ['reason'], (m) => byLabel('reason', m.revoked)],
  ['revocations_total', 'counter', 'Revocations written by this instance, by kind', ['kind'], (m) => byLabel('kind', m.revocations)],
  ['cache_hits_total', 'counter', 'Verifications answered from the result cache', [], (m) => one(m.cache.hits)],
  ['cache_misses_total', 'counter', 'Verifications the result cache could not answer', [], (m) => one(m.cache.misses)],
  ['table_entries', 'gauge', 'Entries in the in-memory revocation table, by kind', ['kind'], (m) => byLabel('kind', m.table.entries)],
  ['table_bytes', 'gauge', 'Approximate heap bytes held by the revocation table, by kind', ['kind'], (m) => byLabel('kind', m.table.bytesByKind)],
  ['store_up', 'gauge', '1 when the last write to the store worked, 0 while writes are failing', [], (m) => one(m.persistence.up ? 1 : 0)],
  ['store_pending', 'gauge', 'Revocations in force here but not yet stored', [], (m) => one(m.persistence.pending)],
  ['store_oldest_pending_seconds', 'gauge', 'Age of the oldest revocation not yet stored', [], (m) => one(m.persistence.oldestPendingMs / 1000)],
  ['sync_connected', 'gauge', '1 when this instance follows the other instances\' changes', [], (m) => one(m.sync && (m.sync.connected ? 1 : 0))],
  ['sync_lag_seconds', 'gauge', 'From the last change applied here being written elsewhere to it being applied', [], (m) => one(m.sync && m.sync.lagMs !== null ? m.sync.lagMs / 1000 : null)],
  ['sync_reloads_total', 'counter', 'Full reloads because the change log no longer reached back far enough', [], (m) => one(m.sync && m.sync.reloads)],
  ['jwks_fetches_total', 'counter', 'Fetches of each remote key set', ['uri'], (m) => (m.jwks ?? []).map((k) => [{ uri: k.uri }, k.fetches])],
  ['jwks_up', 'gauge', '1 when the key set in use is the last one fetched, 0 when a refetch failed (stale) or none worked', ['uri'],
    (m) => (m.jwks ?? []).map((k) => [{ uri: k.uri }, k.up ? 1 : 0])],
  ['jwks_age_seconds', 'gauge', 'Time since each remote key set was last fetched', ['uri'],
    (m) => (m.jwks ?? []).filter((k) => k.ageMs !== null).map((k) => [{ uri: k.uri }, k.ageMs / 1000])],
]

function promClient() {
  try {
    return require('prom-client')
  } catch {
    throw invalidOption('client', 'prom-client is not installed: run `npm install prom-client` (or pass the module)')
  }
}

/**
 * Registers `auth`'s metrics (a Guard) with `registry` (default: prom-client's
 * global registry). Each scrape reads `auth.metrics()` once; nothing runs
 * between scrapes. Returns `{ names, unregister() }`.
 * @param {object} auth a Guard from revocable.open()
 * @param {object} [options]
 * @param {object} [options.registry] the app's prom-client Registry
 * @param {string} [options.prefix='revocable_'] prefix of every metric name
 * @param {object} [options.client] the prom-client module, when it cannot be required from here
 */
function register(auth, { registry, prefix = 'revocable_', client } = {}) {
  if (!auth || typeof auth.metrics !== 'function') {
    throw invalidOption('auth', 'must be a Guard (from revocable.open)')
  }
  const prom = client ?? promClient()
  const registers = [registry ?? prom.register]
  const names = []
  // One metrics() read per scrape, shared by every metric of it, so the figures
  // agree with each other (the revoked-token reasons add up to the ERR_JWT_REVOKED
  // count); a registry collects all its metrics within one turn of the event loop.
  let snapshot = null
  const read = () => {
    if (snapshot === null) {
      snapshot = auth.metrics()
      setImmediate(() => { snapshot = null }).unref()
    }
    return snapshot
  }
  for (const [name, type, help, labelNames, values] of METRICS) {
    const Metric = type === 'counter' ? prom.Counter : prom.Gauge
    const set = type === 'counter' ? (m, labels, v) => m.inc(labels, v) : (m, labels, v) => m.set(labels, v)
    // The registry keeps it.
    new Metric({
      name: prefix + name, help, labelNames, registers,
      collect() {
        this.reset()
        for (const [labels, v] of values(read())) set(this, labels, v)
      },
    })
    names.push(prefix + name)
  }
  return { names, unregister: () => names.forEach((n) => registers[0].removeSingleMetric(n)) }
}

module.exports = { register }
