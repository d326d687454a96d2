// Prints the README's benchmark tables, in Markdown, from benchmark/results/*.json,
// so the numbers quoted are exactly the ones a run wrote. `node benchmark/summary.mjs`
import { readResult, fmtInt, fmtRatio, markdown } from './lib/report.mjs'

const out = []
const verify = readResult('verify')
if (verify) {
  const m = verify.machine
  out.push(`Measured ${verify.date.slice(0, 10)} on ${m.cpu} (${m.cpus} cpus), Node ${m.node}, with \`${verify.command}\` ` +
    `(${verify.config.rounds} rounds, medians; ${Object.entries(verify.versions).filter(([, v]) => v).map(([p, v]) => `${p} ${v}`).join(', ')}).`, '')
  for (const mode of ['cold', 'repeated']) {
    out.push(mode === 'cold' ? '**Cold** — a distinct token every call (no cache can hit), verify ops/s:' : '**Repeated** — the same token every call (caches hit), verify ops/s:', '')
    out.push(markdown(['', ...verify.algorithms], verify.rows.map((n) => [n.startsWith('revocable') ? `**${n}**` : n,
      ...verify.algorithms.map((a) => (verify.results[a][n] ? fmtInt(verify.results[a][n][mode].opsPerSec) : 'n/a'))])), '')
  }
  out.push(`Targets (same-run ratios, printed by \`${verify.command}\`):`, '')
  out.push(markdown(['target', 'measured', 'wanted', ''], verify.targets.map((t) => [t.label, fmtRatio(t.ratio), `≥ ${t.min}x`, t.met ? 'met' : 'missed'])), '')
}
const sign = readResult('sign')
if (sign) {
  out.push(`Signing, \`${sign.command}\` (CPU time per token, best of ${sign.config.rounds} rounds; ` +
    `${Object.entries(sign.versions).filter(([, v]) => v).map(([p, v]) => `${p} ${v}`).join(', ')}), tokens per CPU second:`, '')
  out.push(markdown(['', ...sign.algorithms], sign.rows.map((n) => [n.startsWith('revocable') ? `**${n}**` : n,
    ...sign.algorithms.map((a) => (sign.results[a][n] ? fmtInt(sign.results[a][n].sign.opsPerSec) : 'n/a'))])), '')
  out.push(markdown(['target', 'measured', 'wanted', ''], sign.targets.map((t) => [t.label, fmtRatio(t.ratio), `≥ ${t.min}x`, t.met ? 'met' : 'missed'])), '')
}
const http = readResult('http')
if (http) {
  out.push(`HTTP, \`${http.command}\`: server CPU time per request, each case measured in ${http.config.seconds} s pairs with the same app ` +
    `with an empty middleware, both loaded at once on one CPU (${http.config.rounds} rounds, ${http.config.connections} connections per app, loopback); ` +
    '"% of empty" is the median over the pairs of the empty app\'s CPU per request over the case\'s.', '')
  for (const [fw, rows] of Object.entries(http.results)) {
    out.push(markdown([`${fw} ${http.versions[fw]}`, 'server CPU µs/req', 'requests per CPU-second', '% of empty (quartiles)'], Object.values(rows).map((r) =>
      [r.label === 'revocable' ? '**revocable**' : r.label, r.cpuUsPerRequest.toFixed(1), fmtInt(r.perCpuSecond),
        `${r.pctOfEmpty.toFixed(1)}% (${r.pctQuartiles.map((x) => x.toFixed(1)).join('-')})`])), '')
  }
  if (http.direct) {
    out.push('Each Express middleware called directly, in process (µs per request):', '')
    out.push(markdown(['middleware', 'µs per call'], Object.entries(http.direct).map(([k, d]) => [k, d.usPerCall.toFixed(2)])), '')
  }
}
const memory = readResult('memory')
if (memory) {
  out.push(`Memory per entry, \`${memory.command}\` (each size in a fresh process):`, '')
  out.push(markdown(['entry kind', 'entries', 'RSS B/entry', 'outside the V8 heap', 'V8 heap', 'table stats()'], memory.results.map((r) =>
    [r.kind === 'js-map' ? 'JavaScript Map (baseline)' : r.kind, fmtInt(r.entries), r.rssPerEntry, r.nativePerEntry ?? '—', r.heapPerEntry, r.tablePerEntry ?? '—'])), '')
}
const load = readResult('load')
if (load) {
  out.push(`Loading at start-up, \`${load.command}\`: \`revocable.open()\` with ${fmtInt(load.config.records)} revoked tokens in the store:`, '')
  out.push(markdown(['store', 'seconds', 'records/s'], Object.entries(load.results).map(([n, r]) => [n, r.loadSeconds.toFixed(2), fmtInt(r.recordsPerSecond)])), '')
}
console.log(out.join('\n'))
