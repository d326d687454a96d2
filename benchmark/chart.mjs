// Renders benchmark/results/<name>.json into <name>.svg: horizontal bars, hand-written SVG,
// no dependencies. `node benchmark/chart.mjs` renders every result present.
import { writeFileSync } from 'node:fs'
import { readResult, resultsDir, fmtInt } from './lib/report.mjs'

const FONT = 'font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif"'
const OURS = '#e8590c'
const PEER = '#5c7cfa'
const ROW = 18
const LABEL_W = 230
const GAP = 24
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const short = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e4 ? `${Math.round(x / 1e3)}k` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : `${Math.round(x)}`)

/**
 * sections: [{ title, labels, highlight: bool[], series: [{ values: (number|null)[], text?: (string)[] }] }]
 * headings: one per series column. Each section scales each column to its own largest value.
 */
function render({ title, subtitle, headings, sections, footer }) {
  const cols = headings.length
  const BAR_W = cols === 1 ? 560 : 330
  const width = LABEL_W + cols * (BAR_W + GAP) + 10
  const out = []
  let y = 28
  out.push(`<text x="10" y="${y}" font-size="17" font-weight="600">${esc(title)}</text>`)
  y += 18
  out.push(`<text x="10" y="${y}" font-size="11" fill="#555">${esc(subtitle)}</text>`)
  y += 26
  headings.forEach((h, c) => out.push(`<text x="${LABEL_W + c * (BAR_W + GAP)}" y="${y}" font-size="12" font-weight="600">${esc(h)}</text>`))
  y += 8
  for (const s of sections) {
    y += 18
    out.push(`<text x="10" y="${y}" font-size="13" font-weight="600">${esc(s.title)}</text>`)
    out.push(`<line x1="10" x2="${width - 10}" y1="${y + 5}" y2="${y + 5}" stroke="#ddd"/>`)
    y += 10
    const maxes = s.series.map((ser) => Math.max(...ser.values.filter((v) => v !== null)))
    s.labels.forEach((label, r) => {
      const top = y + r * ROW
      const ours = s.highlight[r]
      out.push(`<text x="${LABEL_W - 8}" y="${top + 13}" font-size="11" text-anchor="end"${ours ? ` font-weight="600" fill="${OURS}"` : ''}>${esc(label)}</text>`)
      s.series.forEach((ser, c) => {
        const x = LABEL_W + c * (BAR_W + GAP)
        const v = ser.values[r]
        if (v === null || v === undefined) {
          out.push(`<text x="${x}" y="${top + 13}" font-size="10" fill="#999">n/a</text>`)
          return
        }
        const w = Math.max(1, (v / maxes[c]) * (BAR_W - 70))
        out.push(`<rect x="${x}" y="${top + 3}" width="${w.toFixed(1)}" height="${ROW - 6}" rx="2" fill="${ours ? OURS : PEER}"/>`)
        out.push(`<text x="${(x + w + 4).toFixed(1)}" y="${top + 13}" font-size="10" fill="#333">${esc(ser.text?.[r] ?? short(v))}</text>`)
      })
    })
    y += s.labels.length * ROW
  }
  y += 20
  for (const line of footer ?? []) {
    out.push(`<text x="10" y="${y}" font-size="10" fill="#666">${esc(line)}</text>`)
    y += 14
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" ${FONT}>\n` +
    `<rect width="100%" height="100%" fill="#fff"/>\n${out.join('\n')}\n</svg>\n`
}

const machineLine = (r) => `${r.machine.cpu}, ${r.machine.cpus} cpus, Node ${r.machine.node}, ${r.date.slice(0, 10)}`
const revocableRow = (name) => name.startsWith('revocable')

const CHARTS = {
  verify(r) {
    return render({
      title: 'JWT verify, operations per second (longer is better)',
      subtitle: `iss, aud and algorithm checks on; median of ${r.config.rounds} rounds; ${machineLine(r)}`,
      headings: ['cold: a distinct token every call', 'repeated: the same token every call'],
      sections: r.algorithms.map((alg) => ({
        title: alg,
        labels: r.rows,
        highlight: r.rows.map(revocableRow),
        series: ['cold', 'repeated'].map((mode) => ({ values: r.rows.map((n) => r.results[alg][n]?.[mode]?.opsPerSec ?? null) })),
      })),
      footer: [`Guard rows verify and check a revocation table of 10 or ${fmtInt(r.config.revoked)} revoked tokens. Each panel is scaled to its largest bar.`,
        `revocable verified-token cache: ${r.config.revocableCache ? 'on (default)' : 'not built into this run'}. ${(r.notes ?? []).join('; ')}`],
    })
  },
  sign(r) {
    return render({
      title: 'JWT sign, tokens per second of CPU (longer is better)',
      subtitle: `sub, iss, aud, iat, exp; CPU time per token, best of ${r.config.rounds} rounds; ${machineLine(r)}`,
      headings: ['tokens signed per CPU second'],
      sections: r.algorithms.map((alg) => {
        const rows = r.rows.filter((n) => r.results[alg][n])
        return {
          title: alg,
          labels: rows,
          highlight: rows.map(revocableRow),
          series: [{ values: rows.map((n) => r.results[alg][n].sign.opsPerSec) }],
        }
      }),
      footer: ['auth.issue signs an access and a refresh token per call; jose is async (awaited).'],
    })
  },
  http(r) {
    const fws = Object.keys(r.results)
    const name = { express: 'Express', koa: 'Koa', fastify: 'Fastify' }
    return render({
      title: 'HTTP server requests per CPU-second (longer is better)',
      subtitle: `the empty-middleware app's 1e6 / server CPU µs per request, times each case's share of it: the median of ${r.config.rounds} rounds of ` +
        `${r.config.seconds} s pairs with the empty middleware, ${r.config.connections} connections per app, loopback; ${machineLine(r)}`,
      headings: ['requests per CPU-second (% of the same app with an empty middleware)'],
      sections: fws.map((fw) => {
        const rows = Object.entries(r.results[fw])
        // Bars from the paired shares, so that they agree with the percentages (each case's own median CPU comes from other seconds).
        const rate = (x) => (r.results[fw].empty.perCpuSecond * x.pctOfEmpty) / 100
        return {
          title: `${name[fw] ?? fw} ${r.versions[fw]}`,
          labels: rows.map(([, x]) => x.label),
          highlight: rows.map(([k]) => k === 'revocable'),
          series: [{ values: rows.map(([, x]) => rate(x)), text: rows.map(([, x]) => `${fmtInt(rate(x))} (${x.pctOfEmpty.toFixed(1)}%)`) }],
        }
      }),
    })
  },
  memory(r) {
    const sizes = [...new Set(r.results.map((x) => x.entries))]
    return render({
      title: 'Memory per revocation entry, bytes (shorter is better)',
      subtitle: `process RSS growth per entry, each measured in a fresh process; ${machineLine(r)}`,
      headings: ['bytes per entry (RSS)'],
      sections: sizes.map((n) => {
        const rows = r.results.filter((x) => x.entries === n)
        return {
          title: `${fmtInt(n)} entries`,
          labels: rows.map((x) => (x.kind === 'js-map' ? 'JavaScript Map (baseline)' : `revocable ${x.kind} entry`)),
          highlight: rows.map((x) => x.kind !== 'js-map'),
          series: [{ values: rows.map((x) => x.rssPerEntry), text: rows.map((x) => `${x.rssPerEntry} B`) }],
        }
      }),
    })
  },
  load(r) {
    const rows = Object.entries(r.results)
    return render({
      title: `revocable.open() loading ${fmtInt(r.config.records)} records, seconds (shorter is better)`,
      subtitle: machineLine(r),
      headings: ['seconds'],
      sections: [{ title: 'store', labels: rows.map(([n]) => n), highlight: rows.map(() => true),
        series: [{ values: rows.map(([, x]) => x.loadSeconds), text: rows.map(([, x]) => `${x.loadSeconds.toFixed(2)} s`) }] }],
    })
  },
}

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(CHARTS)
for (const name of names) {
  const result = readResult(name)
  if (!result) { console.log(`benchmark/results/${name}.json not found: no chart`); continue }
  writeFileSync(new URL(`${name}.svg`, resultsDir()), CHARTS[name](result))
  console.log(`Wrote ${name}.svg`)
}
