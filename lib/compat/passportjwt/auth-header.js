'use strict'

const SCHEME_VALUE = /(\S+)\s+(\S+)/

/** passport-jwt's auth_header.parse: the first "scheme value" pair of an Authorization header, or null. */
function parseAuthHeader(value) {
  if (typeof value !== 'string') return null
  const m = value.match(SCHEME_VALUE)
  return m && { scheme: m[1], value: m[2] }
}

module.exports = { parse: parseAuthHeader, parseAuthHeader }
