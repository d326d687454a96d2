'use strict'

// Several processes on one Redis: each follows the `<prefix>:changes` stream on
// a connection of its own, resumes from its last id after a disconnect, and
// reloads when the stream was trimmed past it. With ioredis and node-redis.
const { REDIS_URL, unique, describeWith, ioredisClient } = require('./helpers-stores')
const { describeSync } = require('./helpers-sync')

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
  }
})
