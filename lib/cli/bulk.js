'use strict'

const { cutoffRecord, checkRecord } = require('../records')
const { lines } = require('./lines')
const { limits, checkId, cutoffAt } = require('./revoke')
const { parseTime } = require('./time')
const { UsageError, CliError } = require('./errors')
const { batchWriter, writeLines } = require('./batch')

/** One line of a `revoke users` file: a sub, or JSON {"sub", "before"?} or a user record {"kind":"user","key","at"}. */
function userOf(text, ctx, fallbackAt) {
  const line = text.trim()
  if (!line.startsWith('{') && !line.startsWith('"')) return { sub: checkId('sub', line), at: fallbackAt }
  let value
  try {
    value = JSON.parse(line)
  } catch {
    throw new UsageError('not valid JSON')
  }
  if (typeof value === 'string') return { sub: checkId('sub', value), at: fallbackAt }
  if (value === null || typeof value !== 'object') throw new UsageError('expected a sub or a JSON object')
  if (value.kind !== undefined) {
    if (value.kind !== 'user' || !Number.isFinite(value.at)) throw new UsageError('a record here must be {"kind":"user","key":…,"at":<ms>}')
    return { sub: checkId('key', value.key), at: value.at }
  }
  const at = value.before === undefined ? fallbackAt
    : typeof value.before === 'number' ? value.before * 1000 : parseTime('before', String(value.before), ctx.now)
  return { sub: checkId('sub', value.sub), at }
}

/** A one-line progress display on a terminal; nothing otherwise (logs stay clean). */
function progressBar(stream, source) {
  if (!stream.isTTY) return { update() {}, done() {} }
  let last = 0
  const draw = (count) => {
    const { read, total } = source.progress()
    const pct = total ? Math.min(1, read / total) : null
    const bar = pct === null ? '' : `[${'#'.repeat(Math.round(pct * 30)).padEnd(30)}] ${(pct * 100).toFixed(0)}% `
    stream.write(`\r${bar}${count} users revoked`)
  }
  return {
    update(count) {
      if (Date.now() - last < 100) return
      last = Date.now()
      draw(count)
    },
    done(count) {
      draw(count)
      stream.write('\n')
    },
  }
}

async function revokeUsers(ctx) {
  const file = ctx.values.file
  if (file === undefined) throw new UsageError('revoke users needs --file <path> (or --file - for standard input)')
  const lim = await limits(ctx)
  const at = cutoffAt(ctx)
  const conn = await ctx.open()
  const source = lines(file, ctx.stdin)
  const bar = progressBar(ctx.stderr, source)
  const writer = batchWriter(conn.store, (n) => bar.update(n))
  const bad = await writeLines(source, writer, (line) => ctx.warn(line), (text) => {
    const user = userOf(text, ctx, at)
    return checkRecord(cutoffRecord('user', user.sub, user.at, lim))
  })
  const written = writer.written
  bar.done(written)
  ctx.report({ written, skipped: bad.length, store: conn.label },
    `revoked ${written} user(s) in ${conn.label}${bad.length ? `; ${bad.length} line(s) skipped (see above)` : ''}`)
  if (bad.length) throw new CliError(`${bad.length} line(s) of ${file === '-' ? 'standard input' : file} were not revoked: fix them and run again (revoking twice is harmless)`)
}

const commands = {
  'revoke users': {
    args: '', options: ['file', 'before', 'max-token-lifetime', 'clock-tolerance'],
    summary: 'mass revocation: one sub per line (or JSON lines) from --file <path|->',
    run: revokeUsers,
  },
}

module.exports = { commands }
