// jwt.verify(token, key, options) per call: jsonwebtoken 9 against
// revocable/jsonwebtoken, same tokens, same options (algorithms, issuer,
// audience), same run. jsonwebtoken runs with the key as a string (as most
// apps pass it: it re-parses the string into a KeyObject on every call) and as
// a KeyObject (its fastest form); the drop-in takes the string and keeps the
// parsed key. "cold": a distinct token every call (a pool larger than the
// drop-in's cache of verified tokens, cycled), so no cache keyed by the token
// can hit; "repeated": the same token every call (one session, many requests).
// Ratios are against jsonwebtoken with the string key, in the same mode.
// `node benchmark/compat.mjs` — env: BENCH_TIME_MS (400), BENCH_ROUNDS (3),
// BENCH_POOL (4096), BENCH_ALGS (HS256,RS256), BENCH_MODES (cold,repeated).
import { createRequire } from 'node:module'
import { ISS, AUD, SUB, makeKeys, pool } from './lib/tokens.mjs'
import { runRounds } from './lib/rounds.mjs'
import { describeMachine, envList, envNumber, fmtInt, fmtRatio, markdown, versions, writeResult } from './lib/report.mjs'

const require = createRequire(import.meta.url)
const upstream = require('jsonwebtoken')
const dropIn = require('../lib/compat/jsonwebtoken.js')
const upstreamVersion = versions(['jsonwebtoken']).jsonwebtoken

const TIME_MS = envNumber('BENCH_TIME_MS', 400)
const ROUNDS = envNumber('BENCH_ROUNDS', 3)
const POOL = envNumber('BENCH_POOL', 4096)
const ALGS = envList('BENCH_ALGS', ['HS256', 'RS256'])
const MODES = envList('BENCH_MODES', ['cold', 'repeated'])

const keys = makeKeys()
const TASKS = []
const names = {}
for (const alg of ALGS) {
  const tokens = pool(alg, keys[alg].private, POOL, `compat-${alg}`)
  const options = { algorithms: [alg], issuer: ISS, audience: AUD }
  const rows = {
    [`jsonwebtoken ${upstreamVersion}, string key`]: [upstream, keys[alg].text],
    [`jsonwebtoken ${upstreamVersion}, KeyObject`]: [upstream, keys[alg].object],
    'revocable/jsonwebtoken, string key': [dropIn, keys[alg].text],
  }
  names[alg] = Object.keys(rows)
  for (const [name, [lib, key]] of Object.entries(rows)) {
    // Sanity: each accepts a good token and refuses a forged one.
    if (lib.verify(tokens[0], key, options).sub !== SUB) throw new Error(`${name} ${alg}: refused a good token`)
    const forged = tokens[1].slice(0, -4) + (tokens[1].endsWith('AAAA') ? 'BBBB' : 'AAAA')
    let refused = false
    try { lib.verify(forged, key, options) } catch { refused = true }
    if (!refused) throw new Error(`${name} ${alg}: accepted a forged token`)
    let i = 0
    if (MODES.includes('cold')) TASKS.push({ key: `${alg} cold ${name}`, run: () => lib.verify(tokens[i++ % POOL], key, options) })
    if (MODES.includes('repeated')) TASKS.push({ key: `${alg} repeated ${name}`, run: () => lib.verify(tokens[0], key, options) })
  }
}

console.log(`jwt.verify, one call per token (${MODES.join(', ')}), ${ROUNDS} rounds of ${TIME_MS} ms per task`)
console.log(describeMachine())
const measured = await runRounds(TASKS, { timeMs: TIME_MS, warmupMs: Math.min(100, TIME_MS / 4), rounds: ROUNDS })

const table = []
const results = {}
for (const alg of ALGS) {
  for (const mode of MODES) {
    const base = measured[`${alg} ${mode} ${names[alg][0]}`].opsPerSec
    for (const name of names[alg]) {
      const row = `${alg} ${mode} ${name}`
      const m = measured[row]
      results[row] = { opsPerSec: m.opsPerSec, spreadPct: m.spreadPct, usPerCall: 1e6 / m.opsPerSec, vsStringKey: m.opsPerSec / base }
      table.push([row, fmtInt(m.opsPerSec), `±${m.spreadPct.toFixed(0)}%`, (1e6 / m.opsPerSec).toFixed(2), fmtRatio(m.opsPerSec / base)])
    }
  }
}
console.log(markdown(['verify', 'calls/s', 'spread', 'µs/call', 'vs jsonwebtoken (string key)'], table))
writeResult('compat', { timeMs: TIME_MS, rounds: ROUNDS, pool: POOL, modes: MODES, versions: { jsonwebtoken: upstreamVersion }, results })
