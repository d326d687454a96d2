// Fills a process-wide revocation table straight through the native calls:
// revoking 10,000,000 tokens through guard.revokeToken would persist each one.
// A Guard opened on a store whose id is `tableId` shares the filled table.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { NativeGuard } = require('../../binding.js')

export const KINDS = ['token', 'user', 'session', 'allow']

/**
 * Adds `n` entries of `kind` to the table `tableId`; returns the NativeGuard
 * that holds the table (keep it referenced: tables live while a holder does).
 */
export function fillTable(tableId, n, kind = 'token', { iss = 'https://issuer.example', prefix = 'revoked' } = {}) {
  const holder = new NativeGuard({ algorithms: ['HS256'], key: Buffer.from('a-table-filler-secret-of-32-bytes!') },
    { tableId, maxTokenLifetime: '1h', allowList: kind === 'allow' })
  const now = Date.now()
  const exp = now / 1000 + 3600
  if (kind === 'token' || kind === 'allow') holder.reserve(n)
  for (let i = 0; i < n; i++) {
    if (kind === 'token') holder.revokeToken(iss, `${prefix}-${i}`, exp)
    else if (kind === 'allow') holder.allowToken(iss, `${prefix}-${i}`, exp)
    else if (kind === 'user') holder.revokeUser(`${prefix}-${i}`, now)
    else if (kind === 'session') holder.revokeSession('sid', `${prefix}-${i}`, now)
    else throw new Error(`unknown entry kind ${kind}`)
  }
  return holder
}
