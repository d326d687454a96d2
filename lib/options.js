'use strict'

const { invalidOption } = require('./errors')

const VERIFIER_OPTIONS = new Set([
  'algorithms', 'key', 'secret', 'issuer', 'audience', 'subject', 'jwtid', 'typ',
  'clockTolerance', 'maxAge', 'requiredClaims', 'maxTokenBytes', 'crit', 'clock', 'cache',
  'jwks', 'issuers', // remote key sets (lib/jwks)
])

function strings(name, value, { allowSingle = true } = {}) {
  if (value === undefined) return undefined
  const list = allowSingle && typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) {
    throw invalidOption(name, allowSingle ? 'must be a non-empty string or array of strings' : 'must be an array of strings')
  }
  return list
}

function string(name, value) {
  if (value !== undefined && (typeof value !== 'string' || value === '')) {
    throw invalidOption(name, 'must be a non-empty string')
  }
  return value
}

function duration(name, value) {
  if (value === undefined) return undefined
  if (typeof value === 'number' || typeof value === 'string') return value
  throw invalidOption(name, 'must be a number of seconds or a duration string like "15m"')
}

/** Checks what only JS can check (types, names) and leaves values to Rust. */
function checkVerifierOptions(options, extra = new Set(), what = 'Verifier') {
  if (!options || typeof options !== 'object') throw invalidOption('options', 'must be an object')
  for (const name of Object.keys(options)) {
    if (!VERIFIER_OPTIONS.has(name) && !extra.has(name)) throw invalidOption(name, `is not a ${what} option`)
  }
  if (options.algorithms === undefined) throw invalidOption('algorithms', 'is required (e.g. ["HS256"])')
  if (options.key !== undefined && options.secret !== undefined) {
    throw invalidOption('secret', 'is an alias of `key`; give one of them')
  }
  // Date.now looked up per call, so fake timers installed later still apply.
  const clock = options.clock === undefined ? () => Date.now() : options.clock
  if (typeof clock !== 'function') throw invalidOption('clock', 'must be a function returning milliseconds')
  if (options.maxTokenBytes !== undefined && typeof options.maxTokenBytes !== 'number') {
    throw invalidOption('maxTokenBytes', 'must be a number of bytes')
  }
  return {
    clock,
    native: {
      algorithms: strings('algorithms', options.algorithms, { allowSingle: false }),
      issuer: strings('issuer', options.issuer),
      audience: strings('audience', options.audience),
      subject: string('subject', options.subject),
      jwtid: string('jwtid', options.jwtid),
      typ: string('typ', options.typ),
      clockTolerance: duration('clockTolerance', options.clockTolerance),
      maxAge: duration('maxAge', options.maxAge),
      requiredClaims: options.requiredClaims === undefined || (Array.isArray(options.requiredClaims) && options.requiredClaims.length === 0)
        ? options.requiredClaims
        : strings('requiredClaims', options.requiredClaims, { allowSingle: false }),
      maxTokenBytes: options.maxTokenBytes,
      crit: strings('crit', options.crit, { allowSingle: false }),
    },
  }
}

module.exports = { checkVerifierOptions, strings, string, duration }
