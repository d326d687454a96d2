// Verify throughput: revocable vs jsonwebtoken, jose and fast-jwt, measured in one run on the
// same tokens, with iss/aud/algorithms checks on everywhere. `node benchmark/verify.mjs`
// BENCH_TIME_MS (default 600) per task per round, BENCH_ROUNDS (default 3); BENCH_TIME_MS=50 is a smoke run.
import { createRequire } from 'node:module'
import { createSecretKey, generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { Bench } from 'tinybench'
import { jwtVerify } from 'jose'

const require = createRequire(import.meta.url)
const revocable = require('../index.js')
const jwt = require('jsonwebtoken')
const { createVerifier } = require('fast-jwt')

const TIME_MS = Number(process.env.BENCH_TIME_MS || 600) // per task per round
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3)
const WARMUP_MS = Math.min(150, Math.max(20, TIME_MS / 4))
const ISS = 'https://issuer.example'
const AUD = 'web'
const SUB = 'user-42'

// Keys and tokens, generated once. Tokens come from jsonwebtoken (a neutral signer: integer iat, no jti).
const secret = randomBytes(32).toString('hex')
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const KEYS = {
  HS256: { sign: secret, text: secret, object: createSecretKey(Buffer.from(secret)) },
  ES256: { sign: ec.privateKey, text: ec.publicKey.export({ type: 'spki', format: 'pem' }), object: ec.publicKey },
}
// jose's native key type. On Node 20 jose re-imports a secret KeyObject/Uint8Array into WebCrypto on every call.
const { subtle } = globalThis.crypto
KEYS.HS256.crypto = await subtle.importKey('raw', Buffer.from(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
KEYS.ES256.crypto = await subtle.importKey('spki', ec.publicKey.export({ type: 'spki', format: 'der' }),
  { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify'])
const tokenFor = (alg, claims = {}, opts = {}) =>
  jwt.sign({ sub: SUB, ...claims }, KEYS[alg].sign, { algorithm: alg, expiresIn: '1h', issuer: ISS, audience: AUD, ...opts })

// One row per way of verifying; each factory returns (token) => claims (or a Promise of them).
const checks = (alg) => ({ algorithms: [alg], issuer: ISS, audience: AUD }) // jsonwebtoken, jose, revocable
const fastJwt = (alg, k, extra) => createVerifier({ key: k.text, algorithms: [alg], allowedIss: ISS, allowedAud: AUD, ...extra })
const ROWS = [
  ['revocable Verifier', (alg, k) => {
    const v = new revocable.Verifier({ ...checks(alg), key: alg === 'HS256' ? k.text : k.object })
    return (t) => v.verify(t)
  }],
  ['jsonwebtoken (string/PEM)', (alg, k) => (t) => jwt.verify(t, k.text, checks(alg))],
  ['jsonwebtoken (KeyObject)', (alg, k) => (t) => jwt.verify(t, k.object, checks(alg))],
  ['jose jwtVerify (KeyObject)', (alg, k) => async (t) => (await jwtVerify(t, k.object, checks(alg))).payload],
  ['jose jwtVerify (CryptoKey)', (alg, k) => async (t) => (await jwtVerify(t, k.crypto, checks(alg))).payload],
  ['fast-jwt (no cache)', (alg, k) => fastJwt(alg, k)],
  ['fast-jwt (cache: true, hit)', (alg, k) => fastJwt(alg, k, { cache: true })],
]
const ALGS = ['HS256', 'ES256']

// Sanity: every verifier returns the right sub, and rejects a bad signature, a wrong iss and a wrong aud.
// A misconfigured verifier (checks silently off, wrong key) fails here instead of producing a number.
async function rejects(fn, token) {
  try { await fn(token) } catch { return true }
  return false
}
async function check(name, alg, fn, token) {
  const claims = await fn(token)
  if (claims?.sub !== SUB) throw new Error(`${name} ${alg}: expected sub ${SUB}, got ${JSON.stringify(claims)}`)
  const [h, p, s] = token.split('.')
  const badSig = `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`
  const bad = {
    'bad signature': badSig,
    'wrong iss': tokenFor(alg, {}, { issuer: 'https://evil.example' }),
    'wrong aud': tokenFor(alg, {}, { audience: 'other' }),
  }
  for (const [what, t] of Object.entries(bad)) {
    if (!(await rejects(fn, t))) throw new Error(`${name} ${alg}: accepted a token with a ${what}`)
  }
}

const TASKS = []
const tokens = {}
let sink // the last result of each task, checked after every round
for (const alg of ALGS) {
  const token = (tokens[alg] = tokenFor(alg))
  for (const [name, make] of ROWS) {
    const fn = make(alg, KEYS[alg])
    await check(name, alg, fn, token)
    const async = fn.constructor.name === 'AsyncFunction'
    TASKS.push({ key: `${alg}|${name}`, async, run: async ? async () => { sink = await fn(token) } : () => { sink = fn(token) } })
  }
}
console.log(`All ${TASKS.length} verifiers checked (sub, signature, iss, aud). Benchmarking ${ROUNDS} rounds x ` +
  `${TASKS.length} tasks x (${WARMUP_MS} ms warmup + ${TIME_MS} ms)...`)

// Throughput on this kind of machine drifts by tens of percent from one second to the next, so
// every task runs in each of several rounds (order reversed every other round) and the median counts.
// ops/s = 1000 / mean latency (runs / time); tinybench's throughput.mean averages per-sample rates.
const perRound = Object.fromEntries(TASKS.map((t) => [t.key, []]))
const started = Date.now()
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ time: TIME_MS, warmupTime: WARMUP_MS, throws: true })
  for (const t of round % 2 ? [...TASKS].reverse() : TASKS) bench.add(t.key, t.run, { async: t.async })
  await bench.run()
  for (const task of bench.tasks) {
    if (task.result.state !== 'completed') throw new Error(`${task.name}: ${task.result.state} ${task.result.error ?? ''}`)
    perRound[task.name].push(1000 / task.result.latency.mean)
  }
  if (sink?.sub !== SUB) throw new Error(`the last task returned ${JSON.stringify(sink)}`)
  console.log(`  round ${round + 1}/${ROUNDS} done`)
}
const elapsed = (Date.now() - started) / 1000

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const results = Object.fromEntries(ALGS.map((a) => [a, {}]))
for (const [key, rounds] of Object.entries(perRound)) {
  const [alg, name] = key.split('|')
  const opsPerSec = median(rounds)
  results[alg][name] = { opsPerSec, spreadPct: ((Math.max(...rounds) - Math.min(...rounds)) / 2 / opsPerSec) * 100, rounds }
}
const ratios = Object.fromEntries(ALGS.map((alg) => {
  const own = results[alg]['revocable Verifier'].opsPerSec
  return [alg, Object.fromEntries(ROWS.slice(1).map(([name]) => [name, own / results[alg][name].opsPerSec]))]
}))

const fmtOps = (x) => Math.round(x.opsPerSec).toLocaleString('en-US').padStart(10) + ` ±${x.spreadPct.toFixed(0).padStart(2)}%`
const fmtRatio = (x) => (x === undefined ? '—' : `${x.toFixed(2)}x`)
const head = ['library', ...ALGS.map((a) => `${a} ops/s`), ...ALGS.map((a) => `${a} revocable/X`)]
const rows = ROWS.map(([name]) => [name, ...ALGS.map((a) => fmtOps(results[a][name])), ...ALGS.map((a) => fmtRatio(ratios[a][name]))])
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const line = (cells) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |'

const cpu = os.cpus()[0]?.model ?? 'unknown'
const version = (pkg) => JSON.parse(readFileSync(new URL(`../node_modules/${pkg}/package.json`, import.meta.url))).version
const versions = Object.fromEntries(['jsonwebtoken', 'jose', 'fast-jwt', 'tinybench'].map((p) => [p, version(p)]))
console.log(`\n${cpu} (${os.cpus().length} cpus), Node ${process.version}, ${os.platform()}-${os.arch()}, ` +
  `load avg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${elapsed.toFixed(1)} s`)
console.log(Object.entries(versions).map(([p, v]) => `${p}@${v}`).join(', ') + '\n')
console.log(line(head))
console.log('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|')
for (const r of rows) console.log(line(r))
console.log('\nrevocable/X > 1: revocable verifies more tokens/s than X. ± = half the min-max spread over the rounds. jose rows are async (awaited).')

mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
const out = {
  date: new Date().toISOString(),
  machine: { cpu, cpus: os.cpus().length, node: process.version, platform: os.platform(), arch: os.arch(), loadavg: os.loadavg() },
  config: { timeMs: TIME_MS, warmupMs: WARMUP_MS, rounds: ROUNDS, elapsedSeconds: elapsed },
  versions,
  claims: jwt.decode(tokens.HS256),
  results,
  ratios,
}
writeFileSync(new URL('./results/verify.json', import.meta.url), JSON.stringify(out, null, 2) + '\n')
console.log('Wrote benchmark/results/verify.json')
