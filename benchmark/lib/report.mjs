// What every benchmark writes: the machine, the versions, raw numbers, and a
// Markdown table on stdout. Results go to benchmark/results/<name>.json.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = new URL('../../', import.meta.url)

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** The q-quantile (0..1) of xs, interpolated between neighbours; quantile(xs, 0.5) is the median. */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b)
  const at = q * (s.length - 1)
  const lo = Math.floor(at)
  return lo + 1 < s.length ? s[lo] + (s[lo + 1] - s[lo]) * (at - lo) : s[lo]
}

/** Half the min-max spread, as a percentage of the median: how much the rounds disagreed. */
export function spreadPct(xs) {
  return xs.length ? ((Math.max(...xs) - Math.min(...xs)) / 2 / median(xs)) * 100 : 0
}

export function machine() {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model ?? 'unknown', cpus: cpus.length, memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version, platform: os.platform(), arch: os.arch(), loadavg: os.loadavg().map((l) => +l.toFixed(2)),
  }
}

/** Installed versions of the packages a benchmark compares (null when one is missing). */
export function versions(pkgs) {
  return Object.fromEntries(pkgs.map((p) => {
    const file = new URL(`node_modules/${p}/package.json`, ROOT)
    return [p, existsSync(file) ? JSON.parse(readFileSync(file)).version : null]
  }))
}

export function describeMachine(m = machine()) {
  return `${m.cpu} (${m.cpus} cpus, ${m.memoryGiB} GiB), Node ${m.node}, ${m.platform}-${m.arch}, load avg ${m.loadavg.join(' ')}`
}

/** benchmark/results/, or BENCH_RESULTS_DIR (the smoke test writes elsewhere). */
export function resultsDir() {
  const dir = process.env.BENCH_RESULTS_DIR ? pathToFileURL(`${path.resolve(process.env.BENCH_RESULTS_DIR)}/`) : new URL('benchmark/results/', ROOT)
  mkdirSync(dir, { recursive: true })
  return dir
}

export function writeResult(name, data) {
  const out = { name, date: new Date().toISOString(), machine: machine(), ...data }
  const file = new URL(`${name}.json`, resultsDir())
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n')
  console.log(`Wrote ${path.relative(process.cwd(), fileURLToPath(file))}`)
  return out
}

export function readResult(name) {
  const file = new URL(`${name}.json`, resultsDir())
  return existsSync(file) ? JSON.parse(readFileSync(file)) : null
}

/** A Markdown table; the first column left-aligned, the others right-aligned. */
export function markdown(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (cells) => '| ' + cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ') + ' |'
  const rule = '|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|'
  return [line(head), rule, ...rows.map(line)].join('\n')
}

export const fmtInt = (x) => Math.round(x).toLocaleString('en-US')
export const fmtRatio = (x) => (x === undefined || x === null || !Number.isFinite(x) ? '—' : `${x.toFixed(2)}x`)

/** A positive number from the environment, or the default. */
export function envNumber(name, fallback) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!(n > 0)) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`)
  return n
}

export function envList(name, fallback) {
  const raw = process.env[name]
  return raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : fallback
}
