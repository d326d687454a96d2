// The targets issues 6 and 16 set, as same-run ratios. Each names the two rows of a
// results table it divides; checkTargets reports null for rows not measured.
const GUARD = 'revocable Guard (10M revoked)'
const FAST = 'fast-jwt (no cache)'

export const TARGETS = {
  verify: [
    { label: 'HS256 cold, Guard (10M) / fast-jwt (no cache)', alg: 'HS256', mode: 'cold', ours: GUARD, peer: FAST, min: 2.5 },
    { label: 'HS256 cold, Guard (10M) / jsonwebtoken (KeyObject)', alg: 'HS256', mode: 'cold', ours: GUARD, peer: 'jsonwebtoken (KeyObject)', min: 3 },
    { label: 'HS256 cold, Guard (10M) / jsonwebtoken (string)', alg: 'HS256', mode: 'cold', ours: GUARD, peer: 'jsonwebtoken (string/PEM)', min: 40 },
    ...['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA'].map((alg) => (
      { label: `${alg} repeated, Guard (10M) / fast-jwt (cache hit)`, alg, mode: 'repeated', ours: GUARD, peer: 'fast-jwt (cache)', min: 3 })),
    { label: 'RS256 cold, Guard (10M) / fast-jwt (no cache)', alg: 'RS256', mode: 'cold', ours: GUARD, peer: FAST, min: 1.2 },
    { label: 'ES256 cold, Guard (10M) / fast-jwt (no cache)', alg: 'ES256', mode: 'cold', ours: GUARD, peer: FAST, min: 1.2 },
    { label: 'EdDSA cold, Guard (10M) / fast-jwt (no cache)', alg: 'EdDSA', mode: 'cold', ours: GUARD, peer: FAST, min: 2 },
  ],
  // Issue 16: revocable's bare sign (KeyObject, the fast form for every library) against fast-jwt's signer.
  sign: [['HS256', 3], ['ES256', 1.2], ['EdDSA', 2], ['RS256', 1.2]].map(([alg, min]) => (
    { label: `${alg} sign / fast-jwt`, alg, mode: 'sign', ours: 'revocable sign', peer: 'fast-jwt', min })),
}

/** results[alg][row][mode].opsPerSec → [{ ...target, ratio }] */
export function checkTargets(results, targets) {
  return targets.map((t) => {
    const a = results[t.alg]?.[t.ours]?.[t.mode]?.opsPerSec
    const b = results[t.alg]?.[t.peer]?.[t.mode]?.opsPerSec
    const ratio = a && b ? a / b : null
    return { ...t, ratio, met: ratio === null ? null : ratio >= t.min }
  })
}
