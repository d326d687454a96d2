// Which hostile tokens each library accepts, measured rather than asserted.
// Prints the table README's security section quotes. `node benchmark/hostile.mjs`
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
