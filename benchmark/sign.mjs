// Signing cost, one token per call, for revocable and its peers in one run:
// the same claims everywhere (sub, iss, aud, iat, exp; revocable adds its
// random jti). Measured as CPU time per token (lib/cpu-rounds.mjs), which
// stays put on a loaded machine where tokens/s by the wall clock does not;
// tokens/s below are per CPU-second.
// `node benchmark/sign.mjs` — env: BENCH_TIME_MS (default 300) per task per round,
// BENCH_ROUNDS (5), BENCH_ALGS (HS256,ES256,EdDSA,RS256). BENCH_TIME_MS=30 BENCH_ROUNDS=1 is a smoke run.
import { createRequire } from 'node:module'
import { generateKeyPairSync, randomBytes, createSecretKey } from 'node:crypto'
import { SignJWT, importPKCS8 } from 'jose'
import { ISS, AUD, SUB } from './lib/tokens.mjs'
import { runCpuRounds } from './lib/cpu-rounds.mjs'
import { describeMachine, envList, envNumber, fmtInt, fmtRatio, markdown, versions, writeResult } from './lib/report.mjs'
import { TARGETS, checkTargets } from './lib/targets.mjs'

const require = createRequire(import.meta.url)
const revocable = require('../index.js')
const jsonwebtoken = require('jsonwebtoken')
const { createSigner } = require('fast-jwt')

const TIME_MS = envNumber('BENCH_TIME_MS', 300)
const ROUNDS = envNumber('BENCH_ROUNDS', 5)
const WARMUP_MS = Math.min(100, Math.max(10, TIME_MS / 4))
const ALGS = envList('BENCH_ALGS', ['HS256', 'ES256', 'EdDSA', 'RS256'])
const LIFETIME_S = 3600

/** { private: KeyObject, pem, public: KeyObject, crypto: CryptoKey for jose } per algorithm. */
async function makeKey(alg) {
  if (alg === 'HS256') {
    const text = randomBytes(32).toString('hex')
    return { text, object: createSecretKey(Buffer.from(text)), verify: text, jose: new TextEncoder().encode(text) }
  }
  const kind = { ES256: ['ec', { namedCurve: 'P-256' }], EdDSA: ['ed25519', {}], RS256: ['rsa', { modulusLength: 2048 }] }[alg]
  const { privateKey, publicKey } = generateKeyPairSync(...kind)
  const text = privateKey.export({ type: 'pkcs8', format: 'pem' })
  return { text, object: privateKey, verify: publicKey, jose: await importPKCS8(text, alg) }
}

async function openGuard(alg, key) {
  const asymmetric = alg !== 'HS256'
  return revocable.open({
    algorithms: [alg], key: asymmetric ? key.verify : key.text, signingKey: asymmetric ? key.object : undefined,
    issuer: ISS, audience: AUD, maxTokenLifetime: LIFETIME_S, store: revocable.stores.sqlite(':memory:'),
  })
}

const claims = () => ({ sub: SUB })
const jwtOptions = (alg) => ({ algorithm: alg, issuer: ISS, audience: AUD, expiresIn: LIFETIME_S })

/** [name, factory(alg, key, guard) → () => token (or a Promise of one) | falsy, { revocable }] */
const ROWS = [
  ['revocable sign', (alg, k) => () => revocable.sign(claims(), k.object, jwtOptions(alg)), { revocable: true }],
  ['revocable sign (string/PEM)', (alg, k) => () => revocable.sign(claims(), k.text, jwtOptions(alg)), { revocable: true }],
  ['revocable auth.sign', (alg, k, g) => () => g.sign(claims(), { issuer: ISS, audience: AUD }), { revocable: true }],
  ['revocable auth.issue (pair)', (alg, k, g) => () => g.issue(SUB, { issuer: ISS, audience: AUD }), { revocable: true }],
  // jsonwebtoken 9 has no EdDSA.
  ['jsonwebtoken (KeyObject)', (alg, k) => alg !== 'EdDSA' && (() => jsonwebtoken.sign(claims(), k.object, jwtOptions(alg)))],
  ['jsonwebtoken (string/PEM)', (alg, k) => alg !== 'EdDSA' && (() => jsonwebtoken.sign(claims(), k.text, jwtOptions(alg)))],
  ['fast-jwt', (alg, k) => {
    const s = createSigner({ key: k.text, algorithm: alg, iss: ISS, aud: AUD, expiresIn: LIFETIME_S * 1000 })
    return () => s(claims())
  }],
  ['jose (CryptoKey)', (alg, k) => async () => new SignJWT(claims()).setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuedAt().setIssuer(ISS).setAudience(AUD).setExpirationTime(`${LIFETIME_S}s`).sign(k.jose)],
]

