'use strict'

// Durable copies of the revocation table. Each store takes the app's own
// client (or, for SQLite, a path) and loads no driver until it is used.
const { sqlite } = require('./sqlite')
const { postgres } = require('./postgres')
const { redis } = require('./redis')
const { StoreError } = require('./errors')

module.exports = { sqlite, postgres, redis, StoreError }
