'use strict'

// A row the table cannot read back (written behind the Guard's back, e.g. by
// hand or an older import) is skipped and reported at load: it never stops
// open(), and every other revocation is still enforced.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { open, sign, stores } = require('..')

const secret = 'a-load-skip-test-secret-of-32-bytes'

test('open() skips a stored record it cannot read, reports it, and enforces the rest', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-load-skip-'))
  const file = path.join(dir, 'r.db')
  try {
    const options = { algorithms: ['HS256'], secret, maxTokenLifetime: '1h', store: stores.sqlite(file, { table: 'rev' }) }
    const old = sign({ sub: 'banned' }, secret, { expiresIn: 600, clock: () => Date.now() - 5000 })
    const first = await open(options)
    await first.revokeUser('banned')
    await first.close()

    const raw = new (require('better-sqlite3'))(file)
    const row = raw.prepare('INSERT INTO "rev" (kind, key, at, expires_at) VALUES (?, ?, ?, NULL)')
    row.run('session', 'not-json', Date.now())
    row.run('group', 'x/y', Date.now())
    raw.close()

    const errors = []
    const again = await open({ ...options, store: stores.sqlite(file, { table: 'rev' }), on: { error: (err) => errors.push(err) } })
    try {
      expect(() => again.verify(old)).toThrow(expect.objectContaining({ code: 'ERR_JWT_REVOKED', reason: 'user' }))
      expect(errors.map((e) => [e.code, e.message.split(':')[0]])).toEqual([['ERR_STORE', 'skipped a stored record'], ['ERR_STORE', 'skipped a stored record']])
    } finally {
      await again.close()
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
