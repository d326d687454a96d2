'use strict'

const { cutoffRecord, tokenRecord, sessionKey, checkRecord } = require('../records')
const { horizonMs, HORIZON_CLAIM, HORIZON_VALUE } = require('../guard/horizon')
const { decode } = require('../decode')
const { parseDuration, parseTime, iso } = require('./time')
const { UsageError } = require('./errors')

// Longest sub or session id taken from the shell or a file: a real one is far shorter.
const MAX_ID = 1024

/**
 * How long a record is kept for, as the Guard decides it: the longest
 * maxTokenLifetime of any app on the store (each Guard records its own there,
 * the store's horizon) or the one given, whichever is longer, and the
 * clockTolerance (keeping a record longer is harmless, so it defaults
 * generously). Reads the store's horizon, so it opens the store.
 */
async function limits(ctx) {
  const given = ctx.values['max-token-lifetime'] ?? ctx.env.REVOCABLE_MAX_TOKEN_LIFETIME
  const givenMs = given === undefined ? 0 : parseDuration('max-token-lifetime', given)
  const toleranceMs = parseDuration('clock-tolerance', ctx.values['clock-tolerance'] ?? '5m')
  const conn = await ctx.open()
  const storedMs = horizonMs(await conn.store.get('session', sessionKey(HORIZON_CLAIM, HORIZON_VALUE)))
  if (givenMs === 0 && storedMs === 0) {
    throw new UsageError("no app has recorded its maxTokenLifetime in this store yet: pass the apps' --max-token-lifetime (e.g. 1h), or set REVOCABLE_MAX_TOKEN_LIFETIME")
  }
  return { lifetimeMs: Math.max(givenMs, storedMs), toleranceMs }
}

function checkId(what, value) {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${what} must not be empty`)
  if (value.length > MAX_ID) throw new UsageError(`${what} is ${value.length} characters long (at most ${MAX_ID})`)
  if (value.includes('\u0000')) throw new UsageError(`${what} contains U+0000`)
  // A lone surrogate has no UTF-8 form: a store would keep U+FFFD, refusing someone else after a restart.
  if (!value.isWellFormed()) throw new UsageError(`${what} holds a lone surrogate (not well-formed UTF-16)`)
  return value
}

/** Just after now, as the Guard does: a token issued in this same millisecond is refused too. */
const cutoffAt = (ctx) => (ctx.values.before === undefined ? ctx.now + 1 : parseTime('before', ctx.values.before, ctx.now))

/** Stores the record (as the Guard's queue would) and says what was written. */
async function write(ctx, record, what) {
  try {
    checkRecord(record) // the stores' bounds (lib/records.js), before connecting
  } catch (err) {
    throw new UsageError(err.message)
  }
  const conn = await ctx.open()
  await conn.store.put(record)
  const refuses = record.kind === 'token' ? 'is refused' : `issued before ${iso(record.at)} are refused`
  ctx.report({ written: record, store: conn.label },
    `revoked ${what}: ${record.kind === 'token' ? 'the token' : 'tokens'} ${refuses}; kept until ${iso(record.expiresAt)}; stored in ${conn.label}`)
}

const commands = {
  'revoke user': {
    args: '<sub>', options: ['before', 'max-token-lifetime', 'clock-tolerance'],
    summary: 'refuse every token of a user issued before now (or --before): logout everywhere, ban',
    async run(ctx) {
      const sub = checkId('sub', ctx.arg(0))
      return write(ctx, cutoffRecord('user', sub, cutoffAt(ctx), await limits(ctx)), `user ${JSON.stringify(sub)}`)
    },
  },
  'revoke session': {
    args: '<sid>', options: ['claim', 'before', 'max-token-lifetime', 'clock-tolerance'],
    summary: 'refuse the tokens of one session or device (--claim did for another claim than sid)',
    async run(ctx) {
      const value = checkId('the session id', ctx.arg(0))
      const claim = checkId('--claim', ctx.values.claim ?? 'sid')
      // The store's lifetime horizon lives under this claim (lib/guard/horizon.js): never a session.
      if (claim.startsWith('revocable:')) throw new UsageError(`--claim ${claim} is reserved for revocable's own records`)
      const record = cutoffRecord('session', sessionKey(claim, value), cutoffAt(ctx), await limits(ctx))
      return write(ctx, record, `${claim} ${JSON.stringify(value)}`)
    },
  },
  'revoke token': {
    args: '[jwt]', maxArgs: 1, options: ['jti', 'iss', 'exp', 'max-token-lifetime', 'clock-tolerance'],
    summary: 'refuse one token until its exp: give the token, or --jti, --iss and --exp',
    async run(ctx) {
      const { jti, iss, exp } = ctx.values
      let claims
      if (ctx.positionals.length === 1) {
        if (jti !== undefined || exp !== undefined) throw new UsageError('give either the token or --jti/--iss/--exp, not both')
        try {
          claims = decode(ctx.arg(0))
        } catch {
          throw new UsageError('the token is not a JWT (three base64url parts with a JSON payload)')
        }
      } else {
        if (jti === undefined || exp === undefined) throw new UsageError('give the token, or --jti and --exp (and --iss when tokens carry one)')
        claims = { jti: checkId('--jti', jti), iss: iss ?? '', exp: parseTime('exp', exp, ctx.now) / 1000 }
      }
      const lim = await limits(ctx)
      let record
      try {
        record = tokenRecord(claims, { nowMs: ctx.now, ...lim })
      } catch (err) {
        if (err instanceof UsageError) throw err
        throw new UsageError(`cannot revoke this token: ${err.message}`)
      }
      return write(ctx, record, `token ${record.key}`)
    },
  },
  'revoke all': {
    args: '', options: ['before'],
    summary: 'refuse every token issued before now (or --before): key compromise',
    run: (ctx) => write(ctx, cutoffRecord('global', '', cutoffAt(ctx), { lifetimeMs: 0, toleranceMs: 0 }), 'every token'),
  },
}

module.exports = { commands, limits, checkId, cutoffAt, MAX_ID }
