'use strict'

const { invalidOption } = require('./errors')

// What the Guard's revoke calls check and wait for (lib/guard/revocations.js).

/**
 * A sub or session value to revoke: a non-empty, well-formed string. A lone
 * surrogate has no UTF-8 form: a store (or the native table) would keep
 * U+FFFD instead, so after a restart the entry would refuse someone else.
 */
function identifier(name, value) {
  if (typeof value !== 'string' || value === '') throw invalidOption(name, 'must be a non-empty string')
  if (!value.isWellFormed()) throw invalidOption(name, 'must be well-formed UTF-16 (it holds a lone surrogate)')
  return value
}

/** The options object of a revoke call: undefined or an object (null would be a bare TypeError). */
function optionsObject(options) {
  if (options === undefined) return {}
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'must be an object such as { before }')
  return options
}

/**
 * `stored`, resolved no earlier than the second after the cut-off `atMs`.
 * A whole-second iat says only that the token was issued within that second,
 * so a cut-off at T must refuse every such token with iat <= floor(T) (some
 * were issued before T), and a token signed in T's second after the cut-off
 * would be refused for good. Waiting until the clock has passed T's second
 * (at most 1 s) means every token signed once the revocation resolved carries
 * an iat >= ceil(T): it passes, and no token issued before T does.
 */
function afterSecondOf(atMs, nowMs, stored) {
  const wait = Math.ceil(atMs / 1000) * 1000 - nowMs
  if (!(wait > 0)) return stored
  // One more millisecond: a timer may fire a fraction early by the wall clock.
  const passed = new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1000) + 1))
  return Promise.all([stored, passed]).then(([result]) => result)
}

/**
 * Makes the methods `names` of `prototype`, typed as returning a promise,
 * report bad input (a coded error) as a rejection, never as a synchronous
 * throw that an async Express 4 handler would turn into a request that never ends.
 */
function promisesOnly(prototype, names) {
  for (const name of names) {
    const method = prototype[name]
    Object.defineProperty(prototype, name, {
      value: { [name](...args) {
        try {
          return Promise.resolve(method.apply(this, args))
        } catch (err) {
          return Promise.reject(err)
        }
      } }[name],
      writable: true, configurable: true,
    })
  }
}

module.exports = { identifier, optionsObject, afterSecondOf, promisesOnly }
