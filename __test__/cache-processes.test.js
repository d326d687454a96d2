'use strict'

// The result cache across processes: a revocation made by another instance
// reaches this one through the store's sync, moves the epoch of its group in
// the native table, and so ends exactly the cached results it concerns.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { open, stores } = require('..')
const { start, tokenFor, secret } = require('./helpers-sync')
const { thrown } = require('./helpers')

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-cache-'))
const file = path.join(dir, 'shared.db')
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const synced = (guard) => new Promise((resolve) => guard.once('synced', resolve))

test('a revocation made in another process invalidates the cached results it should, and no others', async () => {
  const name = `cache_${process.pid}`
  const here = await open({ algorithms: ['HS256'], secret, maxTokenLifetime: '1h', store: stores.sqlite(file, { table: name, syncInterval: 10 }) })
  const other = await start({ kind: 'sqlite', file, name, syncInterval: 10 })
  try {
    const revoked = tokenFor('frank')
    const kept = tokenFor('grace')
    for (const token of [revoked, kept, revoked, kept]) here.verify(token) // cached the second time
    const hits = here.cacheStats().hits
    here.verify(revoked)
    here.verify(kept)
    expect(here.cacheStats().hits).toBe(hits + 2)

    const arrived = synced(here)
    await other.call('revokeUser', { sub: 'frank' })
    await arrived
    expect(thrown(() => here.verify(revoked))).toMatchObject({ code: 'ERR_JWT_REVOKED', reason: 'user' })
    const before = here.cacheStats().hits
    expect(here.verify(kept).sub).toBe('grace')
    expect(here.cacheStats().hits).toBe(before + 1)
  } finally {
    await other.stop()
    await here.close()
  }
})
