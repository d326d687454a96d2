// How long a revocation takes to reach another instance: the time from
// revokeUser() resolving in process A to the moment process B refuses the
// token, for each store, over BENCH_PROPAGATION_N revocations (default 1000),
// one at a time. Both processes run __test__/sync-child.js; times come from
// performance.timeOrigin + performance.now(), comparable across processes on
// one host. B stamps the time when the change is applied and verify() refuses.
// `node benchmark/propagation.mjs` — env: BENCH_PROPAGATION_N, BENCH_PROPAGATION_STORES
// (redis,postgres,sqlite), BENCH_PROPAGATION_GAP_MS (pause between revocations, default 2),
// BENCH_PROPAGATION_REDIS_CLIENT (ioredis or node-redis), PG_URL, REDIS_URL.
import { createRequire } from 'node:module'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describeMachine, envList, envNumber, markdown, versions, writeResult } from './lib/report.mjs'

const require = createRequire(import.meta.url)
const { start, tokenFor } = require('../__test__/helpers-sync.js')

const N = envNumber('BENCH_PROPAGATION_N', 1000)
const GAP_MS = envNumber('BENCH_PROPAGATION_GAP_MS', 2)
const STORES = envList('BENCH_PROPAGATION_STORES', ['redis', 'postgres', 'sqlite'])
const PG_URL = process.env.PG_URL || 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
const REDIS_CLIENT = process.env.BENCH_PROPAGATION_REDIS_CLIENT || 'ioredis'
const NAME = `revocable_bench_propagation_${process.pid}`

const SETUPS = {
  redis: () => ({ config: { kind: REDIS_CLIENT, url: REDIS_URL, name: NAME }, async cleanup() {
    const Redis = require('ioredis')
    const r = new Redis(REDIS_URL)
    const keys = await r.keys(`${NAME}:*`)
    if (keys.length) await r.unlink(keys)
    r.disconnect()
  } }),
  postgres: () => ({ config: { kind: 'postgres', url: PG_URL, name: NAME }, async cleanup() {
    const { Client } = require('pg')
    const c = new Client({ connectionString: PG_URL })
    await c.connect()
    await c.query(`DROP TABLE IF EXISTS "${NAME}", "${NAME}_meta", "${NAME}_log"`)
    await c.end()
  } }),
  sqlite: () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'revocable-propagation-'))
    return { config: { kind: 'sqlite', file: path.join(dir, 'r.db'), name: NAME }, async cleanup() { rmSync(dir, { recursive: true, force: true }) } }
  },
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
function summary(values) {
  const ms = [...values].sort((x, y) => x - y)
  const mean = ms.reduce((t, x) => t + x, 0) / ms.length
  return { p50: pct(ms, 50), p90: pct(ms, 90), p99: pct(ms, 99), max: ms[ms.length - 1], min: ms[0], mean }
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function measure(name) {
  const setup = SETUPS[name]()
  const a = await start(setup.config)
  const b = await start(setup.config)
  try {
    const subs = Array.from({ length: N }, (_, i) => `p${i}`)
    await b.call('arm', { tokens: Object.fromEntries(subs.map((s) => [s, tokenFor(s)])) })
    const revoked = {}
    for (const sub of subs) {
      revoked[sub] = await a.call('revokeUser', { sub })
      await sleep(GAP_MS)
    }
    // The last ones may still be on their way.
    let refused = {}
    for (let i = 0; i < 100; i++) {
      refused = await b.call('refusedAt')
      if (Object.keys(refused).length === N) break
      await sleep(20)
    }
    const done = subs.filter((s) => s in refused)
    // From the promise resolving: negative when B applied the change before A's
    // promise resolved (the server answers A and wakes B at the same moment).
    const fromResolve = summary(done.map((s) => refused[s] - revoked[s].at))
    // From the call: the whole trip, A's write included.
    const fromCall = summary(done.map((s) => refused[s] - revoked[s].called))
    return { store: name === 'redis' ? `redis (${REDIS_CLIENT})` : name, n: N, propagated: done.length, ...fromResolve, fromCall }
  } finally {
    await Promise.all([a.stop(), b.stop()])
    await setup.cleanup()
  }
}

const results = []
for (const name of STORES) {
  const r = await measure(name)
  results.push(r)
  console.error(`${name}: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (${r.propagated}/${r.n})`)
}
console.log(`\nPropagation from revokeUser() resolving in one process to rejection in another (${N} revocations each, ${describeMachine()})\n`)
const f = (x) => x.toFixed(2)
console.log(markdown(['store', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'p99 from the call', 'propagated'],
  results.map((r) => [r.store, f(r.p50), f(r.p90), f(r.p99), f(r.max), f(r.fromCall.p99), `${r.propagated}/${r.n}`])))
console.log('\nsqlite polls PRAGMA data_version every 20 ms (syncInterval); redis and postgres are pushed (XREAD BLOCK, LISTEN).')
writeResult('propagation', {
  command: 'node benchmark/propagation.mjs',
  config: { n: N, gapMs: GAP_MS, stores: STORES, redisClient: REDIS_CLIENT, sqliteSyncInterval: 20 },
  versions: versions(['better-sqlite3', 'pg', 'ioredis', 'redis']),
  results,
})