/** Every row's token must verify with the public key and carry the claims; a broken signer fails here, not in a table. */
async function check(name, alg, make, key) {
  const out = await make()
  const tokens = typeof out === 'string' ? [out] : [out.accessToken]
  const verifier = new revocable.Verifier({ algorithms: [alg], key: key.verify, issuer: ISS, audience: AUD })
  for (const t of tokens) {
    const got = verifier.verify(t)
    if (got.sub !== SUB || !(got.exp > got.iat)) throw new Error(`${name} ${alg}: unexpected claims ${JSON.stringify(got)}`)
  }
  if (typeof out !== 'string' && typeof out.refreshToken !== 'string') throw new Error(`${name}: no refresh token`)
}

const TASKS = []
let sink
for (const alg of ALGS) {
  const key = await makeKey(alg)
  const guard = await openGuard(alg, key)
  for (const [name, factory, flags = {}] of ROWS) {
    const make = factory(alg, key, guard)
    if (!make) continue
    await check(name, alg, make, key)
    const async = make.constructor.name === 'AsyncFunction'
    TASKS.push({ key: `${alg}|${name}`, async, run: async ? async () => { sink = await make() } : () => { sink = make() }, flags })
  }
}
console.log(`All ${TASKS.length} signers checked (their tokens verify with iss, aud, sub, exp). Benchmarking ${ROUNDS} rounds x ` +
  `${TASKS.length} tasks x (${WARMUP_MS} ms warmup + ${TIME_MS} ms)...`)

const started = Date.now()
const measured = await runCpuRounds(TASKS, {
  timeMs: TIME_MS, warmupMs: WARMUP_MS, rounds: ROUNDS,
  after: () => { if (!sink) throw new Error('the last task returned nothing') },
})
const elapsedSeconds = (Date.now() - started) / 1000

// results[alg][row].sign = { opsPerSec, spreadPct, rounds } (one mode, "sign", so targets read like verify's).
const results = {}
for (const [key, r] of Object.entries(measured)) {
  const [alg, name] = key.split('|')
  results[alg] ??= {}
  results[alg][name] = { sign: r }
}
const rowNames = ROWS.map(([n]) => n).filter((n) => ALGS.some((a) => results[a][n]))
const peers = ROWS.filter(([n, , f = {}]) => !f.revocable && rowNames.includes(n)).map(([n]) => n)
const ours = ROWS.filter(([n, , f = {}]) => f.revocable && rowNames.includes(n)).map(([n]) => n)
const ratios = {}
for (const alg of ALGS) {
  ratios[alg] = Object.fromEntries(ours.map((o) => [o, Object.fromEntries(
    peers.filter((p) => results[alg][p]).map((p) => [p, results[alg][o].sign.opsPerSec / results[alg][p].sign.opsPerSec]))]))
}

const fmtOps = (x) => (x ? `${fmtInt(x.opsPerSec)} ±${x.spreadPct.toFixed(0)}%` : 'n/a')
console.log(`\n${describeMachine()}, ${elapsedSeconds.toFixed(1)} s`)
console.log(`\nSign (sub, iss, aud, iat, exp): tokens per CPU-second, best of ${ROUNDS} rounds`)
console.log(markdown(['library', ...ALGS], rowNames.map((n) => [n, ...ALGS.map((a) => fmtOps(results[a][n]?.sign))])))
for (const o of ours) {
  console.log(`\n${o} / X:`)
  console.log(markdown(['X', ...ALGS], peers.map((p) => [p, ...ALGS.map((a) => fmtRatio(ratios[a][o]?.[p]))])))
}
const targets = checkTargets(results, TARGETS.sign)
console.log('\nTargets (same-run ratios):')
console.log(markdown(['target', 'measured', 'wanted', ''], targets.map((t) => [t.label, fmtRatio(t.ratio), `≥ ${t.min}x`, t.ratio === null ? 'not measured' : t.ratio >= t.min ? 'met' : 'MISSED'])))
console.log('± = half the min-max spread over the rounds. jose rows are async (awaited; its CPU time includes the thread pool). auth.issue signs two tokens per call.')

writeResult('sign', {
  command: 'node benchmark/sign.mjs',
  config: { timeMs: TIME_MS, warmupMs: WARMUP_MS, rounds: ROUNDS, elapsedSeconds },
  versions: versions(['jsonwebtoken', 'jose', 'fast-jwt', 'tinybench']),
  algorithms: ALGS, rows: rowNames, results, ratios, targets,
})
process.exit(0) // the Guards' stores stay open; nothing else to wait for
