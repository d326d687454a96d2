'use strict'

const fs = require('node:fs')
const { createHmac, randomBytes, randomUUID } = require('node:crypto')
const { Guard } = require('../guard')
const { decode } = require('../decode')
const { sessionKey, tokenKey } = require('../records')
const { horizonMs, HORIZON_CLAIM, HORIZON_VALUE } = require('../guard/horizon')
const { checkId } = require('./revoke')
const { iso } = require('./time')
const { UsageError } = require('./errors')

async function status(ctx) {
  const conn = await ctx.open()
  const started = performance.now()
  const info = await conn.store.info()
  const answeredMs = performance.now() - started
  const kinds = await conn.store.counts(ctx.now)
  // The store's horizon (lib/guard/horizon.js) is a session record no token carries: shown apart.
  const horizon = await conn.store.get('session', sessionKey(HORIZON_CLAIM, HORIZON_VALUE))
  if (horizon && kinds.session) {
    kinds.session.count--
    kinds.session.bytes -= Buffer.byteLength(horizon.key) + 16
    if (kinds.session.count === 0) delete kinds.session
  }
  const lifetimeMs = horizonMs(horizon)
  const total = Object.values(kinds).reduce((t, k) => ({ count: t.count + k.count, bytes: t.bytes + k.bytes }), { count: 0, bytes: 0 })
  const newest = info.changes.newest
  const out = {
    store: conn.label, health: 'ok', answeredMs: Number(answeredMs.toFixed(2)), schemaVersion: info.schemaVersion,
    maxTokenLifetimeMs: lifetimeMs || null, kinds, total, changes: info.changes,
  }
  const rows = Object.entries(kinds).map(([k, v]) => `  ${k.padEnd(8)} ${String(v.count).padStart(9)} entries ${String(v.bytes).padStart(11)} bytes`)
  ctx.report(out, [
    `store    ${conn.label}`,
    `health   ok (answered in ${answeredMs.toFixed(1)} ms)`,
    `schema   version ${info.schemaVersion}`,
    `lifetime ${lifetimeMs ? `${lifetimeMs / 1000} s, the longest maxTokenLifetime of the apps on this store (cut-offs are kept twice that)` : 'none recorded (no app has opened on this store yet)'}`,
    ...(rows.length ? rows : ['  (no live entries)']),
    `total    ${total.count} entries, ${total.bytes} bytes`,
    `changes  ${info.changes.count} in the change log; newest ${newest === null ? 'none' : `${iso(newest)} (${Math.round((ctx.now - newest) / 1000)} s ago)`}`,
  ].join('\n'))
}

function describe(record) {
  if (record.kind === 'token') return `listed until ${iso(record.at)} (revoked token)`
  if (record.kind === 'allow') return `allowed until ${iso(record.at)} (allow-list)`
  return `tokens issued before ${iso(record.at)} are refused (kept until ${iso(record.expiresAt)})`
}

async function show(ctx, kind) {
  const value = checkId(kind === 'user' ? 'sub' : 'the session id', ctx.arg(0))
  const claim = kind === 'session' ? checkId('--claim', ctx.values.claim ?? 'sid') : null
  const conn = await ctx.open()
  const key = kind === 'user' ? value : sessionKey(claim, value)
  const [record, global] = await Promise.all([conn.store.get(kind, key), conn.store.get('global', '')])
  const name = `${kind === 'user' ? 'user' : claim} ${JSON.stringify(value)}`
  const lines = [record ? `${name}: ${describe(record)}` : `${name}: no entry`]
  if (global) lines.push(`every token: ${describe(global)} (global cut-off)`)
  ctx.report({ store: conn.label, record, global }, lines.join('\n'))
}

/** The records that could concern a token with these claims. */
async function relevant(store, claims, sessionClaims) {
  const wanted = [['global', '']]
  if (typeof claims.sub === 'string') wanted.push(['user', claims.sub])
  for (const c of sessionClaims) if (typeof claims[c] === 'string') wanted.push(['session', sessionKey(c, claims[c])])
  if (typeof claims.jti === 'string') wanted.push(['token', tokenKey(claims.iss ?? '', claims.jti)])
  return (await Promise.all(wanted.map(([k, key]) => store.get(k, key)))).filter(Boolean)
}

