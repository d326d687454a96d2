'use strict'

// stores.memory(): the revocation table with no durable copy, private to the
// Guards opened on this one store object (its id is random, and the native
// table is shared by store id). For tests, and the default under Jest (see
// lib/guard/config.js): nothing outlives the process, nothing is shared
// between test files or workers. A Guard reopened on the same object reloads
// what the first one revoked, as from a durable store.
const { randomUUID } = require('node:crypto')

function memory() {
  const rows = new Map()
  return {
    name: 'memory',
    id: `memory:${randomUUID()}`,
    async open() {},
    // As every store: a key keeps its latest record (the greater `at`).
    async put(record) {
      const key = `${record.kind}\0${record.key}`
      const old = rows.get(key)
      if (old === undefined || old.at < record.at) rows.set(key, { ...record })
    },
    async load(onBatch) {
      const live = [...rows.values()].map((r) => ({ ...r }))
      if (live.length > 0) await onBatch(live)
      return live.length
    },
    async prune(nowMs) {
      let dropped = 0
      for (const [key, r] of rows) {
        if (r.expiresAt !== null && r.expiresAt < nowMs) {
          rows.delete(key)
          dropped++
        }
      }
      return dropped
    },
    async close() {},
  }
}

module.exports = { memory }
