'use strict'

// The table lives in the addon, once per process: a revocation made by a Guard
// in one worker thread is enforced at once by a Guard in another.
const path = require('node:path')
const { Worker } = require('node:worker_threads')
const { open, sign } = require('..')
const { memoryStore } = require('./memory-store')
const { thrown } = require('./helpers')

const secret = 'a-worker-test-secret-of-32-bytes!'

function runWorker(storeName, command) {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads')
    const { open } = require(${JSON.stringify(path.join(__dirname, '..'))})
    const { memoryStore } = require(${JSON.stringify(path.join(__dirname, 'memory-store.js'))})
    ;(async () => {
      const g = await open({ algorithms: ['HS256'], key: workerData.secret, maxTokenLifetime: '1h', store: memoryStore(workerData.store) })
      if (workerData.command.revokeUser) await g.revokeUser(workerData.command.revokeUser)
      let verdict = 'accepted'
      if (workerData.command.verify) {
        try { g.verify(workerData.command.verify) } catch (e) { verdict = e.code + ':' + e.reason }
      }
      parentPort.postMessage(verdict)
    })().catch((e) => parentPort.postMessage('failed: ' + e.message))
  `
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { store: storeName, secret, command } })
    w.once('message', (m) => { resolve(m); w.terminate() })
    w.once('error', reject)
  })
}

test('a revocation in a worker thread is enforced in the main thread, and the reverse', async () => {
  const name = `shared-${process.pid}-${Date.now()}`
  const g = await open({ algorithms: ['HS256'], key: secret, maxTokenLifetime: '1h', store: memoryStore(name) })
  const token = sign({ sub: 'w1' }, secret, { expiresIn: 60, clock: () => Date.now() - 1000 })
  expect(g.verify(token).sub).toBe('w1')
  expect(await runWorker(name, { revokeUser: 'w1' })).toBe('accepted')
  expect(thrown(() => g.verify(token))).toMatchObject({ code: 'ERR_JWT_REVOKED', reason: 'user' })

  const other = sign({ sub: 'w2' }, secret, { expiresIn: 60, clock: () => Date.now() - 1000 })
  expect(await runWorker(name, { verify: other })).toBe('accepted')
  await g.revokeUser('w2')
  expect(await runWorker(name, { verify: other })).toBe('ERR_JWT_REVOKED:user')
})

test('private :memory: databases never share a table, even when the module is loaded twice (as in each worker)', () => {
  let a
  let b
  jest.isolateModules(() => { a = require('../lib/stores').sqlite(':memory:') })
  jest.isolateModules(() => { b = require('../lib/stores').sqlite(':memory:') })
  expect(a.id).not.toBe(b.id)
})
