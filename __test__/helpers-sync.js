'use strict'

// Starts app instances as child processes (sync-child.js) and talks to them.
const path = require('node:path')
const { fork } = require('node:child_process')
const { sign } = require('..')

const secret = 'a-sync-test-secret-of-32-bytes!!'

/** An instance of the app in its own process; `call(op, args)` runs a command there. */
async function start(config) {
  const child = fork(path.join(__dirname, 'sync-child.js'), [JSON.stringify({ secret, ...config })], { stdio: 'inherit' })
  const waiting = new Map()
  let serial = 0
  await new Promise((resolve, reject) => {
    child.once('message', (m) => (m.ready ? resolve() : reject(new Error(`instance failed to open: ${m.error}`))))
    child.once('exit', (code) => reject(new Error(`instance exited with ${code} before it was ready`)))
  })
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
