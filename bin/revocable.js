#!/usr/bin/env node
'use strict'

// The command line for the people on call: revoke, inspect, move and check a
// revocation store from a shell (lib/cli). `revocable --help` lists the commands.
require('../lib/cli').main(process.argv.slice(2)).then((status) => {
  process.exitCode = status
})
