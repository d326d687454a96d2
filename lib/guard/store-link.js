'use strict'

const { PersistQueue } = require('../persist')
const { Sync } = require('../sync')
const { loadTable, located } = require('../load')

/**
 * A Guard's link to its store, from open() to close(): the queue that writes
 * its changes (lib/persist.js), the sync that applies other instances'
 * (lib/sync.js), loading the table at open(), pruning, and health().
 * `hooks`: `clock()`, `timeoutMs` (storeTimeout), `emit(event, value)`, and
 * `report(err)`, which hands 'error' to listeners only.
 */
class StoreLink {
  #store
  #native
  #clock
  #emit
  #report
  #timeoutMs
  #queue
  #sync
  #pruneTimer = null

  constructor(store, native, { clock, timeoutMs, emit, report }) {
    this.#store = store
    this.#native = native
    this.#clock = clock
    this.#emit = emit
    this.#report = report
    this.#timeoutMs = timeoutMs
    // Changes other instances write to the same store.
    this.#sync = new Sync(store, native, { emit, report })
    this.#queue = new PersistQueue(store, {
      attemptTimeoutMs: timeoutMs,
      onError: (err) => report(err),
      onRecover: () => emit('recovered'),
      onRefused: (err) => report(err), // the caller's promise is rejected with it too
    })
  }

  /** The queue every change of the Guard goes through. */
  get queue() {
    return this.#queue
  }

  /**
   * open(): loads the store (and `loadUserCutoffs`) into the table, then
   * resolves once sync has caught up (or first failed: it retries on its own)
   * and `publishHorizon(waitMs)` has, and starts pruning every `pruneInterval` ms.
   */
  async open({ loadUserCutoffs, pruneInterval }, publishHorizon) {
    const position = await loadTable({
      store: this.#store, sync: this.#sync, native: this.#native, emit: this.#emit, report: this.#report,
    }, loadUserCutoffs).catch((err) => { throw located(err, this.#store) })
    await this.#sync.start(position, this.#timeoutMs)
    await publishHorizon(this.#timeoutMs)
    this.#pruneTimer = setInterval(() => this.prune(), pruneInterval)
    this.#pruneTimer.unref()
  }

  /** Drops table entries (and store records) that can no longer refuse anything; returns how many left the table. */
  prune() {
    const now = this.#clock()
    this.#store.prune(now).catch((err) => this.#report(err))
    return this.#native.prune(now)
  }

  /** Guard#health(), with `jwks` (the remote key sets' health) when there are any. */
  health(jwks) {
    // A client that knows its server is unreachable (ioredis, node-redis) says so at once,
    // before a write has had time to fail: it would queue revocations offline meanwhile.
    const down = this.#queue.down || (typeof this.#store.ready === 'function' && this.#store.ready() === false)
    const health = { store: down ? 'down' : 'ok', pending: this.#queue.pending, lastError: this.#queue.lastError ? this.#queue.lastError.message : null }
    // Only for a store that follows other instances' changes (lib/sync.js).
    const sync = this.#sync.state()
    if (jwks !== null) health.jwks = jwks
    return sync ? { ...health, sync } : health
  }

  /** Sync's state for health() and metrics(), null for a store that does not follow other instances. */
  syncState() {
    return this.#sync.state()
  }

  /** Waits for queued writes (up to `timeoutMs`), then closes the store. Resolves to `{ pending }` left unwritten. */
  async close(timeoutMs) {
    clearInterval(this.#pruneTimer)
    await this.#sync.close()
    const drained = await this.#queue.drain(timeoutMs)
    const pending = this.#queue.pending
    this.#queue.stop()
    if (!drained) this.#report(Object.assign(new Error(`closed with ${pending} revocation(s) not yet stored`), { code: 'ERR_STORE' }))
    await this.#store.close()
    return { pending }
  }
}

module.exports = { StoreLink }
