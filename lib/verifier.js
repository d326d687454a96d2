'use strict'

const { NativeVerifier } = require('./native')
const { native, fromNative, invalidOption, JwtMalformedError, JwtExpiredError, JwtNotBeforeError } = require('./errors')
const { verificationKey } = require('./keys')
const { checkVerifierOptions } = require('./options')
const { ResultCache, cacheSize } = require('./cache')
const { claimsFrom } = require('./shape')
const { KeySources } = require('./jwks/sources')

/**
 * Configure once, verify many times: every option and key is checked here,
 * and `verify` does no option work. See index.d.ts for each option.
 */
class Verifier {
  #native
  #clock
  #cache
  #sources

  constructor(options) {
    const { clock, native: opts } = checkVerifierOptions(options)
    this.#clock = clock
    // Remote key sets (lib/jwks): the native verifier is built once a set is loaded.
    this.#sources = KeySources.from(options, clock)
    if (this.#sources !== null) {
      this.#sources.bind((keys) => native(() => new NativeVerifier({ ...opts, ...keys })), (n) => resultCache(n, options.cache, null))
      return
    }
    const key = options.key === undefined ? options.secret : options.key
    if (key === undefined) throw invalidOption('key', 'is required (or its alias `secret`)')
    this.#native = native(() => new NativeVerifier({ ...opts, ...verificationKey(key, options.key === undefined ? 'secret' : 'key') }))
    this.#cache = resultCache(this.#native, options.cache, null)
  }

  /** Returns the claims, or `{ header, payload, signature }` with `complete: true`; throws a JwtError. */
  verify(token, options) {
    if (this.#sources !== null) return this.#sources.run(token, (n, cache) => verifyWith(n, this.#clock(), token, options, cache))
    return verifyWith(this.#native, this.#clock(), token, options, this.#cache)
  }

  /** verify(), except that a token whose kid started a key set refetch waits for it and is tried once more. */
  verifyAsync(token, options) {
    return verifyRefetching((t, o) => this.verify(t, o), this.#sources, token, options)
  }

  /** Resolves once every remote key set is loaded (rejects with a JwksError: fail closed); at once for a static key. */
  async ready() {
    if (this.#sources !== null) {
      await this.#sources.load()
      this.#sources.bind()
    }
    return this
  }

  /** `{ jwks: { [issuer or uri]: { status, fetchedAt, lastError, ... } } }` for remote key sets; `{}` otherwise. */
  health() {
    return this.#sources === null ? {} : { jwks: this.#sources.health() }
  }

  /** Stops background key set refreshes. */
  close() {
    if (this.#sources !== null) this.#sources.close()
  }

  /** `{ size, max, hits, misses }` of the result cache (zeros when it is off). */
  cacheStats() {
    if (this.#sources !== null) return this.#sources.cacheStats()
    return this.#cache ? this.#cache.stats() : { size: 0, max: 0, hits: 0, misses: 0 }
  }
}

/** The `cache` option made into a ResultCache over the native object's views, or null when off. */
function resultCache(nativeObject, option, epochs) {
  const size = cacheSize(option, invalidOption)
  return size === 0 ? null : new ResultCache(size, nativeObject.scratch(), nativeObject.shape(), epochs)
}

/**
 * The one call per request into the addon, shared by Verifier and Guard; a
 * repeated token is answered from `cache` when nothing it depends on moved.
 * Every result is a fresh top-level object, cached or not (see cache.js).
 * `check(claimsText)`, if given, may refuse a result by throwing, before it is
 * cached (a Guard's: lib/claim-keys.js).
 */
function verifyWith(native, nowMs, token, options, cache, check) {
  if (typeof token !== 'string') throw new JwtMalformedError('the token must be a string')
  if (options !== undefined && (options === null || typeof options !== 'object')) throw invalidOption('options', 'must be an object such as { complete: true }')
  const complete = options !== undefined && options.complete === true
  if (!complete && cache) {
    const claims = cache.get(token, nowMs)
    if (claims !== undefined) return claims
  }
  let out
  try {
    out = complete ? native.verifyComplete(token, nowMs) : (native[BOUND] ??= native.boundVerify())(token, nowMs)
  } catch (err) {
    throw withDates(fromNative(err), token)
  }
  if (check !== undefined) check(complete ? out[1] : out)
  if (complete) {
    return { header: JSON.parse(out[0]), payload: JSON.parse(out[1]), signature: token.slice(token.lastIndexOf('.') + 1) }
  }
  return cache ? cache.add(token, out) : claimsFrom(out, native[SHAPE] ??= native.shape())
}

// Kept on the native object, made on first use: native.verify bound to its
// object (src/binding/bound.rs: a call skips napi-rs's per-call work for a
// method, unwrapping `this`, checking its class, tracking the borrow, ~0.4 µs
// of a cold verify), and native.shape(), the view the claims are built by
// (lib/shape.js).
const BOUND = Symbol('revocable.boundVerify')
const SHAPE = Symbol('revocable.shape')

/** `verify(token, options)` once more after the key set refetch a token's unknown kid started, if it did. */
async function verifyRefetching(verify, sources, token, options) {
  try {
    return verify(token, options)
  } catch (err) {
    if (err.refetching !== true || sources === null) throw err
    await sources.refetched(token, err)
    return verify(token, options)
  }
}

/** Adds `expiredAt` / `date` like jsonwebtoken does; the signature has already verified. */
function withDates(err, token) {
  if (err instanceof JwtExpiredError || err instanceof JwtNotBeforeError) {
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())
    if (err instanceof JwtExpiredError) err.expiredAt = new Date(claims.exp * 1000)
    else err.date = new Date(claims.nbf * 1000)
  }
  return err
}

module.exports = { Verifier, verifyWith, verifyRefetching, resultCache }
