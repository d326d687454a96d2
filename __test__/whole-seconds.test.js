'use strict'

// The migration path (README, "Migrating"): tokens still signed by
// jsonwebtoken-style `sign` carry a whole-second iat and no jti. A cut-off
// made now must refuse every such token issued before it, and must not refuse
// for good the token the app signs right after it (change the password, then
// issue a new token; log out everywhere, then log in again). Real time: the
// revocation resolves once the second of its cut-off has passed (<= 1 s).
const jwt = require('../lib/compat/jsonwebtoken')
const { expressjwt } = require('../lib/compat/express-jwt')
const revocable = require('..')
const { memoryStore } = require('./memory-store')

const secret = 'a-whole-seconds-test-secret-of-32-b'
const open = (extra = {}) => revocable.open({ algorithms: ['HS256'], secret, maxTokenLifetime: '1h', store: memoryStore(), ...extra })
const verdict = (g, token) => {
  try {
    return g.verify(token).sub
  } catch (err) {
    return `${err.code}:${err.reason}`
  }
}

test('with wholeSecondIat, a token signed once revokeUser resolved passes; one signed before it does not', async () => {
  const g = await open({ wholeSecondIat: true })
  try {
    const before = jwt.sign({ sub: 'pat' }, secret, { expiresIn: '10m' })
    const calledAt = Date.now()
    await g.revokeUser('pat')
    // The cut-off is after calledAt; its whole second has passed once the promise resolved.
    expect(Date.now()).toBeGreaterThanOrEqual(Math.ceil((calledAt + 1) / 1000) * 1000)
    const after = jwt.sign({ sub: 'pat' }, secret, { expiresIn: '10m' })
    expect(Number.isInteger(jwt.decode(after).iat)).toBe(true)
    expect(verdict(g, before)).toBe('ERR_JWT_REVOKED:user')
    expect(verdict(g, after)).toBe('pat')
    // A cut-off given explicitly is the caller's: no wait.
    const t = Date.now()
    await g.revokeUser('sam', { before: t + 600 })
    expect(Date.now() - t).toBeLessThan(500)
  } finally {
    await g.close()
  }
})

test('a Guard handed to revocable/express-jwt waits the same way; req.auth without jti gets a coded answer', async () => {
  const g = await open()
  try {
    expressjwt({ guard: g })
    const calledAt = Date.now()
    await g.revokeSession('tab-1')
    expect(Date.now()).toBeGreaterThanOrEqual(Math.ceil((calledAt + 1) / 1000) * 1000)
    const claims = g.verify(jwt.sign({ sub: 'pat' }, secret, { expiresIn: '10m' }))
    await expect(g.revokeToken(claims)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM', claim: 'jti' })
  } finally {
    await g.close()
  }
})
