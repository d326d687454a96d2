'use strict'

const { NativeGuard, durationSeconds } = require('../native')
const { native, invalidOption } = require('../errors')
const { verificationKey } = require('../keys')
const { checkVerifierOptions } = require('../options')
const { resultCache } = require('../verifier')
const { groupsConfig } = require('../lifecycle/groups')

const GUARD_OPTIONS = new Set([
  'maxTokenLifetime', 'store', 'loadUserCutoffs', 'sessionClaims', 'allowList',
  'signingKey', 'signingAlgorithm', 'pruneInterval', 'storeTimeout', 'on', 'refresh', 'groups', 'wholeSecondIat',
])

/**
 * A Guard's options, checked once (the Verifier's, plus its own): what the
 * Guard keeps of them, and `guardOpts`, the native Guard's own options.
 * `sources` are the remote key sets (lib/jwks), or null for a static key.
 */
function guardConfig(options, sources) {
  const { clock, native: verifierOpts } = checkVerifierOptions(options, GUARD_OPTIONS, 'Guard')
  const groups = groupsConfig(options.groups)
  const key = options.key === undefined ? options.secret : options.key
  if (key === undefined && sources === null) throw invalidOption('key', 'is required (or its alias `secret`)')
  if (options.maxTokenLifetime === undefined) throw invalidOption('maxTokenLifetime', "is required (e.g. '1h')")
  const store = options.store
  for (const method of ['open', 'put', 'load', 'prune', 'close']) {
    if (!store || typeof store[method] !== 'function') throw invalidOption('store', `must have a ${method}() method`)
  }
  if (options.allowList !== undefined && typeof options.allowList !== 'boolean') throw invalidOption('allowList', 'must be a boolean')
  if (options.wholeSecondIat !== undefined && typeof options.wholeSecondIat !== 'boolean') throw invalidOption('wholeSecondIat', 'must be a boolean')
  return {
    clock,
    verifierOpts,
    groups,
    key,
    store,
    wholeSeconds: options.wholeSecondIat === true,
    lifetimeMs: native(() => durationSeconds('maxTokenLifetime', options.maxTokenLifetime)) * 1000,
    toleranceMs: native(() => durationSeconds('clockTolerance', options.clockTolerance ?? 0)) * 1000,
    guardOpts: {
      tableId: store.id,
      maxTokenLifetime: options.maxTokenLifetime,
      sessionClaims: options.sessionClaims,
      allowList: options.allowList,
      groups: options.groups !== undefined,
    },
    // How keys were given, for backchannelLogout.
    keySpec: { key, jwks: options.jwks, issuers: options.issuers, algorithms: options.algorithms, clockTolerance: options.clockTolerance, clock },
  }
}

/**
 * The native Guard and its result cache for a static key; for remote key sets,
 * one native Guard per issuer, all on the same table (`native` is the first,
 * which the Guard's table operations use, and `cache` is undefined: each has its own).
 */
function nativeGuards(config, options, sources) {
  const { verifierOpts, guardOpts, key } = config
  if (sources === null) {
    const n = native(() => new NativeGuard({ ...verifierOpts, ...verificationKey(key, options.key === undefined ? 'secret' : 'key') }, guardOpts))
    return { native: n, cache: resultCache(n, options.cache, n.epochs()) }
  }
  const first = sources.bind((keys) => native(() => new NativeGuard({ ...verifierOpts, ...keys }, guardOpts)),
    (n) => resultCache(n, options.cache, n.epochs()))
  return { native: first, cache: undefined }
}

/**
 * open()'s store when none is given: sqlite('revocable.db'). Under Jest
 * (JEST_WORKER_ID is set in every worker) a fresh memory store per open():
 * parallel workers sharing ./revocable.db would see each other's
 * revocations, and a run would see the last run's.
 */
function defaultStore() {
  return process.env.JEST_WORKER_ID ? require('../stores/memory').memory() : require('../stores').sqlite('revocable.db')
}

module.exports = { guardConfig, nativeGuards, defaultStore }
