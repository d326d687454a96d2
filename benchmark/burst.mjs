// Group commit under a burst, per store (issue 12, point 4). Two instances in
// separate processes (__test__/sync-child.js) on one store:
//   1. throughput: A revokes BENCH_BURST_N tokens at once; acknowledged revocations/s
//      is N over the time from the first call to the last promise resolving;
//   2. a ban behind a queue: A revokes BENCH_BURST_BEHIND tokens at once and then
//      bans a user; the time from the ban's call in A to B refusing that user's
//      token (B stamps it when the change is applied), with the queue still full.
// Targets: >= 20,000 acknowledged revocations/s on each store, and the ban
// reaches B in under 1 s behind 20,000 queued records.
// `node benchmark/burst.mjs` (npm run bench:burst) — env: BENCH_BURST_N (default 20000),
// BENCH_BURST_BEHIND (default 20000), BENCH_BURST_ROUNDS (default 3, best kept),
// BENCH_BURST_STORES (redis,postgres,sqlite), BENCH_BURST_REDIS_CLIENT (ioredis or node-redis), PG_URL, REDIS_URL.
import { createRequire } from 'node:module'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describeMachine, envList, envNumber, markdown, versions, writeResult, fmtInt } from './lib/report.mjs'

const require = createRequire(import.meta.url)
const { start, tokenFor } = require('../__test__/helpers-sync.js')

const N = envNumber('BENCH_BURST_N', 20_000)
const BEHIND = envNumber('BENCH_BURST_BEHIND', 20_000)
const ROUNDS = envNumber('BENCH_BURST_ROUNDS', 3)
const STORES = envList('BENCH_BURST_STORES', ['redis', 'postgres', 'sqlite'])
const PG_URL = process.env.PG_URL || 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
const REDIS_CLIENT = process.env.BENCH_BURST_REDIS_CLIENT || 'ioredis'
const NAME = `revocable_bench_burst_${process.pid}`

const SETUPS = {
  redis: () => ({ config: { kind: REDIS_CLIENT, url: REDIS_URL, name: NAME }, async cleanup() {
    const r = new (require('ioredis'))(REDIS_URL)
    let cursor = '0'
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${NAME}:*`, 'COUNT', 1000)
      if (keys.length) await r.unlink(keys)
      cursor = next
    } while (cursor !== '0')
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
    const dir = mkdtempSync(path.join(os.tmpdir(), 'revocable-burst-'))
    return { config: { kind: 'sqlite', file: path.join(dir, 'r.db'), name: NAME }, async cleanup() { rmSync(dir, { recursive: true, force: true }) } }
  },
}

async function measure(name) {
  const setup = SETUPS[name]()
  const a = await start(setup.config)
  const b = await start(setup.config)
  try {
    const perSecond = []
    const banMs = []
    for (let round = 0; round < ROUNDS; round++) {
      const burst = await a.call('burst', { n: N })
      perSecond.push(N / ((burst.acked - burst.started) / 1000))
      const sub = `banned-${round}`
      await b.call('arm', { tokens: { [sub]: tokenFor(sub) } })
      const behind = await a.call('burst', { n: BEHIND, ban: sub })
      let refused = {}
      for (let i = 0; i < 500 && !(sub in refused); i++) {
        refused = await b.call('refusedAt')
        if (!(sub in refused)) await new Promise((resolve) => setTimeout(resolve, 20))
      }
      banMs.push(sub in refused ? refused[sub] - behind.banCalled : Infinity)
    }
    const store = name === 'redis' ? `redis (${REDIS_CLIENT})` : name
    return { store, n: N, behind: BEHIND, rounds: ROUNDS, perSecond, banMs, bestPerSecond: Math.max(...perSecond), bestBanMs: Math.min(...banMs), worstBanMs: Math.max(...banMs) }
  } finally {
    await Promise.all([a.stop(), b.stop()])
    await setup.cleanup()
  }
}

const results = []
for (const name of STORES) {
  const r = await measure(name)
  results.push(r)
  console.error(`${r.store}: ${fmtInt(r.bestPerSecond)} acknowledged/s (best of ${ROUNDS}), ban behind ${BEHIND}: ${r.bestBanMs.toFixed(0)}-${r.worstBanMs.toFixed(0)} ms`)
}
console.log(`\nBurst: ${N} token revocations at once; a ban behind ${BEHIND} queued ones (${describeMachine()})\n`)
console.log(markdown(['store', 'acknowledged/s (best)', 'acknowledged/s (each round)', 'ban reaches B, ms (best / worst)'],
  results.map((r) => [r.store, fmtInt(r.bestPerSecond), r.perSecond.map(fmtInt).join(', '), `${r.bestBanMs.toFixed(0)} / ${r.worstBanMs.toFixed(0)}`])))
console.log('\nTargets: >= 20,000 acknowledged/s on each store; the ban in < 1,000 ms.')
writeResult('burst', {
  command: 'node benchmark/burst.mjs',
  config: { n: N, behind: BEHIND, rounds: ROUNDS, stores: STORES, redisClient: REDIS_CLIENT },
  versions: versions(['better-sqlite3', 'pg', 'ioredis', 'redis']),
  results,
})
