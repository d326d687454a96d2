'use strict'

const { hkdfSync, createPrivateKey } = require('node:crypto')
const { signingKey, isPem } = require('../keys')
const { invalidOption } = require('../errors')

/**
 * The HMAC key refresh tokens are signed and verified with, derived from the
 * Guard's signing key with HKDF-SHA256 (RFC 5869) under a label of its own.
 * Every instance sharing the signing key derives the same key, and it never
 * verifies an access token (nor an access key a refresh token): the two kinds
 * cannot be swapped. Only the issuer ever reads a refresh token, so a
 * symmetric key serves even when access tokens are RS/ES/EdDSA.
 */
function refreshKey(key, name = 'refresh.secret') {
  if (key === undefined || key === null) {
    throw invalidOption('refresh.secret', 'is needed: this Guard has no signing key to derive the refresh-token key from')
  }
  let bytes = signingKey(key, name)
  // A private key: derive from its canonical form, so a PEM, a KeyObject and a JWK of it agree.
  if (isPem(bytes.toString('latin1'))) bytes = createPrivateKey(bytes).export({ type: 'pkcs8', format: 'der' })
  return Buffer.from(hkdfSync('sha256', bytes, 'revocable', 'revocable refresh-token key v1', 32))
}

module.exports = { refreshKey }
