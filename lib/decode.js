'use strict'

const { decodeToken } = require('./native')
const { native, JwtMalformedError } = require('./errors')

/**
 * Reads a token WITHOUT verifying it: never trust what it returns. Named
 * `decode` (not `parse` or `read`) so nobody mistakes it for `verify`.
 * Throws ERR_JWT_MALFORMED on anything that is not a well-formed JWT.
 */
function decode(token, options) {
  if (typeof token !== 'string') throw new JwtMalformedError('the token must be a string')
  const [header, payload, signature] = native(() => decodeToken(token))
  if (options && options.complete) return { header: JSON.parse(header), payload: JSON.parse(payload), signature }
  return JSON.parse(payload)
}

module.exports = { decode }
