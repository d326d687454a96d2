'use strict'

// `npm run package`: every publishable tarball of this build into dist/, as
// `napi prepublish` lays them out: one `revocable-<target>` package per addon
// built here (npm/<target>/ with only its .node), and the main package, whose
// package.json names every platform package as an exact-version optional
// dependency and whose only script is the install step (scripts/install.js:
// nothing to do when a prebuilt addon loads). Build first (`npm run build`,
// or the release workflow's artifacts copied to the repository root).
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

const root = path.join(__dirname, '..')
const dist = path.join(root, 'dist')
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
const npm = (args, cwd) => execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd, encoding: 'utf8' })
const pack = (dir) => JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dist], dir))[0]

// A debug build (napi build without --release) is ~8x larger: an ELF file
// with a .debug_info section. (Other formats come from the release workflow.)
function hasDebugInfo(elf) {
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1) return false // 64-bit little-endian ELF only
  const shoff = Number(elf.readBigUInt64LE(0x28))
  const size = elf.readUInt16LE(0x3a)
  const count = elf.readUInt16LE(0x3c)
  const names = Number(elf.readBigUInt64LE(shoff + elf.readUInt16LE(0x3e) * size + 0x18))
  for (let i = 0; i < count; i++) {
    const at = names + elf.readUInt32LE(shoff + i * size)
    if (elf.toString('latin1', at, elf.indexOf(0, at)) === '.debug_info') return true
  }
  return false
}

fs.rmSync(dist, { recursive: true, force: true })
fs.mkdirSync(dist)

const platforms = fs.readdirSync(path.join(root, 'npm')).sort()
const packed = []
for (const t of platforms) {
  const dir = path.join(root, 'npm', t)
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  if (manifest.version !== pkg.version) throw new Error(`npm/${t}/package.json is version ${manifest.version}, not ${pkg.version}`)
  const addon = path.join(root, `revocable.${t}.node`)
  if (!fs.existsSync(addon)) continue
  if (hasDebugInfo(fs.readFileSync(addon))) {
    throw new Error(`${path.basename(addon)} is a debug build: run \`npm run build\` (release) first`)
  }
  fs.copyFileSync(addon, path.join(dir, path.basename(addon)))
  try {
    packed.push(pack(dir))
  } finally {
    fs.rmSync(path.join(dir, path.basename(addon)))
  }
}
if (packed.length === 0) throw new Error('no addon built here: run `npm run build` first')

// The main package, staged in a temporary folder so package.json here stays the developer's.
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-package-'))
try {
  const files = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root))[0].files.map((f) => f.path)
  for (const file of files) {
    if (/\.node$/.test(file)) continue // addons travel in their platform packages
    fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true })
    fs.copyFileSync(path.join(root, file), path.join(stage, file))
  }
  const published = { ...pkg, scripts: { install: 'node scripts/install.js' } }
  delete published.devDependencies
  published.optionalDependencies = Object.fromEntries(platforms.map((t) => [`${pkg.name}-${t}`, pkg.version]))
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(published, null, 2) + '\n')
  packed.push(pack(stage))
} finally {
  fs.rmSync(stage, { recursive: true, force: true })
}

for (const p of packed) console.log(`dist/${p.filename}  ${(p.size / 1024).toFixed(0)} kB packed, ${(p.unpackedSize / 1024).toFixed(0)} kB unpacked, ${p.entryCount} files`)
