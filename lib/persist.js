'use strict'

/**
 * Writes records to the store in order, one at a time, retrying with back-off
 * until each is durable. A change is never dropped: while the store is down
 * the queue grows, the caller's promise stays pending, and the Guard reports
 * it (health() and 'error' events). Applying a record twice is harmless, so an
 * attempt that timed out but landed later costs nothing.
 */
class PersistQueue {
  #store
  #items = []
  #running = false
  #stopped = false
  #timer = null
  #hooks
  #attemptMs
  down = false
  lastError = null

  constructor(store, { onError = () => {}, onRecover = () => {}, attemptTimeoutMs = 5000 } = {}) {
    this.#store = store
    this.#hooks = { onError, onRecover }
    this.#attemptMs = attemptTimeoutMs
  }

  get pending() {
    return this.#items.length
  }

  /** When the oldest record still waiting for the store was queued (Date.now() ms), or null. */
  get oldestAt() {
    return this.#items.length ? this.#items[0].queuedAt : null
  }

  /** Resolves once the store has the record. */
  push(record) {
    if (this.#stopped) {
      return Promise.reject(Object.assign(new Error('the Guard is closed; the change was not stored'), { code: 'ERR_STORE' }))
    }
    return new Promise((resolve, reject) => {
      this.#items.push({ record, resolve, reject, queuedAt: Date.now() })
      this.#run()
    })
  }

  async #run() {
    if (this.#running || this.#stopped) return
    this.#running = true
    let backoff = 50
    while (this.#items.length > 0 && !this.#stopped) {
      const head = this.#items[0]
      try {
        await withTimeout(this.#store.put(head.record), this.#attemptMs)
        this.#items.shift()
        head.resolve()
        backoff = 50
        if (this.down) {
          this.down = false
          this.#hooks.onRecover()
        }
      } catch (err) {
        if (err && err.permanent) {
          // The store refuses this record itself: drop it (its caller hears why) rather than block the queue.
          this.#items.shift()
          head.reject(err)
          continue
        }
        this.down = true
        this.lastError = err
        this.#hooks.onError(err)
        await new Promise((resolve) => { this.#timer = setTimeout(resolve, backoff) })
        backoff = Math.min(backoff * 2, 5000)
      }
    }
    this.#running = false
  }

  /** Waits until every queued record is stored, or `timeoutMs` passes; true if drained. */
  async drain(timeoutMs) {
    const deadline = Date.now() + timeoutMs
    while (this.#items.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    return this.#items.length === 0
  }

  /** Stops writing; whatever is still queued is rejected (it stays in force in memory only). */
  stop() {
    this.#stopped = true
    clearTimeout(this.#timer)
    for (const item of this.#items.splice(0)) {
      item.reject(Object.assign(new Error('the Guard closed before this change was stored'), { code: 'ERR_STORE' }))
    }
  }
}

function withTimeout(promise, ms) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`store did not answer within ${ms} ms`), { code: 'ERR_STORE' })), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

module.exports = { PersistQueue }
