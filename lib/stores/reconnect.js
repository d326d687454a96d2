'use strict'

const { withDeadline } = require('./deadline')

const FIRST_RETRY_MS = 100
const LAST_RETRY_MS = 5000

/**
 * Keeps a sync connection alive: connect, `follow` it until it fails, report
 * the state, wait (doubling up to 5 s), reconnect. `follow(conn, connected)`
 * calls `connected()` once it has caught up, and only ever returns by
 * throwing. The connection is the watcher's own, so closing it is how close()
 * interrupts a blocking read.
 */
function reconnecting({ timeoutMs, onState, connect, follow, error }) {
  let closed = false
  let conn = null
  let wake = null

  const sleep = (ms) => new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    wake = () => {
      clearTimeout(timer)
      resolve()
    }
  })

  const open = async () => {
    const pending = connect()
    try {
      return await withDeadline(pending, timeoutMs)
    } catch (err) {
      // A connection that arrives after the deadline is closed, not leaked.
      pending.then((late) => late.close(), () => {})
      throw err
    }
  }

  const running = (async () => {
    let backoff = FIRST_RETRY_MS
    while (!closed) {
      try {
        conn = await open()
        if (closed) break
        await follow(conn, () => {
          backoff = FIRST_RETRY_MS
          onState({ connected: true, error: null })
        })
      } catch (err) {
        if (closed) break
        onState({ connected: false, error: error(err) })
        await sleep(backoff)
        backoff = Math.min(backoff * 2, LAST_RETRY_MS)
      } finally {
        const done = conn
        conn = null
        if (done) await done.close()
      }
    }
  })()

  return {
    async close() {
      closed = true
      if (wake) wake()
      if (conn) await conn.close()
      await running
    },
  }
}

module.exports = { reconnecting }
