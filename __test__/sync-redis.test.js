'use strict'

// Several processes on one Redis: each follows the `<prefix>:changes` stream on
// a connection of its own, resumes from its last id after a disconnect, and
// reloads when the stream was trimmed past it. With ioredis and node-redis.
const { REDIS_URL, unique, describeWith, ioredisClient } = require('./helpers-stores')
const { describeSync, start, tokenFor, whileFrozen } = require('./helpers-sync')

jest.setTimeout(30_000)

let admin

describeWith('redis')('redis sync', () => {
  beforeAll(() => {
    admin = ioredisClient()
  })
  afterAll(() => admin.disconnect())

  for (const library of ['ioredis', 'node-redis']) {
    const prefix = unique(`sync-redis-${library}`)
    describeSync(`redis (${library})`, {
      config: () => ({ kind: library, url: REDIS_URL, name: prefix }),
      start() {},
      async stop() {
        const keys = await admin.keys(`${prefix}:*`)
        if (keys.length) await admin.unlink(keys)
      },
      // Exactly that instance's watch connection, found by its CLIENT SETNAME.
      async cut(instance) {
        const name = `revocable:${instance.child.pid}:${prefix}`
        const ids = String(await admin.call('CLIENT', 'LIST')).split('\n')
          .filter((line) => line.includes(` name=${name} `))
          .map((line) => /^id=(\d+) /.exec(line)[1])
        for (const id of ids) await admin.call('CLIENT', 'KILL', 'ID', id)
        return ids.length
      },
      async forget() {
        await admin.xtrim(`${prefix}:changes`, 'MAXLEN', 0)
      },
    })

    test(`${library}: a gap found mid-stream (entries trimmed between two reads) reloads everything`, async () => {
      const name = `${prefix}-gap`
      const [a, b] = await Promise.all([0, 1].map(() => start({ kind: library, url: REDIS_URL, name })))
      try {
        await whileFrozen(b, async () => {
          // b's blocked read is answered with m1 while it is frozen; m2 is trimmed
          // away before b reads again; m3 then arrives after a hole.
          await a.call('revokeUser', { sub: 'm1' })
          await a.call('revokeUser', { sub: 'm2' })
          await admin.xtrim(`${name}:changes`, 'MAXLEN', 0)
          await a.call('revokeUser', { sub: 'm3' })
        })
        expect((await b.call('whenRejected', { token: tokenFor('m2'), timeoutMs: 10_000 })).at).not.toBeNull()
        expect(await b.call('verify', { token: tokenFor('m3') })).toBe('ERR_JWT_REVOKED:user')
        const events = await b.call('events')
        expect(events.filter((e) => e.event === 'reloaded')).toHaveLength(1)
        expect(events.filter((e) => e.event === 'sync')).toEqual([]) // never disconnected
      } finally {
        await Promise.all([a.stop(), b.stop()])
        const keys = await admin.keys(`${name}:*`)
        if (keys.length) await admin.unlink(keys)
      }
    })
  }
})
