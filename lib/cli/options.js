'use strict'

/** Every option of the command line, for util.parseArgs, with its help line. */
const OPTIONS = {
  store: { type: 'string', help: '<url>  sqlite:./revocations.db (or a path), postgres://…, redis://… (default: $REVOCABLE_STORE)' },
  table: { type: 'string', help: '<name>  SQLite / PostgreSQL table the app uses (default revocable_revocations)' },
  prefix: { type: 'string', help: '<prefix>  Redis key prefix the app uses (default revocable)' },
  create: { type: 'boolean', help: 'create the table (or prefix) when it is not there yet, instead of failing' },
  json: { type: 'boolean', help: 'answer in JSON, for scripts' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
  before: { type: 'string', help: '<time>  cut-off: ISO date, seconds since the epoch, now, 15m from now, or --before=-15m (default now)' },
  claim: { type: 'string', help: '<claim>  the session claim (default sid; e.g. did for a device id): one of the apps\' sessionClaims' },
  jti: { type: 'string', help: '<jti>  the token id' },
  iss: { type: 'string', help: '<iss>  the token issuer (default none)' },
  exp: { type: 'string', help: '<time>  the token exp: ISO date, seconds since the epoch, or 15m from now' },
  file: { type: 'string', help: '<path|->  read lines from a file, or - for standard input' },
  kind: { type: 'string', help: '<kind>  only records of this kind (user, session, token, allow, global, group)' },
  key: { type: 'string', help: '<key>  verify the signature too: a PEM or JWK file, or the HMAC secret' },
  'max-token-lifetime': { type: 'string', help: "<duration>  the app's maxTokenLifetime, e.g. 1h (default: $REVOCABLE_MAX_TOKEN_LIFETIME)" },
  'clock-tolerance': { type: 'string', help: "<duration>  the app's clockTolerance or more (default 5m; keeping a record longer is harmless)" },
}

// Options every command that opens a store takes.
const COMMON = ['store', 'table', 'prefix', 'create', 'json', 'help']

function parseArgsOptions() {
  const out = {}
  for (const [name, { type, short }] of Object.entries(OPTIONS)) out[name] = short ? { type, short } : { type }
  return out
}

module.exports = { OPTIONS, COMMON, parseArgsOptions }
