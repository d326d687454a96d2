'use strict'

// For crash-consistency.slow.test.js. argv[2] is JSON { mode, store, n, killAfter, acks, issuedAt }.
//   mode 'burst': revokes `n` users and tokens in waves, appends `ack <kind> <id>`
//     to the file `acks` the moment each promise resolves, and SIGKILLs itself
//     right after the `killAfter`-th ack;
//   mode 'check': a fresh process opens the store and prints, as JSON, every
//     acknowledged revocation (from the file `acks`, as JSON) it does not enforce to a
//     token issued at `issuedAt` (ms, before the burst).
const fs = require('node:fs')
const path = require('node:path')
const revocable = require(path.join(__dirname, '..'))
const { sign } = revocable

const config = JSON.parse(process.argv[2])
const secret = 'a-crash-test-secret-of-32-bytes!!'
const WAVE = 250

async function makeStore({ kind, url, file, name }) {
  if (kind === 'sqlite') return { store: revocable.stores.sqlite(file, { table: name }), end: async () => {} }
  if (kind === 'postgres') {
    const pool = new (require('pg').Pool)({ connectionString: url, max: 2 })
    return { store: revocable.stores.postgres({ pool, table: name }), end: () => pool.end() }
  }
  if (kind === 'ioredis') {
    const client = new (require('ioredis'))(url)
    return { store: revocable.stores.redis({ client, prefix: name }), end: async () => client.disconnect() }
  }
  const client = require('redis').createClient({ url }).on('error', () => {})
  await client.connect()
  return { store: revocable.stores.redis({ client, prefix: name }), end: () => client.quit() }
}

async function burst(guard, n, killAfter, ackFile) {
  // A file written with writeSync: in the page cache before the next line runs,
  // so it survives the SIGKILL (a pipe's buffer in this process would not).
  const out = fs.openSync(ackFile, 'w')
  let acked = 0
  const ack = (kind, id) => () => {
    fs.writeSync(out, `ack ${kind} ${id}\n`)
    // SIGKILL in the child's own timeline, right after an ack: the writes
    // still in flight or queued behind it are cut off wherever they are.
    if (++acked === killAfter) process.kill(process.pid, 'SIGKILL')
  }
  const pending = []
  for (let i = 0; i < n; i++) {
    // Alternate kinds: cut-offs and token entries travel in separate lanes of the queue.
    if (i % 2 === 0) {
      pending.push(guard.revokeUser(`user-${i}`).then(ack('user', `user-${i}`)))
    } else {
      const token = guard.sign({ sub: 'someone', jti: `jti-${i}` })
      pending.push(guard.revokeToken(token).then(ack('token', `jti-${i}`)))
    }
    if (i % WAVE === WAVE - 1) await new Promise((resolve) => setImmediate(resolve))
  }
  await Promise.all(pending)
  fs.closeSync(out)
}

function check(guard, acks, issuedAt) {
  // Issued before the burst started: before every cut-off it made.
  const clock = () => issuedAt
  const missed = []
  for (const { kind, id } of acks) {
    const claims = kind === 'user' ? { sub: id } : { sub: 'someone', jti: id }
    try {
      guard.verify(sign(claims, secret, { expiresIn: 600, clock }))
      missed.push(`${kind} ${id}`)
    } catch (err) {
      if (err.code !== 'ERR_JWT_REVOKED') missed.push(`${kind} ${id}: ${err.code}`)
    }
  }
  process.stdout.write(`${JSON.stringify({ checked: acks.length, missed })}\n`)
}

async function main() {
  const { store, end } = await makeStore(config.store)
  const guard = await revocable.open({ algorithms: ['HS256'], secret, maxTokenLifetime: '1h', store })
  guard.on('error', () => {})
  if (config.mode === 'burst') {
    await burst(guard, config.n, config.killAfter, config.acks)
  } else {
    check(guard, JSON.parse(fs.readFileSync(config.acks, 'utf8')), config.issuedAt)
  }
  await guard.close()
  await end()
}

main().catch((err) => {
  process.stderr.write(`${err.code || ''} ${err.stack}\n`)
  process.exit(1)
})
