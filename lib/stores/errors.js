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
  // The store refuses this record itself, for good: its promise is rejected, the queue moves on.
  static refusedCode = 'ERR_STORE_REFUSED'

  constructor(message, { store, operation, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'StoreError'
    this.store = store
    this.operation = operation
    // Retrying cannot help (the record itself is refused): see PersistQueue.
    this.permanent = Boolean(cause && cause.permanent)
    this.code = this.permanent ? StoreError.refusedCode : StoreError.code
  }
}

function storeError(store, operation, cause, detail) {
  const why = detail || (cause && cause.message) || String(cause)
  return new StoreError(`${store} store: ${operation} failed: ${why}`, { store, operation, cause })
}

function invalidOption(store, name, why) {
  return new StoreError(`${store} store: invalid option \`${name}\`: ${why}`, { store, operation: 'configure' })
}

/**
 * Marks a driver error as the server's deterministic refusal of what was sent
 * (`refused(err)` decides, per store), so the queue stops retrying it: the
 * same bytes would be refused again. Anything else (connection, timeout, lock,
 * memory) stays transient and is retried.
 */
function refusal(err, refused) {
  if (err && typeof err === 'object' && refused(err)) err.permanent = true
  return err
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

module.exports = { StoreError, storeError, invalidOption, attempt, refusal }
