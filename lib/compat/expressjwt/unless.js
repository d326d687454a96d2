'use strict'

const { parse } = require('node:url')

/**
 * `.unless(options)` with express-unless 2.1.3's semantics (what express-jwt
 * 8.5.1 attaches): a new middleware that calls `next()` without running this
 * one when the request matches. `options` is a function (req) => boolean,
 * possibly async (it is awaited), or `{ path, ext, method, custom,
 * useOriginalUrl }`. Paths are strings compared to the pathname exactly,
 * RegExps, or `{ url, method|methods }`; methods are compared as given
 * (express-unless does not upper-case them). The pathname is url.parse's,
 * as express's router sees it: no query, no fragment.
 *
 * Unlike express-unless, an error thrown while matching (a `custom` that
 * throws) goes to `next(err)` instead of becoming an unhandled rejection.
 */
function unless(options) {
  const middleware = this
  const opts = typeof options === 'function' ? { custom: options } : options
  // express-unless writes the default back into the caller's options object.
  opts.useOriginalUrl = opts.useOriginalUrl === undefined ? true : opts.useOriginalUrl

  async function skipping(req, res, next) {
    let skip
    try {
      skip = await matches(opts, req)
    } catch (err) {
      return next(err)
    }
    if (skip) return next()
    middleware(req, res, next)
  }
  skipping.unless = unless
  return skipping
}

async function matches(opts, req) {
  const { pathname } = parse((opts.useOriginalUrl ? req.originalUrl : req.url) || req.url || '', true)
  if (opts.custom && await opts.custom(req)) return true
  if (list(opts.path).some((p) => pathMatches(p, pathname, req.method))) return true
  if (opts.ext !== undefined && list(opts.ext).some((ext) => pathname.slice(ext.length * -1) === ext)) return true
  return opts.method !== undefined && list(opts.method).indexOf(req.method) > -1
}

const list = (value) => (Array.isArray(value) ? value : [value])

function pathMatches(p, pathname, method) {
  if (typeof p === 'string' || p instanceof RegExp) return urlMatches(p, pathname)
  return urlMatches(p, pathname) && methodMatches(p.method || p.methods, method)
}

function urlMatches(p, pathname) {
  if (typeof p === 'string') return p === pathname
  if (p instanceof RegExp) return pathname.match(p) !== null
  if (p !== null && typeof p === 'object' && p.url) return urlMatches(p.url, pathname)
  return false
}

function methodMatches(methods, method) {
  return methods === undefined || list(methods).includes(method)
}

module.exports = { unless }
