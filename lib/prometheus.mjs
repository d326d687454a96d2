// ESM entry of `revocable/prometheus` (see ../index.mjs for the pattern).
import cjs from './prometheus.js'

export default cjs
export const { register } = cjs
