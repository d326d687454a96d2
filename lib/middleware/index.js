'use strict'

// The Express and Koa middleware, written against any object with a
// synchronous verify(token): the Guard passes itself, and so can a Verifier.
const { expressMiddleware } = require('./express')
const { koaMiddleware } = require('./koa')
const { UnauthorizedError } = require('./errors')

module.exports = { expressMiddleware, koaMiddleware, UnauthorizedError }
