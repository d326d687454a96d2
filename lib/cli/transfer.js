'use strict'

const { once } = require('node:events')
const { checkStoredShape, KINDS } = require('../records')
const { lines } = require('./lines')
const { UsageError, CliError } = require('./errors')
const { batchWriter, writeLines } = require('./batch')

/** Writes every live record (of --kind, if given) as one JSON line: { kind, key, at, expiresAt }. */
async function exportRecords(ctx) {
  const kind = ctx.values.kind
  if (kind !== undefined && !KINDS.has(kind)) throw new UsageError(`--kind must be one of ${[...KINDS].join(', ')}`)
  const conn = await ctx.open()
  let count = 0
  await conn.store.load(async (records) => {
    let text = ''
    for (const { kind: k, key, at, expiresAt } of records) {
      if (kind !== undefined && k !== kind) continue
      text += `${JSON.stringify({ kind: k, key, at, expiresAt })}\n`
      count++
    }
    if (!ctx.stdout.write(text)) await once(ctx.stdout, 'drain')
  })
  ctx.warn(`exported ${count} record(s) from ${conn.label}`)
}

/** Reads JSON lines of records; writing one twice changes nothing (a store keeps the later cut-off and exp). */
async function importRecords(ctx) {
  const conn = await ctx.open()
  const writer = batchWriter(conn.store)
  const bad = await writeLines(lines(ctx.values.file ?? '-', ctx.stdin), writer, (line) => ctx.warn(line), (text) => {
    let value
    try {
      value = JSON.parse(text)
    } catch {
      throw new Error('not valid JSON')
    }
    const { kind, key, at, expiresAt } = value ?? {}
    return checkStoredShape({ kind, key, at, expiresAt: expiresAt ?? null })
  })
  const written = writer.written
  ctx.report({ written, skipped: bad.length, store: conn.label },
    `imported ${written} record(s) into ${conn.label}${bad.length ? `; ${bad.length} line(s) skipped (see above)` : ''}`)
  if (bad.length) throw new CliError(`${bad.length} line(s) were not imported: fix them and import again (importing twice is harmless)`)
}

async function prune(ctx) {
  const conn = await ctx.open()
  const dropped = await conn.store.prune(ctx.now)
  ctx.report({ pruned: dropped, store: conn.label }, `pruned ${dropped} record(s) that can no longer refuse any token from ${conn.label}`)
}

const commands = {
  export: {
    args: '', options: ['kind'],
    summary: 'write every live record as JSON lines to standard output (export > file.jsonl)',
    run: exportRecords,
  },
  import: {
    args: '', options: ['file'],
    summary: 'read JSON lines of records from standard input (or --file); idempotent',
    run: importRecords,
  },
  prune: {
    args: '', options: [],
    summary: 'delete records that can no longer refuse any token, and say how many',
    run: prune,
  },
}

module.exports = { commands }
