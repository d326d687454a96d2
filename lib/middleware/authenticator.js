'use strict'

const { compile } = require('./options')
const { authenticateRequest } = require('./core')

const CORE = {
  what: 'authenticator',
  common: ['cookie', 'credentialsRequired', 'debug', 'rotate'],
  errorModes: ['respond'],
  extra: {},
  nested: false,
}

/**
 * The authentication core as a function of a framework-neutral request
 * (`auth.authenticator(options)`): `(request) => Outcome | Promise<Outcome>`,
 * a Promise only on a slow path. See ./core.js for both shapes.
 */
function authenticator(verifier, options) {
  const config = compile(verifier, options, CORE)
  return (request) => authenticateRequest(config, request)
}

module.exports = { authenticator }
