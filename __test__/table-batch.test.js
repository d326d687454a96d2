'use strict'

// A store's load applies its records to the native table in one crossing
// (lib/table.js applyAll -> src/core/table/batch.rs). Whatever the records,
// hostile ones included, the table must end as it would with one apply() per
// record, and the same records must be reported as skipped, with the same
// messages.
const crypto = require('node:crypto')
const { NativeGuard } = require('../binding')
const { apply, applyAll } = require('../lib/table')

let tables = 0
const guard = () => new NativeGuard({ algorithms: ['HS256'], key: crypto.randomBytes(32) }, { tableId: `batch-${process.pid}-${++tables}`, maxTokenLifetime: 3600 })

/** Applies `records` both ways; returns the two tables and what each did and reported. */
function bothWays(records) {
  const batched = { native: guard(), reports: [] }
  batched.changed = applyAll(batched.native, records, (e) => batched.reports.push([e.code, e.message]))
  const single = { native: guard(), reports: [], changed: 0 }
  for (const r of records) {
    try {
      if (apply(single.native, r)) single.changed++
    } catch (err) {
      single.reports.push(['ERR_STORE', `skipped a stored record: ${err.message}`])
    }
  }
  return [batched, single]
}

/** What a table holds for `probe`s, asked the same way of both tables. */
function contents(native, probes) {
  return {
    stats: native.stats(),
    cutoffs: probes.users.map((sub) => native.cutoffFor(sub, [])),
    sessions: probes.sessions.map((pair) => native.cutoffFor(null, [pair])),
    // A token entry that exists with a later exp does not move for exp 1 ms; a missing one is created.
    tokens: probes.tokens.map(([iss, jti]) => native.revokeToken(iss, jti, 1)),
    allowed: probes.allowed.map(([iss, jti]) => native.allowToken(iss, jti, 1)),
  }
}

function expectSame(records, probes) {
  const [batched, single] = bothWays(records)
  expect(batched.reports).toEqual(single.reports)
  expect(batched.changed).toBe(single.changed)
  expect(contents(batched.native, probes)).toEqual(contents(single.native, probes))
  return batched
}

test('hostile and odd records: the same table, the same records skipped with the same messages', () => {
  const exp = Date.now() + 3_600_000
  const records = [
    { kind: 'global', key: '', at: 1, expiresAt: null },
    { kind: 'user', key: 'alice', at: 1_000_000.4 },
    { kind: 'user', key: 'alice', at: 900_000 }, // earlier: no change
    { kind: 'user', key: 'bób 😀', at: 2_000_000 },
    { kind: 'user', key: '', at: 3_000_000 },
    { kind: 'user', key: 'nul\u0000inside', at: 3_000_000 },
    { kind: 'user', key: 'lone\ud800', at: 3_000_000 },
    { kind: 'user', key: 'x'.repeat(100_000), at: 3_000_000 },
    { kind: 'user', key: 'nan', at: NaN },
    { kind: 'user', key: 'forever', at: Infinity },
    { kind: 'user', key: 'string-at', at: '4000000' },
    { kind: 'user', key: 42, at: 4_000_000 },
    { kind: 'session', key: '["sid","s-1"]', at: 5_000_000 },
    { kind: 'session', key: ' [ "sid" ,\t"s-2"\n] ', at: 5_000_000 },
    { kind: 'session', key: '["sid","a\\"b\\u00e9\\/\\ud83d\\ude00"]', at: 5_000_000 },
    { kind: 'session', key: '["sid","\\ud800"]', at: 5_000_000 }, // JSON.parse reads a lone surrogate
    { kind: 'session', key: '["sid","s-3","extra"]', at: 5_000_000 },
    { kind: 'session', key: '{"sid":"s-4"}', at: 5_000_000 },
    { kind: 'token', key: '["https://issuer","jti-1"]', at: exp },
    { kind: 'token', key: '["https://issuer","jti-1"]', at: exp - 5000 }, // shorter: no change
    { kind: 'token', key: '["","jti-\\n2"]', at: exp },
    { kind: 'token', key: '["only-one"]', at: exp },
    { kind: 'token', key: '["a",1]', at: exp },
    { kind: 'token', key: 'not json', at: exp },
    { kind: 'allow', key: '["https://issuer","live-1"]', at: exp },
    { kind: 'group', key: '3/8', at: 6_000_000 },
    { kind: 'group', key: 'bad', at: 6_000_000 },
    { kind: 'nope', key: 'x', at: 1 },
    null,
    'a string',
    { kind: 'user', at: 1 },
  ]
  const probes = {
    users: ['alice', 'bób 😀', '', 'nul\u0000inside', 'lone\ufffd', 'x'.repeat(100_000), 'nan', 'forever', 'string-at', 'nobody'],
    sessions: [['sid', 's-1'], ['sid', 's-2'], ['sid', 'a"bé/😀'], ['sid', '\ufffd'], ['sid', 's-3'], ['sid', 's-4']],
    tokens: [['https://issuer', 'jti-1'], ['', 'jti-\n2'], ['only-one', 'undefined'], ['a', '1'], ['https://issuer', 'nobody']],
    allowed: [['https://issuer', 'live-1'], ['https://issuer', 'jti-1']],
  }
  const batched = expectSame(records, probes)
  // Not vacuous: the skipped records were reported, and the table moved.
  expect(batched.reports.length).toBeGreaterThanOrEqual(8)
  expect(batched.changed).toBeGreaterThan(10)
  expect(batched.native.cutoffFor('alice', [])).toBe(1_000_001)
})

