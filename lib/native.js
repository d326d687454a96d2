'use strict'

// The native addon, through napi-rs's generated loader (binding.js), which
// tries `revocable.<target>.node` in the package folder (a source build), then
// the `revocable-<target>` package (a prebuilt optional dependency). Every
// module that needs the addon requires this file, so a missing binary fails
// once, here, with the platform, what was looked for and the two ways out.
const { missing } = require('./platform')

function load() {
  try {
    return require('../binding')
  } catch (err) {
    throw missing(err)
  }
}

module.exports = load()
