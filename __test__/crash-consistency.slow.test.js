'use strict'

// Issue 12: a child revokes a burst and is SIGKILLed at a random moment; every
// revocation it acknowledged (it records each ack as its promise resolves) is
// enforced by a fresh process, on each store.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn, execFileSync } = require('node:child_process')
const { PG_URL, REDIS_URL, unique, partition } = require('./helpers-stores')

jest.setTimeout(120_000)

const CHILD = path.join(__dirname, 'crash-child.js')
const BURST = 6000
const ROUNDS = 3
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-crash-'))
const name = unique('crash')
const stores = [
  { name: 'sqlite', server: null, config: { kind: 'sqlite', file: path.join(dir, 'r.db'), name } },
  { name: 'postgres', server: 'postgres', config: { kind: 'postgres', url: PG_URL, name } },
  { name: 'redis (ioredis)', server: 'redis', config: { kind: 'ioredis', url: REDIS_URL, name: `${name}-io` } },
  { name: 'redis (node-redis)', server: 'redis', config: { kind: 'node-redis', url: REDIS_URL, name: `${name}-nr` } },
]

afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true })
  const { runnable } = partition(stores)
  if (runnable.some((s) => s.server === 'postgres')) {
    const pool = new (require('pg').Pool)({ connectionString: PG_URL })
    await pool.query(`DROP TABLE IF EXISTS "${name}", "${name}_meta", "${name}_log"`).finally(() => pool.end())
  }
  if (runnable.some((s) => s.server === 'redis')) {
    const r = new (require('ioredis'))(REDIS_URL)
    for (const prefix of [`${name}-io`, `${name}-nr`]) {
      const keys = await r.keys(`${prefix}:*`)
      if (keys.length) await r.unlink(keys)
    }
    r.disconnect()
  }
})

/** Runs a burst that SIGKILLs itself after `killAfter` acks; resolves to every ack it recorded. */
async function burstUntilKilled(store, killAfter, ackFile) {
  const child = spawn(process.execPath, [CHILD, JSON.stringify({ mode: 'burst', store, n: BURST, killAfter, acks: ackFile })], { stdio: ['ignore', 'inherit', 'inherit'] })
  const signal = await new Promise((resolve) => child.once('exit', (code, sig) => resolve(sig)))
  const acks = fs.readFileSync(ackFile, 'utf8').split('\n').filter(Boolean).map((line) => {
    const [, kind, id] = line.split(' ')
    return { kind, id }
  })
  return { acks, signal }
}

function describeStore(store) {
  test.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('round %i: every acknowledged revocation survives a SIGKILL', async () => {
    // A random moment: after 1 to 90% of the burst has been acknowledged.
    const killAfter = 1 + Math.floor(Math.random() * BURST * 0.9)
    const issuedAt = Date.now() - 1000
    const { acks, signal } = await burstUntilKilled(store.config, killAfter, path.join(dir, `acks-${store.config.kind}.txt`))
    expect(signal).toBe('SIGKILL')
    expect(acks.length).toBe(killAfter)
    const file = path.join(dir, `acks-${store.config.kind}.json`)
    fs.writeFileSync(file, JSON.stringify(acks))
    const out = execFileSync(process.execPath, [CHILD, JSON.stringify({ mode: 'check', store: store.config, acks: file, issuedAt })], { encoding: 'utf8', timeout: 60_000 })
    const { checked, missed } = JSON.parse(out.trim().split('\n').pop())
    expect(checked).toBe(acks.length)
    expect(missed).toEqual([])
  })
}

const { runnable, skipped } = partition(stores)
describe.each(runnable)('crash consistency: $name', describeStore)
if (skipped.length) describe.skip.each(skipped)('crash consistency: $name', describeStore)
