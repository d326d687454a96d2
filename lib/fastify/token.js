'use strict'

const BEARER = /^Bearer\s/i

/**
 * @fastify/jwt's token lookup, rule for rule: `extractToken(request)`, else
 * a Bearer Authorization header (exactly "Bearer <token>", else 400), else
 * the configured cookie (signed ones through @fastify/cookie's
 * unsignCookie). Undefined when there is no token at all; throws the
 * FST_JWT_* error of a bad one.
 */
function lookupToken(request, options, cookie, errors) {
  if (!request) throw new Error('missing request')
  const local = options ?? {}
  if (local.extractToken) {
    const token = local.extractToken(request)
    if (!token) throw errors.badRequest()
    return token
  }
  const header = request.headers.authorization
  if (header && !local.onlyCookie && BEARER.test(header)) {
    const parts = header.split(' ')
    if (parts.length === 2 && parts[1]) return parts[1]
    throw errors.badRequest()
  }
  if (!cookie) return undefined
  if (!request.cookies) throw errors.badCookie()
  const value = Object.hasOwn(request.cookies, cookie.cookieName) ? request.cookies[cookie.cookieName] : undefined
  if (!value) return undefined
  if (!cookie.signed) return value
  const { valid, value: unsigned } = request.unsignCookie(value)
  if (!valid) throw errors.noCookie()
  return unsigned
}

module.exports = { lookupToken }
