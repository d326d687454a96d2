'use strict'

// Tokens whose signature the addon has already verified with a given key and
// algorithm. jsonwebtoken verifies every call from scratch; a repeated token
// (the usual case: one session, many requests) skips the decode and the native
// call here. Keyed by the whole token (the Map compares full strings, never a
// hash alone); a hit also needs the same parsed key and algorithm. Claims are
// checked in JS on every call, hit or not, so time never makes an entry stale.
const MAX_TOKENS = 1000
const MAX_TOKEN_CHARS = 4096
const tokens = new Map()

/** What `remember` kept for `token`, or undefined. */
function recall(token) {
  return tokens.get(token)
}

/** A fresh decode of a remembered token (new objects every call, as jsonwebtoken's decode gives). */
function decoded(hit) {
  const { headerText, payloadText, signature } = hit
  return { header: JSON.parse(headerText), payload: JSON.parse(payloadText), signature, headerText, payloadText }
}

/**
 * Keeps a token the addon verified with `entry` and `alg` (oldest dropped
 * first), with the texts jsonwebtoken parses: the header read as latin1 (as
 * jws does), the payload as UTF-8.
 */
function remember(token, entry, alg, { headerText, payloadText, signature }) {
  if (token.length > MAX_TOKEN_CHARS) return
  if (tokens.size >= MAX_TOKENS) tokens.delete(tokens.keys().next().value)
  tokens.set(token, { entry, alg, headerText, payloadText, signature })
}

module.exports = { recall, decoded, remember, MAX_TOKENS, rememberedTokens: () => tokens.size }