test('a large batch of random keys (JSON.stringify of any characters) loads as one by one', () => {
  const chars = ['a', 'é', '😀', '"', '\\', '/', '\n', '\u0001', '\u2028', ' ', '\ud800', '\udfff', '\u0000']
  const word = () => Array.from({ length: 1 + crypto.randomInt(12) }, () => chars[crypto.randomInt(chars.length)]).join('')
  const exp = Date.now() + 3_600_000
  const records = []
  const probes = { users: [], sessions: [], tokens: [], allowed: [] }
  for (let i = 0; i < 20_000; i++) {
    const [a, b] = [word(), word() + i]
    switch (i % 4) {
      case 0: records.push({ kind: 'user', key: b, at: 1_000 + i }); probes.users.push(b); break
      case 1: records.push({ kind: 'session', key: JSON.stringify([a, b]), at: 1_000 + i }); probes.sessions.push([a, b]); break
      case 2: records.push({ kind: 'token', key: JSON.stringify([a, b]), at: exp + i }); probes.tokens.push([a, b]); break
      default: records.push({ kind: 'allow', key: JSON.stringify([a, b]), at: exp + i }); probes.allowed.push([a, b])
    }
  }
  const batched = expectSame(records, probes)
  expect(batched.changed).toBeGreaterThan(15_000)
})

test('a batch with nothing in it changes nothing', () => {
  const native = guard()
  expect(applyAll(native, [], () => { throw new Error('nothing to report') })).toBe(0)
  expect(native.stats()).toMatchObject({ users: 0, tokens: 0, sessions: 0, allowed: 0 })
})

test('the native call refuses kinds and times of different lengths, with a code', () => {
  const native = guard()
  expect(() => native.applyRecords(new Uint8Array(2), 'a\0b\0', new Float64Array(1), 0))
    .toThrow(expect.objectContaining({ code: 'ERR_JWT_INVALID_OPTION' }))
})

// Known difference (review, needs a change in src/core/table/batch.rs): the
// native batch applies every record it reads before JS applies the ones it
// left, so a left record that moves the same entry as a later batched one is
// applied out of order. The table ends the same (every change only moves an
// entry forward), but the count of records that changed it, which sync
// reports as `changed` in its 'synced' event, differs. Remove `.failing`
// once the batch stops at the first record it leaves.
test('a record left to apply() counts as it would in order, when a later batched record moves the same entry', () => {
  const exp = Date.now() + 3_600_000
  const cases = [
    // apply() ignores a global record's key, so any key works one by one; the batch leaves a non-string one.
    [{ kind: 'global', key: null, at: 2_000_000 }, { kind: 'global', key: '', at: 1_000_000 }],
    // JSON.parse reads a lone surrogate, which crosses to the table as U+FFFD, as a raw one does.
    [{ kind: 'token', key: '["i","\\ud800"]', at: exp }, { kind: 'token', key: '["i","\ufffd"]', at: exp - 5000 }],
    [{ kind: 'session', key: '["sid","\\udc00"]', at: 2_000_000 }, { kind: 'session', key: '["sid","\ud800"]', at: 1_000_000 }],
    // apply() takes the first two of three strings.
    [{ kind: 'session', key: '["sid","s","x"]', at: 2_000_000 }, { kind: 'session', key: '["sid","s"]', at: 1_000_000 }],
  ]
  for (const records of cases) {
    expectSame(records, { users: [], sessions: [['sid', '\ufffd'], ['sid', 's']], tokens: [['i', '\ufffd']], allowed: [] })
  }
})
