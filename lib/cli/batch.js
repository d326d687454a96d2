'use strict'

const { BATCH_MAX } = require('../persist')

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

module.exports = { batchWriter }
