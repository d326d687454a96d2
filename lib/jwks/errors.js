'use strict'

/**
 * Why a key set could not be fetched or used, with a stable `code`. These
 * never reach a token's verdict directly: a Verifier keeps its last good set
 * and reports them through health(), events and ready()/open() rejections.
 */
class JwksError extends Error {
  constructor(code, message, { uri, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'JwksError'
    this.code = code
    if (uri !== undefined) this.uri = uri
  }
}

const CODES = Object.freeze({
  FETCH: 'ERR_JWKS_FETCH', // network error, a status other than 200, too many redirects
  TIMEOUT: 'ERR_JWKS_TIMEOUT', // no whole answer within `timeout`
  TOO_LARGE: 'ERR_JWKS_TOO_LARGE', // the body is over `maxBytes`
  INVALID: 'ERR_JWKS_INVALID', // not JSON, not a JWK Set, or no key usable with the allowed algorithms
  ISSUER: 'ERR_JWKS_ISSUER', // the discovery document names another issuer, or has no usable jwks_uri
})

module.exports = { JwksError, CODES }
