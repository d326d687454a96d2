'use strict'

const { applyAll } = require('./table')

/**
 * Keeps one Guard's table in step with changes other instances write to the
 * same store, through the store's optional `position()` / `watch()` (Redis
 * stream, PostgreSQL LISTEN/NOTIFY, SQLite change counter). Applying a change
 * only ever moves the table forward (a cut-off or an exp is kept at its
 * maximum), so a change seen twice, or late, or out of order, is harmless:
 * that is what lets every watcher resume from a position at or before the
 * last change it is sure of.
 */
class Sync {
  #store
  #native
  #emit
  #report
  #handle = null
  #first = null
  #state = { connected: false, lagMs: null, lastId: null, reloads: 0, lastError: null }

  constructor(store, native, { emit, report }) {
    this.#store = store
    this.#native = native
    this.#emit = emit
    this.#report = report
  }

  get supported() {
    return typeof this.#store.watch === 'function' && typeof this.#store.position === 'function'
  }

  /** Taken before the Guard loads: watching from here misses nothing the load did not see. */
  async position() {
    return this.supported ? this.#store.position() : null
  }

  /**
   * Starts following from `from`; resolves once the watcher has caught up (or
   * failed its first attempt, which it keeps retrying), so that a Guard that
   * has opened is already following. Never rejects: sync trouble is reported
   * through health() and events, it does not stop the app.
   */
  async start(from, firstWaitMs) {
    if (!this.supported) return
    this.#state.lastId = from
    const first = new Promise((resolve) => { this.#first = resolve })
    this.#handle = this.#store.watch({
      from,
      onRecords: (records, lastId) => this.#onRecords(records, lastId),
      onGap: () => this.#reload(),
      onState: (state) => this.#onState(state),
    })
    // A store that cannot be followed here (an in-memory SQLite database, sync: false) answers null.
    if (!this.#handle) return
    let timer
    await Promise.race([first, new Promise((resolve) => { timer = setTimeout(resolve, firstWaitMs) })])
    clearTimeout(timer)
  }

  #onRecords(records, lastId) {
    const now = Date.now()
    // A record this version cannot apply (a kind from a newer revocable) must
    // not wedge the log for every change after it: skip it, loudly.
    const changed = applyAll(this.#native, records, this.#report)
    const last = records[records.length - 1]
    this.#state.lastId = lastId
    if (last && Number.isFinite(last.ts)) this.#state.lagMs = Math.max(0, now - last.ts)
    this.#emit('synced', { records, changed, lastId, lagMs: this.#state.lagMs })
  }

  /** The watcher lost its place (log trimmed past it): reload the whole store, as open() did. */
  async #reload() {
    let count = 0
    await this.#store.load((records) => {
      applyAll(this.#native, records, this.#report)
      count += records.length
    })
    this.#state.reloads++
    this.#emit('reloaded', { source: this.#store.name, count })
  }

  #onState({ connected, error }) {
    const was = this.#state.connected
    this.#state.connected = connected
    if (error) {
      this.#state.lastError = error.message
      this.#report(error)
    }
    if (this.#first) {
      // The first state is where open() leaves off, not a change.
      this.#first()
      this.#first = null
    } else if (was !== connected) {
      this.#emit('sync', { connected, lastId: this.#state.lastId, error: error || null })
    }
  }

  /** What health() reports: null when the store has no sync (each instance on its own). */
  state() {
    return this.#handle ? { ...this.#state } : null
  }

  async close() {
    const handle = this.#handle
    this.#handle = null
    if (handle) await handle.close()
  }
}

module.exports = { Sync }
