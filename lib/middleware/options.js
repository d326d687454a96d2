'use strict'

const { invalidOption } = require('../errors')
const { headerReader, tokenReader } = require('./token')
const { compileUnless } = require('./unless')
const { compileRotate } = require('./rotate')

/**
 * Options of both factories, with their defaults:
 * - getToken (req|ctx) => string|undefined (or a Promise of one): replaces the
 *   default reader, `Authorization: Bearer <token>`.
 * - cookie: read the token from this cookie instead of the Authorization header.
 * - credentialsRequired (true): false lets a request without a token through, without claims.
 * - passthrough (false): any failure lets the request through, without claims.
 * - unless: a function or { path, method } naming requests that skip authentication.
 * - errors ('respond'): answer the 401 here, or hand the error on
 *   ('next' for Express, 'throw' for Koa) for the app to answer.
 * - debug (false): the 401 message is the error's own instead of a generic one.
 * - rotate: { every, graceMs, header, cookie }: a fresh token after every N uses (./rotate.js; Guard only).
 * A flavour may allow fewer (`flavour.common`): the bare core has no getToken,
 * passthrough, unless or errors, which are about a framework's request.
 */
const COMMON = Object.freeze(['getToken', 'cookie', 'credentialsRequired', 'passthrough', 'unless', 'errors', 'debug', 'rotate'])

// Dotted names are nested properties (express-jwt's 'user.auth'); these would
// reach an object's prototype instead.
const UNSAFE = new Set(['__proto__', 'prototype', 'constructor'])

function boolean(options, name, fallback) {
  const value = options[name]
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw invalidOption(name, 'must be true or false')
  return value
}

function propertyName(options, name, fallback, nested) {
  const value = options[name] === undefined ? fallback : options[name]
  const parts = typeof value === 'string' ? (nested ? value.split('.') : [value]) : ['']
  if (parts.some((part) => part === '' || UNSAFE.has(part))) {
    throw invalidOption(name, nested ? 'must be a property name (dots for nesting)' : 'must be a property name')
  }
  return value
}

// Names where the token was looked for, for the `debug` message of a 401.
function tokenSource({ getToken, cookie }) {
  if (getToken !== undefined) return 'the request (getToken)'
  return cookie === undefined ? 'the Authorization header' : `the cookie ${JSON.stringify(cookie)}`
}

/**
 * Checks everything once, when the middleware is built, so that a typo fails
 * at start-up rather than silently weakening a check. `flavour` is
 * { what, errorModes, extra: { name: default }, nested } for Express or Koa.
 */
function compile(verifier, options, flavour) {
  if (verifier === null || typeof verifier !== 'object' || typeof verifier.verify !== 'function') {
    throw invalidOption('verifier', 'must be an object with a verify(token) method')
  }
  if (options === undefined) options = {}
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'must be an object')
  for (const name of Object.keys(options)) {
    if (!(flavour.common ?? COMMON).includes(name) && !(name in flavour.extra)) throw invalidOption(name, `is not an option of ${flavour.what}()`)
  }
  if (options.getToken !== undefined && typeof options.getToken !== 'function') {
    throw invalidOption('getToken', 'must be a function (req|ctx) => token')
  }
  if (options.cookie !== undefined) {
    if (typeof options.cookie !== 'string' || options.cookie === '') throw invalidOption('cookie', 'must be a cookie name')
    // getToken replaces the default readers, so the cookie would be silently ignored.
    if (options.getToken !== undefined) throw invalidOption('cookie', 'cannot be combined with getToken')
  }
  const errors = options.errors === undefined ? 'respond' : options.errors
  if (!flavour.errorModes.includes(errors)) {
    throw invalidOption('errors', `must be ${flavour.errorModes.map((m) => `'${m}'`).join(' or ')}`)
  }
  const rotate = compileRotate(verifier, options.rotate)
  const config = {
    // Old tokens whose grace has ended are revoked before a request is verified, not after.
    verifier: rotate === null ? verifier : rotate.before(verifier),
    getToken: tokenReader(options),
    headerToken: headerReader(options), // the default reader over the headers object, null with a custom getToken
    cookie: options.cookie,
    tokenSource: tokenSource(options),
    credentialsRequired: boolean(options, 'credentialsRequired', true),
    passthrough: boolean(options, 'passthrough', false),
    debug: boolean(options, 'debug', false),
    unless: options.unless === undefined ? null : compileUnless(options.unless),
    errors,
    rotate,
  }
  for (const [name, fallback] of Object.entries(flavour.extra)) config[name] = propertyName(options, name, fallback, flavour.nested)
  return config
}

module.exports = { compile }
