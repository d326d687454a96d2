// One request through the express-jwt middleware, per call: express-jwt 8.5.1
// (on jsonwebtoken 9) against revocable/express-jwt with the same options
// (secret, algorithms, issuer, audience), and with a revocable Guard (which
// also checks revocation). The middleware is called as Express calls it and
// each call ends when it calls next(), so every row includes express-jwt's
// setImmediate turn; the "floor" row is a middleware that only does that.
// express-jwt runs twice: with the key as a string (as most apps pass it) and
// as a KeyObject (its fastest form); ratios are against the KeyObject row.
// HS256 and RS256, a distinct token every call (no cache can hit).
// `node benchmark/express-jwt.mjs` — env: BENCH_TIME_MS (400), BENCH_ROUNDS (3),
// BENCH_POOL (4096), EXPRESS_JWT (where express-jwt is, default: resolved from here).
import { createRequire } from 'node:module'
import { createPublicKey, createSecretKey } from 'node:crypto'
import { ISS, AUD, SUB, makeKeys, pool } from './lib/tokens.mjs'
import { runRounds } from './lib/rounds.mjs'
import { describeMachine, envNumber, fmtInt, fmtRatio, markdown, writeResult } from './lib/report.mjs'

const require = createRequire(import.meta.url)
const revocable = require('../index.js')
const { expressjwt: revocableJwt } = require('../lib/compat/express-jwt.js')
const upstreamPath = process.env.EXPRESS_JWT || 'express-jwt'
let upstream
try {
  upstream = require(upstreamPath)
} catch {
  console.error(`express-jwt not found (${upstreamPath}): npm install --no-save express-jwt@8.5.1, or set EXPRESS_JWT to its folder`)
  process.exit(1)
}
const upstreamVersion = require(require.resolve(upstreamPath).replace(/dist[/\\]index\.js$/, 'package.json')).version

const TIME_MS = envNumber('BENCH_TIME_MS', 400)
const ROUNDS = envNumber('BENCH_ROUNDS', 3)
const POOL = envNumber('BENCH_POOL', 4096)
const ALGS = ['HS256', 'RS256']

const keys = makeKeys()
const guards = []

const keyObject = (alg, key) => (alg === 'HS256' ? createSecretKey(Buffer.from(key)) : createPublicKey(key))

/** Runs a middleware on a request carrying `token`; resolves with what it passed to next(). */
const call = (mw, token) => new Promise((resolve) => mw({ headers: { authorization: `Bearer ${token}` } }, {}, resolve))

async function middlewares(alg) {
  const key = alg === 'HS256' ? keys.HS256.secret : keys[alg].text
  const options = { secret: key, algorithms: [alg], issuer: ISS, audience: AUD }
  const guard = await revocable.open({
    algorithms: [alg], key, issuer: ISS, audience: AUD, maxTokenLifetime: '1h', store: revocable.stores.sqlite(':memory:'),
  })
  guards.push(guard)
  await guard.revokeUser('someone-else')
  return {
    floor: (req, res, next) => { setImmediate(next) },
    [`express-jwt ${upstreamVersion}`]: upstream.expressjwt(options),
    // jsonwebtoken 9 first tries every string key as a public key (createPublicKey
    // throws for a secret): a KeyObject skips that, so this row is express-jwt at its best.
    [`express-jwt ${upstreamVersion}, KeyObject`]: upstream.expressjwt({ ...options, secret: keyObject(alg, key) }),
    'revocable/express-jwt': revocableJwt(options),
    'revocable/express-jwt + guard': revocableJwt({ guard }),
  }
}

const TASKS = []
const names = {}
for (const alg of ALGS) {
  const tokens = pool(alg, keys[alg].private, POOL, `ej-${alg}`)
  const mws = await middlewares(alg)
  names[alg] = Object.keys(mws)
  for (const [name, mw] of Object.entries(mws)) {
    // Sanity: each accepts a good token (claims on req.auth) and refuses a forged one.
    const req = { headers: { authorization: `Bearer ${tokens[0]}` } }
    const err = await new Promise((resolve) => mw(req, {}, resolve))
    if (name !== 'floor' && (err || req.auth.sub !== SUB)) throw new Error(`${name} ${alg}: refused a good token: ${err}`)
    const forged = tokens[1].slice(0, -4) + (tokens[1].endsWith('AAAA') ? 'BBBB' : 'AAAA')
    if (name !== 'floor' && (await call(mw, forged))?.code !== 'invalid_token') throw new Error(`${name} ${alg}: accepted a forged token`)
    let i = 0
    TASKS.push({ key: `${alg} ${name}`, async: true, run: () => call(mw, tokens[i++ & (POOL - 1)]) })
  }
}

console.log(`express-jwt middleware, one request per call, ${ROUNDS} rounds of ${TIME_MS} ms per task`)
console.log(describeMachine())
const measured = await runRounds(TASKS, { timeMs: TIME_MS, warmupMs: Math.min(100, TIME_MS / 4), rounds: ROUNDS })
for (const g of guards) await g.close()

const rows = []
const results = {}
// On a shared machine other processes only ever slow a round down, so the best
// round is shown next to the median (the ratios use the same statistic on both sides).
const best = (m) => Math.max(...m.rounds)
for (const alg of ALGS) {
  const baseline = measured[`${alg} express-jwt ${upstreamVersion}, KeyObject`]
  const floor = measured[`${alg} floor`]
  for (const name of names[alg]) {
    const m = measured[`${alg} ${name}`]
    const isFloor = name === 'floor'
    // µs per request spent in the middleware itself, beyond the setImmediate turn every row pays.
    const ownUs = isFloor ? 0 : 1e6 / best(m) - 1e6 / best(floor)
    const ratio = m.opsPerSec / baseline.opsPerSec
    const bestRatio = best(m) / best(baseline)
    results[`${alg} ${name}`] = { opsPerSec: m.opsPerSec, bestOpsPerSec: best(m), spreadPct: m.spreadPct, rounds: m.rounds, ownUs, vsExpressJwt: ratio, vsExpressJwtBest: bestRatio }
    rows.push([`${alg} ${name}`, fmtInt(m.opsPerSec), `±${m.spreadPct.toFixed(0)}%`, fmtInt(best(m)),
      isFloor ? '—' : ownUs.toFixed(1), isFloor ? '—' : fmtRatio(ratio), isFloor ? '—' : fmtRatio(bestRatio)])
  }
}
console.log(markdown(['middleware', 'req/s (median)', 'spread', 'req/s (best round)', 'µs own (best)', 'vs express-jwt KeyObject (median)', '(best)'], rows))
writeResult('express-jwt', { timeMs: TIME_MS, rounds: ROUNDS, pool: POOL, versions: { 'express-jwt': upstreamVersion }, results })
