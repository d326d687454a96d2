'use strict'

const { BATCH_MAX } = require('../persist')
const { MAX_LINE } = require('./lines')

/**
 * Writes records through the store's putMany, BATCH_MAX at a time (one round
 * trip, one transaction each, as the Guard's queue writes them). Each record
 * is checked by the caller first, so one bad line cannot fail a whole batch.
 */
function batchWriter(store, onFlush = () => {}) {
  let batch = []
  let written = 0
  const flush = async () => {
    if (batch.length === 0) return
    const records = batch
    batch = []
    await store.putMany(records)
    written += records.length
    onFlush(written)
  }
  return {
    async add(record) {
      batch.push(record)
      if (batch.length >= BATCH_MAX) await flush()
    },
    flush,
    get written() {
      return written
    },
  }
}

/**
 * Writes one record per input line (`toRecord(text)` builds and checks it)
 * through `writer`; a line it refuses is reported by number and skipped, so
 * one bad line never stops the rest. Resolves to the skipped line numbers.
 */
async function writeLines(source, writer, warn, toRecord) {
  const bad = []
  for await (const { n, text, tooLong } of source) {
    if (text.trim() === '' && !tooLong) continue
    let record
    try {
      if (tooLong) throw new Error(`longer than ${MAX_LINE} bytes`)
      record = toRecord(text)
    } catch (err) {
      bad.push(n)
      warn(`line ${n}: skipped: ${err.message}`)
      continue
    }
    await writer.add(record)
  }
  await writer.flush()
  return bad
}

module.exports = { batchWriter, writeLines }
