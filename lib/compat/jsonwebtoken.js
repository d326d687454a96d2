'use strict'

// `require('revocable/jsonwebtoken')`: a drop-in for jsonwebtoken 9.0.2.
// Same functions, options, errors and messages; verification runs through
// revocable's native verifier, which also refuses what jsonwebtoken lets
// through (see README "Migrating from jsonwebtoken / express-jwt").
const { JsonWebTokenError, NotBeforeError, TokenExpiredError } = require('./jwt-errors')
const { decode } = require('./jwt-decode')
const { verify } = require('./jwt-verify')

module.exports = {
  decode,
  verify,
  get sign() { return require('./jwt-sign').sign },
  JsonWebTokenError,
  NotBeforeError,
  TokenExpiredError,
}
