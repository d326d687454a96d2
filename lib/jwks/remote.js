'use strict'

const { EventEmitter } = require('node:events')
const { durationSeconds } = require('../native')
const { native, invalidOption } = require('../errors')
const { getJson, checkedUrl } = require('./fetch')
const { JwksError, CODES } = require('./errors')

const OPTIONS = new Set(['uri', 'issuer', 'cacheMaxAge', 'cooldown', 'timeout', 'maxBytes', 'maxRedirects', 'allowHttp', 'headers', 'agent'])
// jose's createRemoteJWKSet defaults: 10 min cache, 30 s cooldown, 5 s timeout.
const DEFAULTS = { cacheMaxAge: '10m', cooldown: '30s', timeout: '5s', maxBytes: 512 * 1024, maxRedirects: 3 }

/**
 * A JWK Set fetched from `uri`, or from the `jwks_uri` that `issuer`'s
 * discovery document names (OpenID Connect Discovery 1.0 §4, RFC 8414 §3).
 *
 * One fetch at a time (single-flight); the set is refetched `cacheMaxAge`
 * after the last good fetch, or at once for an unknown `kid` unless a fetch
 * started less than `cooldown` ago (so a flood of made-up kids costs at most
 * one request per cooldown). A failed fetch keeps the last good set and is
 * reported ('error' to listeners, health()); errors are never cached.
 * `accept(text)` (set by the owner) installs a set and throws if it is unusable.
 */
class RemoteKeySet extends EventEmitter {
  #uri
  #issuer
  #opts
  #clock
  #text = null
  #fetchedAt = 0
  #attemptAt = -Infinity
  #inflight = null
  #lastError = null
  #timer = null
  #closed = false
  fetches = 0
  accept = null

  constructor(spec, { clock = () => Date.now() } = {}) {
    super()
    if (!spec || typeof spec !== 'object') throw invalidOption('jwks', 'must be { uri } or { issuer }')
    for (const name of Object.keys(spec)) if (!OPTIONS.has(name)) throw invalidOption(name, 'is not a jwks option')
    if ((spec.uri === undefined) === (spec.issuer === undefined)) throw invalidOption('jwks', 'needs exactly one of `uri` and `issuer`')
    const o = { ...DEFAULTS, ...spec }
    const ms = (name) => native(() => durationSeconds(`jwks.${name}`, o[name])) * 1000
    this.#opts = {
      cacheMaxAgeMs: ms('cacheMaxAge'),
      cooldownMs: ms('cooldown'),
      timeoutMs: ms('timeout'),
      maxBytes: positive('maxBytes', o.maxBytes),
      maxRedirects: positive('maxRedirects', o.maxRedirects, 0),
      allowHttp: o.allowHttp === true,
      headers: o.headers,
      agent: o.agent,
    }
    const url = (name) => {
      if (typeof o[name] !== 'string') throw invalidOption(`jwks.${name}`, 'must be a URL string')
      try {
        return checkedUrl(o[name], this.#opts.allowHttp, CODES.FETCH).href
      } catch (err) {
        throw invalidOption(`jwks.${name}`, err.message)
      }
    }
    this.#issuer = spec.issuer === undefined ? undefined : (url('issuer'), spec.issuer)
    this.#uri = spec.uri === undefined ? undefined : url('uri')
    this.#clock = clock
  }

  /** The issuer given for discovery, if any. */
  get issuer() {
    return this.#issuer
  }

  /** The last good set as JSON text, or null before the first one. */
  get text() {
    return this.#text
  }

  /** Fetches now, or joins the fetch in flight; resolves to the set's text, rejects with a JwksError. */
  load() {
    if (this.#inflight) return this.#inflight
    this.#attemptAt = this.#clock()
    this.fetches++
    const attempt = this.#fetch().then((text) => {
      this.#text = text
      this.#fetchedAt = this.#clock()
      this.#lastError = null
      this.emit('keys', text)
      this.#schedule(this.#opts.cacheMaxAgeMs)
      return text
    }, (err) => {
      this.#lastError = err
      if (this.listenerCount('error') > 0) this.emit('error', err)
      this.#schedule(this.#opts.cooldownMs)
      throw err
    }).finally(() => { this.#inflight = null })
    attempt.catch(() => {}) // whoever awaits it sees the error; nobody else must crash on it
    this.#inflight = attempt
    return attempt
  }

  /** For an unknown kid: the fetch in flight or a new one, or null while cooling down. */
  refetch() {
    if (this.#inflight) return this.#inflight
    if (this.#closed || this.#clock() < this.#attemptAt + this.#opts.cooldownMs) return null
    return this.load()
  }

  /** `{ uri, status, fetchedAt, lastError }`: 'ok', 'stale' (last fetch failed, last good set in use) or 'down' (no set yet). */
  health() {
    const status = this.#text === null ? 'down' : this.#lastError ? 'stale' : 'ok'
    return { uri: this.#uri ?? this.#issuer, status, fetchedAt: this.#fetchedAt || null, fetches: this.fetches, lastError: this.#lastError ? this.#lastError.message : null }
  }

  close() {
    this.#closed = true
    clearTimeout(this.#timer)
  }

  #schedule(delayMs) {
    clearTimeout(this.#timer)
    if (this.#closed) return
    this.#timer = setTimeout(() => this.load().catch(() => {}), Math.max(delayMs, 1000))
    this.#timer.unref()
  }

  async #fetch() {
    const uri = this.#uri ?? await this.#discover()
    const set = await getJson(uri, this.#opts)
    if (!set || typeof set !== 'object' || !Array.isArray(set.keys)) throw new JwksError(CODES.INVALID, `${uri} is not a JWK Set ({ keys: [...] })`, { uri })
    const text = JSON.stringify(set)
    try {
      if (this.accept) this.accept(text)
    } catch (cause) {
      throw new JwksError(CODES.INVALID, `${uri}: ${cause.message}`, { uri, cause })
    }
    return text
  }

  /** jwks_uri from the discovery document, whose `issuer` must be exactly ours (OIDC Discovery §4.3). */
  async #discover() {
    const where = `${this.#issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
    const doc = await getJson(where, this.#opts)
    if (!doc || doc.issuer !== this.#issuer) {
      throw new JwksError(CODES.ISSUER, `the discovery document at ${where} names issuer ${JSON.stringify(String(doc?.issuer)).slice(0, 200)}, not ${this.#issuer}`, { uri: where })
    }
    try {
      this.#uri = checkedUrl(doc.jwks_uri, this.#opts.allowHttp, CODES.ISSUER).href
    } catch (cause) {
      throw new JwksError(CODES.ISSUER, `the discovery document has no usable jwks_uri: ${cause.message}`, { uri: where, cause })
    }
    return this.#uri
  }
}

function positive(name, value, min = 1) {
  if (!Number.isInteger(value) || value < min) throw invalidOption(`jwks.${name}`, `must be an integer of at least ${min}`)
  return value
}

module.exports = { RemoteKeySet }