/** The same payload under a throwaway HS256 key: the native rules run, the signature is not what is asked. */
function resigned(token, secret) {
  const payload = token.split('.')[1]
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')
  return `${head}.${payload}.${createHmac('sha256', secret).update(`${head}.${payload}`).digest('base64url')}`
}

/** `--key`: a file (PEM, JWK) when one exists at that path, else the HMAC secret itself. */
function keyOf(text) {
  try {
    const content = fs.readFileSync(text, 'utf8')
    return content.trimStart().startsWith('{') ? JSON.parse(content) : content
  } catch {
    return text
  }
}

/**
 * A Guard for `check`: with a key, allowing the token's own alg (a header the
 * key cannot verify is the answer, refused); without one, HS256 over the
 * throwaway secret. A key that cannot be used at all is bad usage.
 */
async function openChecker(alg, key, options) {
  const withKey = !Buffer.isBuffer(key)
  try {
    const guard = await Guard.open({ algorithms: withKey ? [alg] : ['HS256'], key, refresh: false, cache: 0, ...options })
    return { guard, refused: null }
  } catch (err) {
    if (withKey && err.code === 'ERR_JWT_INVALID_OPTION' && err.claim === 'algorithms') {
      return { guard: null, refused: { accepted: false, code: 'ERR_JWT_ALGORITHM', message: `the token's alg ${JSON.stringify(alg)} cannot be verified with this key (${err.message})` } }
    }
    if (withKey && /^ERR_JWT_(KEY|INVALID_OPTION)$/.test(err.code)) throw new UsageError(`--key: ${err.message}`)
    throw err
  }
}

async function check(ctx) {
  const token = ctx.arg(0)
  let parts
  try {
    parts = decode(token, { complete: true })
  } catch (err) {
    throw new UsageError(`the token is not a JWT: ${err.message}`)
  }
  const sessionClaims = ctx.values.claim ? [checkId('--claim', ctx.values.claim)] : ['sid']
  const conn = await ctx.open()
  const records = await relevant(conn.store, parts.payload, sessionClaims)
  const withKey = ctx.values.key !== undefined
  const secret = randomBytes(32)
  // A private table (random id) holding only these records, verified by the Guard's own native code.
  const store = { name: 'check', id: `check:${randomUUID()}`, open: async () => {}, put: async () => {}, prune: async () => 0, close: async () => {},
    load: async (onBatch) => { if (records.length) await onBatch(records) } }
  const { guard, refused } = await openChecker(parts.header.alg, withKey ? keyOf(ctx.values.key) : secret, {
    maxTokenLifetime: ctx.values['max-token-lifetime'] ?? '3650d', sessionClaims, store,
  })
  let verdict = refused
  if (guard) {
    try {
      guard.verify(withKey ? token : resigned(token, secret))
      verdict = { accepted: true }
    } catch (err) {
      verdict = { accepted: false, code: err.code, reason: err.reason, message: err.message }
    } finally {
      await guard.close()
    }
  }
  const rule = verdict.accepted ? 'accepted' : `refused: ${verdict.code}${verdict.reason ? ` (${verdict.reason})` : ''}: ${verdict.message}`
  ctx.report({ store: conn.label, signatureChecked: withKey, ...verdict, records }, [
    `${rule}${withKey ? '' : ' (signature not checked: pass --key to check it)'}`,
    ...records.map((r) => `  ${[r.kind, r.kind === 'user' ? JSON.stringify(r.key) : r.key].filter(Boolean).join(' ')}: ${describe(r)}`),
  ].join('\n'))
  return verdict.accepted ? 0 : 1
}

const commands = {
  status: { args: '', options: [], summary: 'entries and bytes per kind, schema, newest change, health (--json)', run: status },
  'show user': { args: '<sub>', options: [], summary: "what the table says about a user's tokens", run: (ctx) => show(ctx, 'user') },
  'show session': { args: '<sid>', options: ['claim'], summary: 'what the table says about a session or device', run: (ctx) => show(ctx, 'session') },
  check: {
    args: '<jwt>', options: ['key', 'claim', 'max-token-lifetime'],
    summary: 'would this token be refused, by which rule, since when (signature only with --key); exit 1 when refused',
    run: check,
  },
}

module.exports = { commands }
