'use strict'

// Fixtures both middleware suites share: real tokens from a real Verifier.
const { Verifier, sign } = require('..')
const { NOW, keys } = require('./helpers')

const clock = () => NOW
const verifier = new Verifier({ algorithms: ['HS256'], key: keys.secret, clock })
const mint = (claims = { sub: 'u1' }, options = {}) => sign(claims, keys.secret, { expiresIn: '1h', clock, ...options })
const expired = () => mint({ sub: 'u1' }, { clock: () => NOW - 2 * 3600 * 1000 })
const forged = () => sign({ sub: 'u1' }, 'another-secret-of-at-least-32-bytes!!', { expiresIn: '1h', clock })

// The middleware's contract with a Guard, without a store: a real Verifier whose
// verify() also refuses one user's tokens as a Guard does (ERR_JWT_REVOKED with a
// reason). The real Guard is exercised in guard-http.test.js and example-app.test.js.
function revoking(sub) {
  return {
    verify(token) {
      const claims = verifier.verify(token)
      if (claims.sub === sub) throw Object.assign(new Error('the user logged out everywhere'), { code: 'ERR_JWT_REVOKED', reason: 'user' })
      return claims
    },
  }
}

const INVALID = 'Bearer error="invalid_token"'

module.exports = { verifier, mint, expired, forged, revoking, INVALID }
