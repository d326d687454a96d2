// Verify throughput, one call per token, for revocable and its peers, measured
// in one run on the same tokens with iss/aud/algorithms checks on everywhere.
// "cold": a distinct token every call (a pool larger than any cache, cycled), so
//   no cache can hit; "repeated": the same token every call, so caches do.
// `node benchmark/verify.mjs` — env: BENCH_TIME_MS (default 400) per task per round,
// BENCH_ROUNDS (3), BENCH_REVOKED (10000000), BENCH_ALGS (HS256,RS256,PS256,ES256,EdDSA),
// BENCH_POOL (distinct cold tokens per algorithm; default by signing cost), BENCH_CPU=1 (CPU time per
// verification, best round, instead of wall-clock ops/s: for a loaded machine). BENCH_TIME_MS=30 BENCH_REVOKED=1000 is a smoke run.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { ALGS, SUB, makeKeys, cryptoKeys, token, pool } from './lib/tokens.mjs'
import { ROWS, notes } from './lib/peers.mjs'
import { fillTable } from './lib/table.mjs'
import { runRounds } from './lib/rounds.mjs'
import { runCpuRounds } from './lib/cpu-rounds.mjs'
import { describeMachine, envList, envNumber, fmtInt, fmtRatio, markdown, versions, writeResult } from './lib/report.mjs'
import { TARGETS, checkTargets } from './lib/targets.mjs'

const require = createRequire(import.meta.url)
const revocable = require('../index.js')

