// ESM entry of `revocable/client` (see ../../index.mjs for the pattern).
import cjs from './index.js'

export default cjs
export const { createClient } = cjs
