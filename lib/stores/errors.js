'use strict'

/**
 * Every store failure carries the code 'ERR_STORE', so the Guard can tell "the
 * durable copy is unreachable, keep the change queued and retry" apart from its
 * own bugs. The driver's error stays available as `cause`. Messages name the
 * store and the operation, never a record's key or a connection string: both
 * can end up in logs, and a connection string may hold a password.
 */
class StoreError extends Error {
  static code = 'ERR_STORE'

  constructor(message, { store, operation, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'StoreError'
    this.code = StoreError.code
    this.store = store
    this.operation = operation
    // Retrying cannot help (the record itself is refused): see PersistQueue.
    if (cause && cause.permanent) this.permanent = true
  }
}

function storeError(store, operation, cause, detail) {
  const why = detail || (cause && cause.message) || String(cause)
  return new StoreError(`${store} store: ${operation} failed: ${why}`, { store, operation, cause })
}

function invalidOption(store, name, why) {
  return new StoreError(`${store} store: invalid option \`${name}\`: ${why}`, { store, operation: 'configure' })
}

/** Runs `fn`, turning whatever it throws or rejects with into an ERR_STORE error. */
async function attempt(store, operation, fn) {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof StoreError) throw err
    throw storeError(store, operation, err)
  }
}

module.exports = { StoreError, storeError, invalidOption, attempt }
