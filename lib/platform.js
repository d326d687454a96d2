'use strict'

// This platform's napi-rs target name, and the error for a platform whose
// addon cannot be loaded (lib/native.js, scripts/install.js).
const path = require('node:path')

const PLATFORMS = 'linux x64/arm64 (glibc and musl), macOS x64/arm64, Windows x64/arm64'

/** napi-rs's name for this platform (the suffix of the .node file and of the package). */
function target(platform = process.platform, arch = process.arch) {
  if (platform === 'linux') {
    const musl = isMusl()
    if (arch === 'arm') return `linux-arm-${musl ? 'musleabihf' : 'gnueabihf'}`
    return `linux-${arch}-${musl ? 'musl' : 'gnu'}`
  }
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

// glibc reports its version in Node's diagnostic report; musl does not.
function isMusl() {
  const header = process.report && typeof process.report.getReport === 'function' ? process.report.getReport().header : null
  return !(header && header.glibcVersionRuntime)
}

function missing(cause) {
  const t = target()
  const root = path.join(__dirname, '..')
  const err = new Error([
    `revocable: no native addon could be loaded for this platform (${t}, Node ${process.version}).`,
    `Looked for the prebuilt package revocable-${t} (an optional dependency of revocable) and for revocable.${t}.node in ${root}.`,
    'Two ways out:',
    `  1. On a listed platform (${PLATFORMS}), reinstall with optional dependencies`,
    '     (not --omit=optional / --no-optional; with a lockfile made on another platform, delete it and node_modules first).',
    '  2. Build from source (needs Rust with cargo, and a C compiler): REVOCABLE_BUILD_FROM_SOURCE=1 npm rebuild revocable',
  ].join('\n'), { cause })
  err.code = 'ERR_REVOCABLE_NATIVE'
  err.target = t
  return err
}

module.exports = { target, missing }
