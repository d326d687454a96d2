// Every way of verifying a token that the verify benchmark compares. Each
// factory takes (alg, keys, ctx, mode), is called once per mode (a fresh
// instance, so cold and repeated runs share no cache), and returns (token) => claims (or a Promise
// of them), or a falsy value when that peer does not support the algorithm.
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { jwtVerify } from 'jose'
import { ISS, AUD } from './tokens.mjs'

const require = createRequire(import.meta.url)
const revocable = require('../../index.js')
const jsonwebtoken = require('jsonwebtoken')
const { createVerifier } = require('fast-jwt')

const optional = (id) => { try { return require(id) } catch { return null } }
const nodeRs = optional('@node-rs/jsonwebtoken')
const COMPAT = new URL('../../lib/compat/jsonwebtoken.js', import.meta.url)
const compat = existsSync(COMPAT) ? optional(COMPAT.pathname) : null

/** verify bound to `v`, with its result-cache counters (when the build has the cache) for the cold-run check. */
function withStats(v) {
  const fn = (t) => v.verify(t)
  if (typeof v.cacheStats === 'function') fn.cacheStats = () => v.cacheStats()
  return fn
}

const checks = (alg) => ({ algorithms: [alg], issuer: ISS, audience: AUD }) // jsonwebtoken, jose, revocable
const fastJwt = (alg, k, extra) => createVerifier({ key: k.text, algorithms: [alg], allowedIss: ISS, allowedAud: AUD, ...extra })
const revocableKey = (alg, k) => (alg === 'HS256' ? k.text : k.object)

/** [name, factory, { revocable, guard }] — revocable rows are the ones compared against the others. */
export const ROWS = [
  ['revocable Verifier', (alg, k) => withStats(new revocable.Verifier({ ...checks(alg), key: revocableKey(alg, k) })), { revocable: true }],
  // What the result cache costs a cold token (a miss, then an insert) and saves a repeated one.
  ['revocable Verifier (cache: 0)', (alg, k, ctx) => ctx.hasCache && withStats(new revocable.Verifier({ ...checks(alg), key: revocableKey(alg, k), cache: 0 })), { revocable: true }],
  ['revocable Guard (10 revoked)', (alg, k, ctx, mode) => withStats(ctx.guard(alg, 'small', mode)), { revocable: true, guard: true }],
  ['revocable Guard (10M revoked)', (alg, k, ctx, mode) => withStats(ctx.guard(alg, 'big', mode)), { revocable: true, guard: true }],
  ['revocable/jsonwebtoken drop-in', (alg, k) => compat && ((t) => compat.verify(t, k.text, checks(alg))), { revocable: true }],
  // jsonwebtoken 9 has no EdDSA.
  ['jsonwebtoken (string/PEM)', (alg, k) => alg !== 'EdDSA' && ((t) => jsonwebtoken.verify(t, k.text, checks(alg)))],
  ['jsonwebtoken (KeyObject)', (alg, k) => alg !== 'EdDSA' && ((t) => jsonwebtoken.verify(t, k.object, checks(alg)))],
  ['jose (KeyObject)', (alg, k) => async (t) => (await jwtVerify(t, k.object, checks(alg))).payload],
  ['jose (CryptoKey)', (alg, k, ctx) => async (t) => (await jwtVerify(t, ctx.cryptoKeys[alg], checks(alg))).payload],
  ['fast-jwt (no cache)', (alg, k) => fastJwt(alg, k)],
  ['fast-jwt (cache)', (alg, k) => fastJwt(alg, k, { cache: true })],
  ['@node-rs/jsonwebtoken', (alg, k) => nodeRs && ((t) => nodeRs.verifySync(t, k.text, {
    algorithms: [alg], iss: [ISS], aud: [AUD],
  }))],
]

export const notes = {
  jsonwebtoken: 'jsonwebtoken 9 does not support EdDSA',
  compat: compat ? null : `revocable/jsonwebtoken drop-in skipped: ${existsSync(COMPAT) ? 'lib/compat/jsonwebtoken.js failed to load' : 'lib/compat/jsonwebtoken.js does not exist yet'}`,
  nodeRs: nodeRs ? null : '@node-rs/jsonwebtoken skipped: not installed',
}
