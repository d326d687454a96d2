'use strict'

const { toMs } = require('./records')
const { applyAll } = require('./table')

/**
 * Loads a store (and the app's `loadUserCutoffs`) into the native table, as
 * open() does before it resolves. `emit` reports 'loaded' progress, `report`
 * a stored record the table cannot read (skipped). Resolves to the store's
 * change position taken before loading, where sync starts.
 */
async function loadTable({ store, sync, native, emit, report }, loadUserCutoffs) {
  await store.open()
  const position = await sync.position()
  let count = 0
  await store.load((records) => {
    applyAll(native, records, report)
    count += records.length
    emit('loaded', { source: store.name, count, done: false })
  })
  emit('loaded', { source: store.name, count, done: true })
  if (loadUserCutoffs) {
    let users = 0
    for await (const { sub, at } of loadUserCutoffs()) {
      native.revokeUser(String(sub), toMs('loadUserCutoffs', at))
      if (++users % 10000 === 0) emit('loaded', { source: 'loadUserCutoffs', count: users, done: false })
    }
    emit('loaded', { source: 'loadUserCutoffs', count: users, done: true })
  }
  return position
}

/**
 * A store that fails at start-up is named in the message and as `location`:
 * its id (a file path, or host:port/database and table or key prefix; never a
 * password), so "unable to open database file" says which file.
 */
function located(err, store) {
  if (!err || err.code !== 'ERR_STORE' || typeof store?.id !== 'string' || String(err.message).includes(store.id)) return err
  const before = String(err.message)
  err.message = `${before} (store ${store.id})`
  if (typeof err.stack === 'string') err.stack = err.stack.replace(before, err.message)
  err.location = store.id
  return err
}

module.exports = { loadTable, located }