const TIME_MS = envNumber('BENCH_TIME_MS', 400)
const ROUNDS = envNumber('BENCH_ROUNDS', 3)
const WARMUP_MS = Math.min(100, Math.max(10, TIME_MS / 4))
const REVOKED = envNumber('BENCH_REVOKED', 10_000_000)
const SELECTED = envList('BENCH_ALGS', ALGS)
// Signing an RSA token costs ~0.4 ms, an HMAC one ~3 µs: pools sized so building them takes about a second each.
const POOL = { HS256: 65536, RS256: 4096, PS256: 4096, ES256: 16384, EdDSA: 16384 }
const poolSize = (alg) => envNumber('BENCH_POOL', POOL[alg])
// The verified-token cache (`cache` option) lands separately; until then "repeated" is the uncached path.
const hasCache = /\bcache\?:/.test(readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8'))
if (hasCache && Math.min(...SELECTED.map(poolSize)) <= 1000) console.log('note: BENCH_POOL <= 1000 (the default cache size): cold runs would hit the caches and the run stops')

const keys = makeKeys()
const ctx = { cryptoKeys: await cryptoKeys(keys), guards: {}, hasCache }

// Guards on one SQLite store per table size (one Guard per algorithm and mode); the big
// table is filled natively before the Guards open on it.
async function openGuards(label, n) {
  const store = revocable.stores.sqlite(':memory:')
  const t0 = performance.now()
  const holder = fillTable(store.id, n, 'token')
  const fillSeconds = (performance.now() - t0) / 1000
  const guards = { cold: {}, repeated: {} }
  for (const [mode, alg] of ['cold', 'repeated'].flatMap((m) => SELECTED.map((a) => [m, a]))) {
    guards[mode][alg] = await revocable.open({
      algorithms: [alg], key: alg === 'HS256' ? keys[alg].text : keys[alg].object, issuer: 'https://issuer.example', audience: 'web',
      maxTokenLifetime: '1h', store, pruneInterval: 24 * 3600_000, // no prune sweep of 10M entries mid-measurement
    })
  }
  const any = guards.cold[SELECTED[0]]
  ctx.guards[label] = { guards, holder, entries: any.stats().tokens, bytes: any.stats().bytes, fillSeconds }
}
await openGuards('small', 10)
console.log(`Filling a table with ${fmtInt(REVOKED)} revoked tokens...`)
if (REVOKED !== 10_000_000) console.log(`note: the "Guard (10M revoked)" rows hold ${fmtInt(REVOKED)} revoked tokens in this run (BENCH_REVOKED)`)
await openGuards('big', REVOKED)
console.log(`  ${fmtInt(ctx.guards.big.entries)} entries in ${ctx.guards.big.fillSeconds.toFixed(1)} s (table ${fmtInt(ctx.guards.big.bytes / 2 ** 20)} MiB)`)
ctx.guard = (alg, which, mode) => ctx.guards[which].guards[mode][alg]

// Sanity: every verifier returns the right sub and rejects a bad signature, a wrong iss and a
// wrong aud; a Guard also rejects a revoked token. A misconfigured verifier fails here instead of producing a number.
async function rejects(fn, t) {
  try { await fn(t) } catch (err) { return err }
  return null
}
async function check(name, alg, fn, good, guard) {
  const claims = await fn(good)
  if (claims?.sub !== SUB) throw new Error(`${name} ${alg}: expected sub ${SUB}, got ${JSON.stringify(claims)}`)
  const [h, p, s] = good.split('.')
  const bad = {
    'bad signature': `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`,
    'wrong iss': token(alg, keys[alg].private, { iss: 'https://evil.example' }),
    'wrong aud': token(alg, keys[alg].private, { aud: 'other' }),
  }
  if (guard) bad.revoked = token(alg, keys[alg].private, { jti: 'revoked-3' })
  for (const [what, t] of Object.entries(bad)) {
    const err = await rejects(fn, t)
    if (!err) throw new Error(`${name} ${alg}: accepted a token with a ${what}`)
    if (what === 'revoked' && err.code !== 'ERR_JWT_REVOKED') throw new Error(`${name} ${alg}: revoked token refused with ${err.code}`)
  }
}

const TASKS = []
let sink
for (const alg of SELECTED) {
  const t0 = performance.now()
  const cold = pool(alg, keys[alg].private, poolSize(alg))
  const repeated = token(alg, keys[alg].private, { jti: 'repeated' })
  console.log(`${alg}: ${fmtInt(cold.length)} cold tokens signed in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  const mask = cold.length - 1
  if (cold.length & mask) throw new Error('BENCH_POOL must be a power of two')
  for (const [name, make, flags = {}] of ROWS) {
    for (const mode of ['cold', 'repeated']) {
      const fn = make(alg, keys[alg], ctx, mode)
      if (!fn) continue
      await check(name, alg, fn, repeated, flags.guard)
      const async = fn.constructor.name === 'AsyncFunction'
      let i = 0
      const run = mode === 'repeated' ? (async ? async () => { sink = await fn(repeated) } : () => { sink = fn(repeated) })
        : async ? async () => { sink = await fn(cold[i++ & mask]) } : () => { sink = fn(cold[i++ & mask]) }
      TASKS.push({ key: `${alg}|${name}|${mode}`, async, run, cacheStats: fn.cacheStats, before: fn.cacheStats?.() })
    }
  }
}
for (const note of Object.values(notes)) if (note) console.log(note)
console.log(`All ${TASKS.length / 2} verifiers checked (sub, signature, iss, aud, revoked). Benchmarking ${ROUNDS} rounds x ` +
  `${TASKS.length} tasks x (${WARMUP_MS} ms warmup + ${TIME_MS} ms)...`)

const started = Date.now()
const measured = await (process.env.BENCH_CPU ? runCpuRounds : runRounds)(TASKS, {
  timeMs: TIME_MS, warmupMs: WARMUP_MS, rounds: ROUNDS,
  after: () => { if (sink?.sub !== SUB) throw new Error(`the last task returned ${JSON.stringify(sink)}`) },
})
const elapsedSeconds = (Date.now() - started) / 1000

// The cold runs must not have been answered from revocable's result cache, and the repeated ones should have been.
const cache = {}
for (const t of TASKS.filter((x) => x.cacheStats)) {
  const now = t.cacheStats()
  const hits = now.hits - t.before.hits
  const misses = now.misses - t.before.misses
  cache[t.key] = { hits, misses, hitRate: hits / (hits + misses || 1) }
  if (t.key.endsWith('|cold') && hits > 0) throw new Error(`${t.key}: ${hits} result-cache hits in a cold run (pool too small?)`)
}

// results[alg][row][mode] = { opsPerSec, spreadPct, rounds }
const results = {}
for (const [key, r] of Object.entries(measured)) {
  const [alg, name, mode] = key.split('|')
  results[alg] ??= {}
  results[alg][name] ??= {}
  results[alg][name][mode] = r
}
const measuredRow = (n) => SELECTED.some((a) => results[a][n])
const rowNames = ROWS.map(([n]) => n).filter(measuredRow)
const peers = ROWS.filter(([n, , f = {}]) => !f.revocable && measuredRow(n)).map(([n]) => n)
const ours = ROWS.filter(([n, , f = {}]) => f.revocable && measuredRow(n)).map(([n]) => n)
// ratios[alg][mode][ours][peer] = ours ops/s / peer ops/s, same run.
const ratios = {}
for (const alg of SELECTED) {
  ratios[alg] = {}
  for (const mode of ['cold', 'repeated']) {
    ratios[alg][mode] = Object.fromEntries(ours.filter((o) => results[alg][o]).map((o) => [o, Object.fromEntries(
      peers.filter((p) => results[alg][p]).map((p) => [p, results[alg][o][mode].opsPerSec / results[alg][p][mode].opsPerSec]))]))
  }
}

const fmtOps = (x) => (x ? `${fmtInt(x.opsPerSec)} ±${x.spreadPct.toFixed(0)}%` : 'n/a')
const mach = describeMachine()
console.log(`\n${mach}, ${elapsedSeconds.toFixed(1)} s; revocable verified-token cache: ${hasCache ? 'on (default)' : 'not built yet'}`)
for (const mode of ['cold', 'repeated']) {
  console.log(`\n${mode === 'cold' ? 'Cold (a distinct token every call)' : 'Repeated (the same token every call)'}: ${process.env.BENCH_CPU ? `ops per CPU-second, best of ${ROUNDS}` : `ops/s, median of ${ROUNDS}`} rounds`)
  console.log(markdown(['library', ...SELECTED], rowNames.map((n) => [n, ...SELECTED.map((a) => fmtOps(results[a][n]?.[mode]))])))
  const main = 'revocable Guard (10M revoked)'
  console.log(`\n${main} / X (${mode}):`)
  console.log(markdown(['X', ...SELECTED], peers.map((p) => [p, ...SELECTED.map((a) => fmtRatio(ratios[a][mode][main]?.[p]))])))
}
const targets = checkTargets(results, TARGETS.verify)
console.log('\nTargets (same-run ratios):')
console.log(markdown(['target', 'measured', 'wanted', ''], targets.map((t) => [t.label, fmtRatio(t.ratio), `≥ ${t.min}x`, t.ratio === null ? 'not measured' : t.ratio >= t.min ? 'met' : 'MISSED'])))
console.log('± = half the min-max spread over the rounds. jose rows are async (awaited).')

writeResult('verify', {
  command: `${process.env.BENCH_CPU ? 'BENCH_CPU=1 ' : ''}node benchmark/verify.mjs`,
  config: { timeMs: TIME_MS, warmupMs: WARMUP_MS, rounds: ROUNDS, revoked: REVOKED, pools: Object.fromEntries(SELECTED.map((a) => [a, poolSize(a)])), elapsedSeconds, revocableCache: hasCache },
  versions: versions(['jsonwebtoken', 'jose', 'fast-jwt', '@node-rs/jsonwebtoken', 'tinybench']),
  notes: Object.values(notes).filter(Boolean),
  table: { entries: ctx.guards.big.entries, bytes: ctx.guards.big.bytes, fillSeconds: ctx.guards.big.fillSeconds },
  algorithms: SELECTED, rows: rowNames, results, ratios, targets, cache,
})
process.exit(0) // the Guards' stores stay open; nothing else to wait for
