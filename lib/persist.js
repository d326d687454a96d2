'use strict'

const { StoreError } = require('./stores/errors')

// Records per write: one transaction / statement / script call each (group commit).
const BATCH_MAX = 1000
// Cut-offs end many tokens at once, so they go ahead of token entries in a long queue.
const CUTOFFS = new Set(['user', 'session', 'global', 'group'])

/**
 * Writes records to the store in batches (one round trip each, through the
 * store's putMany when it has one), retrying with back-off until each is
 * durable. Each caller's promise resolves only once the store has its record.
 * A change is never dropped for a transient failure: while the store is down
 * the queue grows, the caller's promise stays pending, and the Guard reports
 * it (health() and 'error' events). A record the store refuses for good
 * (`permanent`) is found by halving the failed batch, its promise alone is
 * rejected, and the rest is written: one bad record never holds the queue.
 * Applying a record twice is harmless, so an attempt that timed out but
 * landed later costs nothing.
 */
/** A listener's error, thrown again on a turn of its own (tests pass their own `uncaught`). */
function rethrow(err) {
  process.nextTick(() => {
    throw err
  })
}

class PersistQueue {
  #store
  #cutoffs = []
  #tokens = []
  #current = []
  #running = false
  #stopped = false
  #timer = null
  #hooks
  #attemptMs
  #limit = BATCH_MAX
  down = false
  lastError = null

  constructor(store, { onError = () => {}, onRecover = () => {}, onRefused = () => {}, uncaught = rethrow, attemptTimeoutMs = 5000 } = {}) {
    this.#store = store
    this.#hooks = { onError, onRecover, onRefused, uncaught }
    this.#attemptMs = attemptTimeoutMs
  }

  get pending() {
    let writing = 0
    for (const item of this.#current) if (!item.settled) writing++
    return this.#cutoffs.length + this.#tokens.length + writing
  }

  /** When the oldest record still waiting for the store was queued (Date.now() ms), or null. */
  get oldestAt() {
    let oldest = null
    for (const item of [this.#current.find((i) => !i.settled), this.#cutoffs[0], this.#tokens[0]]) {
      if (item && (oldest === null || item.queuedAt < oldest)) oldest = item.queuedAt
    }
    return oldest
  }

  /** Resolves once the store has the record. */
  push(record) {
    if (this.#stopped) {
      return Promise.reject(Object.assign(new Error('the Guard is closed; the change was not stored'), { code: 'ERR_STORE' }))
    }
    return new Promise((resolve, reject) => {
      this.#queueOf(record).push({ record, resolve, reject, settled: false, queuedAt: Date.now() })
      if (!this.#running) queueMicrotask(() => this.#run()) // one batch for the records pushed in this turn
    })
  }

  #queueOf(record) {
    return CUTOFFS.has(record.kind) ? this.#cutoffs : this.#tokens
  }

  #take() {
    const batch = this.#cutoffs.splice(0, this.#limit)
    if (batch.length < this.#limit) batch.push(...this.#tokens.splice(0, this.#limit - batch.length))
    return batch
  }

  async #run() {
    if (this.#running || this.#stopped) return
    this.#running = true
    let backoff = 50
    while (this.#cutoffs.length + this.#tokens.length > 0 && !this.#stopped) {
      const batch = this.#take()
      this.#current = batch
      let failure = null
      try {
        await this.#write(batch)
      } catch (err) {
        failure = err
      }
      this.#current = []
      if (!failure) {
        backoff = 50
        this.#limit = Math.min(BATCH_MAX, this.#limit * 2)
        continue
      }
      if (this.#stopped) break
      // Back to the front of their queues, in order, to be retried.
      const left = batch.filter((item) => !item.settled)
      this.#cutoffs.unshift(...left.filter((item) => CUTOFFS.has(item.record.kind)))
      this.#tokens.unshift(...left.filter((item) => !CUTOFFS.has(item.record.kind)))
      // A batch too slow for the attempt time would time out forever: try smaller ones.
      if (failure.timedOut) this.#limit = Math.max(1, batch.length >> 1)
      this.down = true
      this.lastError = failure
      this.#hook('onError', failure)
      await new Promise((resolve) => { this.#timer = setTimeout(resolve, backoff) })
      backoff = Math.min(backoff * 2, 5000)
    }
    this.#running = false
  }

  /** Settles every item of `batch`; throws only a transient error (nothing in the batch settled by it). */
  async #write(batch) {
    try {
      await withTimeout(this.#putMany(batch.map((item) => item.record)), this.#attemptMs)
      this.#answered()
      for (const item of batch) settle(item, 'resolve')
    } catch (err) {
      if (!(err && err.permanent)) throw err
      if (batch.length > 1) {
        // Halving finds the refused record in log2(n) writes; the others are stored on the way.
        const half = batch.length >> 1
        await this.#write(batch.slice(0, half))
        await this.#write(batch.slice(half))
        return
      }
      const refused = err instanceof StoreError ? err : new StoreError(`store refused the record: ${err.message}`, { store: this.#store.name, operation: 'put', cause: err })
      this.#answered() // a refusal is an answer: the store is up
      settle(batch[0], 'reject', refused)
      this.#hook('onRefused', refused, batch[0].record)
    }
  }

  /**
   * The app's listeners run inside these hooks. One that throws must not stop
   * the queue (what is queued would never be stored) nor fail a write that
   * succeeded: its error is thrown again on its own turn, where Node reports
   * it as any listener's uncaught exception.
   */
  #hook(name, ...args) {
    try {
      this.#hooks[name](...args)
    } catch (err) {
      this.#hooks.uncaught(err)
    }
  }

  /** Before any caller hears back, so that health() agrees with what it heard. */
  #answered() {
    if (!this.down) return
    this.down = false
    this.#hook('onRecover')
  }

  #putMany(records) {
    if (typeof this.#store.putMany === 'function') return this.#store.putMany(records)
    return records.reduce((done, record) => done.then(() => this.#store.put(record)), Promise.resolve())
  }

  /** Waits until every queued record is stored, or `timeoutMs` passes; true if drained. */
  async drain(timeoutMs) {
    const deadline = Date.now() + timeoutMs
    while (this.pending > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    return this.pending === 0
  }

  /** Stops writing; whatever is still queued is rejected (it stays in force in memory only). */
  stop() {
    this.#stopped = true
    clearTimeout(this.#timer)
    const left = [...this.#current, ...this.#cutoffs.splice(0), ...this.#tokens.splice(0)]
    for (const item of left) {
      settle(item, 'reject', Object.assign(new Error('the Guard closed before this change was stored'), { code: 'ERR_STORE' }))
    }
  }
}

function settle(item, how, value) {
  if (item.settled) return
  item.settled = true
  item[how](value)
}

function withTimeout(promise, ms) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`store did not answer within ${ms} ms`), { code: 'ERR_STORE', timedOut: true })), ms)
    // The write itself keeps the process alive while it is pending; its deadline alone must not (after stop(), say).
    timer.unref()
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

module.exports = { PersistQueue, BATCH_MAX }
