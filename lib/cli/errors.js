'use strict'

/**
 * The command line's two failures, decided here: bad usage (exit status 2)
 * and a failed operation or check (exit status 1). Store failures keep their
 * own code (ERR_STORE) and also exit 1. Messages are one line and say what to do.
 */
class UsageError extends Error {
  static code = 'ERR_CLI_USAGE'

  constructor(message) {
    super(message)
    this.name = 'UsageError'
    this.code = UsageError.code
  }
}

class CliError extends Error {
  static code = 'ERR_CLI'

  constructor(message, { cause } = {}) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'CliError'
    this.code = CliError.code
  }
}

module.exports = { UsageError, CliError }
