'use strict'

const { invalidOption } = require('../errors')

const list = (value) => (Array.isArray(value) ? value : [value])

/**
 * Compiles an `unless` rule (express-unless / koa-unless shape) into
 * `(target, method, pathname) => boolean`; true skips authentication.
 *
 * - a function (req|ctx) => boolean: skips only when it returns `true`. An
 *   async function is refused: its Promise is truthy, and would skip every request.
 * - `{ path, method }`: skips when any path matches (a string equal to the
 *   pathname, a RegExp, or `{ url, method|methods }`) or the method is listed.
 *
 * Paths compare the pathname exactly, query string excluded, so any spelling
 * that differs (`/Public`, `/public/`, `/%70ublic`) still gets authenticated:
 * a mismatch fails closed.
 */
function compileUnless(rule, name = 'unless') {
  if (typeof rule === 'function') {
    if (rule.constructor && rule.constructor.name === 'AsyncFunction') {
      throw invalidOption(name, 'must return a boolean, not a Promise')
    }
    return (target) => rule(target) === true
  }
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
    throw invalidOption(name, 'must be a function or { path, method }')
  }
  for (const key of Object.keys(rule)) {
    if (key !== 'path' && key !== 'method') throw invalidOption(name, `has no \`${key}\` (use path or method)`)
  }
  const paths = rule.path === undefined ? [] : list(rule.path).map((p) => pathMatcher(p, name))
  const methods = rule.method === undefined ? null : methodSet(rule.method, name)
  if (paths.length === 0 && methods === null) throw invalidOption(name, 'needs a path or a method')
  return (target, method, pathname) =>
    (methods !== null && methods.has(method)) || paths.some((match) => match(pathname, method))
}

function pathMatcher(p, name) {
  if (typeof p === 'string') return (pathname) => pathname === p
  if (p instanceof RegExp) {
    // A /g or /y RegExp keeps lastIndex between calls and would match every other request.
    const re = new RegExp(p.source, p.flags.replace(/[gy]/g, ''))
    return (pathname) => re.test(pathname)
  }
  if (p !== null && typeof p === 'object' && p.url !== undefined) {
    const url = pathMatcher(p.url, name)
    const given = p.methods === undefined ? p.method : p.methods
    const methods = given === undefined ? null : methodSet(given, name)
    return (pathname, method) => url(pathname) && (methods === null || methods.has(method))
  }
  throw invalidOption(name, 'path entries must be strings, RegExps or { url, methods }')
}

function methodSet(value, name) {
  const methods = list(value)
  if (!methods.every((m) => typeof m === 'string' && m !== '')) throw invalidOption(name, 'methods must be strings')
  return new Set(methods.map((m) => m.toUpperCase()))
}

/**
 * The pathname Express's router matches on (what parseurl yields): no query,
 * no fragment, and for an absolute-form target (`http://host/x`) only `/x`.
 * Matching anything else would let `/admin#.css` skip auth under a `/\.css$/` rule.
 */
function pathOf(url) {
  let path = url
  const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(path)
  if (absolute) path = path.slice(absolute[0].length) || '/'
  const end = path.search(/[?#]/)
  return end === -1 ? path : path.slice(0, end)
}

module.exports = { compileUnless, pathOf }
