'use strict'

// A store kept in a Map, for testing the Guard's own logic. It implements the
// same contract as lib/stores (put keeps the greater `at`), and can be told to
// fail, to stand in for a server that is down. Real stores are tested against
// real servers in stores.test.js.
const { randomUUID } = require('node:crypto')

// Unique per process: the native table is shared by store id across every test
// file a Jest worker runs (each file gets a fresh copy of this module).
function memoryStore(name = `memory-${randomUUID()}`) {
  const rows = new Map()
  const store = {
    name: 'memory',
    id: `memory:${name}`,
    failing: false,
    puts: 0,
    async open() {},
    async put(r) {
      if (store.failing) throw Object.assign(new Error('store is down'), { code: 'ERR_STORE' })
      const k = `${r.kind}\0${r.key}`
      const old = rows.get(k)
      if (!old || old.at < r.at) rows.set(k, { ...r })
      store.puts++
    },
    async load(onBatch) {
      if (store.failing) throw Object.assign(new Error('store is down'), { code: 'ERR_STORE' })
      const live = [...rows.values()].filter((r) => r.expiresAt === null || r.expiresAt >= Date.now())
      for (let i = 0; i < live.length; i += 2) await onBatch(live.slice(i, i + 2))
      return live.length
    },
    async prune(now) {
      let n = 0
      for (const [k, r] of rows) if (r.expiresAt !== null && r.expiresAt < now) { rows.delete(k); n++ }
      return n
    },
    async close() {},
    rows,
  }
  return store
}

module.exports = { memoryStore }
