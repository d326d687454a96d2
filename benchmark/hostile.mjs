// Which hostile tokens each library accepts, measured rather than asserted.
// Prints the table README's security section quotes. `node benchmark/hostile.mjs`
// With BENCH_TIME_MS (per task per round; BENCH_ROUNDS, default 3; BENCH_CPU=1 for CPU
// time) it also times each library on each token: the failure path (the error each
// refusal builds and throws), as ratios against the peers in the same run.
import crypto from 'node:crypto'
import { createRequire } from 'node:module'
import * as jose from 'jose'

const require = createRequire(import.meta.url)
const revocable = require('../index.js')
const jsonwebtoken = require('jsonwebtoken')
const { createVerifier } = require('fast-jwt')

const secret = 'a-test-secret-of-at-least-32-bytes!!'
const now = Math.floor(Date.now() / 1000)
const b64 = (x) => Buffer.from(typeof x === 'string' || Buffer.isBuffer(x) ? x : JSON.stringify(x)).toString('base64url')
const hmac = (input, key = secret) => crypto.createHmac('sha256', key).update(input).digest()
const hs = (header, payload, key) => { const i = `${b64(header)}.${b64(payload)}`; return `${i}.${b64(hmac(i, key))}` }
const claims = { sub: 'u1', iat: now - 10, exp: now + 600 }
const rsa1024 = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 })

const nonCanonical = (() => {
  const t = hs({ alg: 'HS256' }, claims)
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  return t.slice(0, -1) + a[a.indexOf(t.at(-1)) | 1]
})()

const cases = [
  ['duplicate claim names ({"sub":"a","sub":"admin"})', hs({ alg: 'HS256' }, `{"sub":"a","exp":${now + 600},"sub":"admin"}`)],
  ['non-canonical base64url (second spelling of a signature)', nonCanonical],
  ['payload that is not an object ("hello")', hs({ alg: 'HS256' }, '"hello"')],
  ['invalid UTF-8 in the payload', hs({ alg: 'HS256' }, Buffer.from([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))],
  ['unknown crit extension', hs({ alg: 'HS256', crit: ['x'], x: 1 }, claims)],
  ['iat one hour in the future', hs({ alg: 'HS256' }, { ...claims, iat: now + 3600 })],
  ['exp as a string ("9999999999")', hs({ alg: 'HS256' }, { ...claims, exp: '9999999999' })],
  ['100 KB token', hs({ alg: 'HS256' }, { ...claims, pad: 'x'.repeat(100_000) })],
]

const verifiers = {
  revocable: (() => { const v = new revocable.Verifier({ algorithms: ['HS256'], key: secret }); return async (t) => v.verify(t) })(),
  'jsonwebtoken 9': async (t) => jsonwebtoken.verify(t, secret, { algorithms: ['HS256'] }),
  'jose 6': async (t) => (await jose.jwtVerify(t, new TextEncoder().encode(secret), { algorithms: ['HS256'] })).payload,
  'fast-jwt 6': (() => { const v = createVerifier({ key: secret, algorithms: ['HS256'] }); return async (t) => v(t) })(),
}

// The same verifiers without the async wrapper, for timing (jose has no sync verify).
const syncVerifiers = {
  revocable: (() => { const v = new revocable.Verifier({ algorithms: ['HS256'], key: secret }); return (t) => v.verify(t) })(),
  'jsonwebtoken 9': (t) => jsonwebtoken.verify(t, secret, { algorithms: ['HS256'] }),
  'jose 6': verifiers['jose 6'],
  'fast-jwt 6': (() => { const v = createVerifier({ key: secret, algorithms: ['HS256'] }); return (t) => v(t) })(),
}

const rows = []
for (const [name, token] of cases) {
  const row = { case: name }
  for (const [lib, verify] of Object.entries(verifiers)) {
    try { await verify(token); row[lib] = 'ACCEPTS' } catch { row[lib] = 'rejects' }
  }
  rows.push(row)
}
// RSA keys under 2048 bits, on verify.
const small = jsonwebtoken.sign({ sub: 'u1' }, rsa1024.privateKey, { algorithm: 'RS256', allowInsecureKeySizes: true, expiresIn: 60 })
const rsaRow = { case: 'RSA-1024 key on verify' }
const tryIt = async (lib, fn) => { try { await fn(); rsaRow[lib] = 'ACCEPTS' } catch { rsaRow[lib] = 'rejects' } }
await tryIt('revocable', () => new revocable.Verifier({ algorithms: ['RS256'], key: rsa1024.publicKey }).verify(small))
await tryIt('jsonwebtoken 9', () => jsonwebtoken.verify(small, rsa1024.publicKey, { algorithms: ['RS256'] }))
await tryIt('jose 6', () => jose.jwtVerify(small, rsa1024.publicKey, { algorithms: ['RS256'] }))
await tryIt('fast-jwt 6', () => createVerifier({ key: rsa1024.publicKey.export({ type: 'spki', format: 'pem' }), algorithms: ['RS256'] })(small))
rows.push(rsaRow)

const libs = Object.keys(verifiers)
console.log(`| hostile token | ${libs.join(' | ')} |`)
console.log(`|---|${libs.map(() => '---').join('|')}|`)
for (const r of rows) console.log(`| ${r.case} | ${libs.map((l) => r[l]).join(' | ')} |`)

if (process.env.BENCH_TIME_MS) await timeRefusals()

async function timeRefusals() {
  const { runRounds } = await import('./lib/rounds.mjs')
  const { runCpuRounds } = await import('./lib/cpu-rounds.mjs')
  const { envNumber, fmtInt, fmtRatio, markdown, describeMachine } = await import('./lib/report.mjs')
  let sink
  const timeMs = envNumber('BENCH_TIME_MS', 200)
  const rounds = envNumber('BENCH_ROUNDS', 3)
  const tasks = cases.flatMap(([name, token]) => Object.entries(syncVerifiers).map(([lib, verify]) => {
    const async = lib === 'jose 6'
    const run = async ? async () => { try { sink = await verify(token) } catch (err) { sink = err } }
      : () => { try { sink = verify(token) } catch (err) { sink = err } }
    return { key: `${name}|${lib}`, async, run }
  }))
  const measured = await (process.env.BENCH_CPU ? runCpuRounds : runRounds)(tasks, { timeMs, warmupMs: Math.min(100, timeMs / 4), rounds })
  if (sink === undefined) throw new Error('no call was timed')
  const ops = (name, lib) => measured[`${name}|${lib}`].opsPerSec
  const peers = libs.filter((l) => l !== 'revocable')
  console.log(`\n${describeMachine()}; ${process.env.BENCH_CPU ? 'calls per CPU-second, best' : 'calls/s, median'} of ${rounds} rounds (a row marks the libraries that accept the token)`)
  console.log(markdown(['hostile token', ...libs, ...peers.map((p) => `revocable / ${p}`)], cases.map(([name], i) => [name,
    ...libs.map((l) => `${fmtInt(ops(name, l))}${rows[i][l] === 'ACCEPTS' ? ' (accepts)' : ''}`),
    ...peers.map((p) => fmtRatio(ops(name, 'revocable') / ops(name, p)))])))
}
