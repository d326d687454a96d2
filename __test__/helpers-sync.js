'use strict'

// Starts app instances as child processes (sync-child.js) and talks to them.
const path = require('node:path')
const { fork } = require('node:child_process')
const { sign } = require('..')

const secret = 'a-sync-test-secret-of-32-bytes!!'

/**
 * An instance of the app in its own process; `call(op, args)` runs a command
 * there. `script` is the child (sync-child.js by default; any child that
 * answers { ready } then { id, result | error } over IPC).
 */
async function start(config, script = 'sync-child.js') {
  const child = fork(path.join(__dirname, script), [JSON.stringify({ secret, ...config })], { stdio: 'inherit' })
  const waiting = new Map()
  let serial = 0
  try {
    await new Promise((resolve, reject) => {
      child.once('message', (m) => (m.ready ? resolve() : reject(new Error(`instance failed to open: ${m.error}`))))
      child.once('exit', (code) => reject(new Error(`instance exited with ${code} before it was ready`)))
    })
  } catch (err) {
    child.kill() // an instance that never became ready is nobody's to stop: it would keep Jest waiting
    throw err
  }
  child.on('message', ({ id, result, error }) => {
    const w = waiting.get(id)
    if (!w) return
    waiting.delete(id)
    if (error) w.reject(new Error(error))
    else w.resolve(result)
  })
  const instance = {
    child,
    call(op, args = {}) {
      const id = ++serial
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject })
        child.send({ id, op, ...args })
      })
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      await Promise.race([instance.call('close'), exited])
      await exited
    },
  }
  return instance
}

/** A token for `sub` issued a second ago, so that a cut-off made now refuses it. */
const tokenFor = (sub) => sign({ sub }, secret, { expiresIn: 600, clock: () => Date.now() - 1000 })

module.exports = { start, tokenFor, secret }

/** Runs `fn` while `instance` is frozen (SIGSTOP): whatever happens meanwhile, it sees only afterwards. */
async function whileFrozen(instance, fn) {
  instance.child.kill('SIGSTOP')
  try {
    await fn()
  } finally {
    instance.child.kill('SIGCONT')
  }
}

/** health().sync once the instance reports itself connected again (it may still be catching up), or after 5 s. */
async function syncedHealth(instance) {
  for (let i = 0; i < 250; i++) {
    const { sync } = await instance.call('health')
    if (sync.connected) return sync
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return (await instance.call('health')).sync
}

/**
 * The behaviour every store's sync must have, against real processes.
 * `store` gives: config() for a child, start() / stop() of the fixture,
 * cut(instance) to kill that instance's watch connection (null: none to kill),
 * and forget() to drop the change log behind every reader (trim or prune).
 */
function describeSync(name, store) {
  describe(`${name}: several instances`, () => {
    const running = []
    const launch = async () => {
      const instance = await start(store.config())
      running.push(instance)
      return instance
    }
    beforeAll(() => store.start())
    afterEach(async () => {
      await Promise.all(running.splice(0).map((i) => i.stop()))
    })
    afterAll(() => store.stop())

    test('a revocation made in one process is enforced by the others', async () => {
      const [a, b, c] = await Promise.all([launch(), launch(), launch()])
      const token = tokenFor('everywhere')
      expect(await b.call('verify', { token })).toBe('accepted')
      const before = (await b.call('health')).sync.lastId
      const seen = [b, c].map((i) => i.call('whenRejected', { token, timeoutMs: 5000 }))
      await a.call('revokeUser', { sub: 'everywhere' })
      for (const { at } of await Promise.all(seen)) expect(at).not.toBeNull()
      expect(await c.call('verify', { token })).toBe('ERR_JWT_REVOKED:user')
      expect((await b.call('health')).sync).toMatchObject({ connected: true, reloads: 0 })
      expect((await b.call('health')).sync.lastId).not.toBe(before)
    })

    test('a process cut off while a revocation is made catches up when it is back', async () => {
      const [a, b] = await Promise.all([launch(), launch()])
      const token = tokenFor('while-away')
      await whileFrozen(b, async () => {
        if (store.cut) expect(await store.cut(b)).toBe(1)
        await a.call('revokeUser', { sub: 'while-away' })
      })
      expect((await b.call('whenRejected', { token, timeoutMs: 10_000 })).at).not.toBeNull()
      const events = await b.call('events')
      expect(events.filter((e) => e.event === 'reloaded')).toEqual([])
      if (store.cut) {
        expect(events.filter((e) => e.event === 'sync')).toEqual([
          { event: 'sync', connected: false }, { event: 'sync', connected: true },
        ])
      }
      expect(await syncedHealth(b)).toMatchObject({ connected: true, reloads: 0 })
    })

    test('a process whose place in the change log is gone reloads everything, and says so', async () => {
      const [a, b] = await Promise.all([launch(), launch()])
      const token = tokenFor('trimmed')
      await whileFrozen(b, async () => {
        if (store.cut) await store.cut(b)
        await a.call('revokeUser', { sub: 'trimmed' })
        await store.forget()
      })
      expect((await b.call('whenRejected', { token, timeoutMs: 10_000 })).at).not.toBeNull()
      const reloads = (await b.call('events')).filter((e) => e.event === 'reloaded')
      expect(reloads).toHaveLength(1)
      expect(reloads[0].count).toBeGreaterThanOrEqual(1)
      expect(await syncedHealth(b)).toMatchObject({ connected: true, reloads: 1 })
    })

    test('a restarted process loads the full state', async () => {
      const a = await launch()
      const first = tokenFor('before-restart')
      await a.call('revokeUser', { sub: 'before-restart' })
      await a.stop()
      const again = await launch()
      expect(await again.call('verify', { token: first })).toBe('ERR_JWT_REVOKED:user')
      expect(await again.call('verify', { token: tokenFor('someone-else') })).toBe('accepted')
    })
  })
}

module.exports.describeSync = describeSync
module.exports.whileFrozen = whileFrozen
