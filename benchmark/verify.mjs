// Verify throughput: revocable vs jsonwebtoken, jose and fast-jwt, measured in one run on the
// same tokens, with iss/aud/algorithms checks on everywhere. `node benchmark/verify.mjs`
// BENCH_TIME_MS (default 2000) is the measured time per task; use e.g. 200 for a smoke run.
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

const TIME_MS = Number(process.env.BENCH_TIME_MS || 2000)
const WARMUP_MS = Math.min(500, Math.max(50, TIME_MS / 4))
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

const bench = new Bench({ time: TIME_MS, warmupTime: WARMUP_MS, throws: true })
const tokens = {}
let sink // the last result of each task, checked after the run
for (const alg of ALGS) {
  tokens[alg] = tokenFor(alg)
  for (const [name, make] of ROWS) {
    const fn = make(alg, KEYS[alg])
    await check(name, alg, fn, tokens[alg])
    const token = tokens[alg]
    const isAsync = fn.constructor.name === 'AsyncFunction'
    bench.add(`${alg}|${name}`, isAsync ? async () => { sink = await fn(token) } : () => { sink = fn(token) }, { async: isAsync })
  }
}
console.log(`All ${ROWS.length * ALGS.length} verifiers checked (sub, signature, iss, aud). ` +
  `Benchmarking ${bench.tasks.length} tasks x (${WARMUP_MS} ms warmup + ${TIME_MS} ms)...`)

const started = Date.now()
await bench.run()
const elapsed = (Date.now() - started) / 1000
if (sink?.sub !== SUB) throw new Error(`the last task returned ${JSON.stringify(sink)}`)

// ops/s = runs / total time (1000 / mean latency); tinybench's throughput.mean is a mean of
// per-sample rates, which overstates throughput when latencies vary.
const results = Object.fromEntries(ALGS.map((a) => [a, {}]))
for (const task of bench.tasks) {
  const [alg, name] = task.name.split('|')
  const r = task.result
  if (r.state !== 'completed') throw new Error(`${task.name}: ${r.state} ${r.error ?? ''}`)
  results[alg][name] = { opsPerSec: 1000 / r.latency.mean, rmePct: r.latency.rme, samples: r.latency.samplesCount, p50us: r.latency.p50 * 1000 }
}
const ratios = Object.fromEntries(ALGS.map((alg) => {
  const own = results[alg]['revocable Verifier'].opsPerSec
  return [alg, Object.fromEntries(ROWS.slice(1).map(([name]) => [name, own / results[alg][name].opsPerSec]))]
}))

const fmtOps = (x) => Math.round(x.opsPerSec).toLocaleString('en-US').padStart(10) + ` ±${x.rmePct.toFixed(1)}%`
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
console.log('\nrevocable/X > 1: revocable verifies more tokens/s than X. ±: tinybench relative margin of error. jose rows are async (awaited).')

mkdirSync(new URL('./results/', import.meta.url), { recursive: true })
const out = {
  date: new Date().toISOString(),
  machine: { cpu, cpus: os.cpus().length, node: process.version, platform: os.platform(), arch: os.arch(), loadavg: os.loadavg() },
  config: { timeMs: TIME_MS, warmupMs: WARMUP_MS, elapsedSeconds: elapsed },
  versions,
  claims: jwt.decode(tokens.HS256),
  results,
  ratios,
}
writeFileSync(new URL('./results/verify.json', import.meta.url), JSON.stringify(out, null, 2) + '\n')
console.log('Wrote benchmark/results/verify.json')
