// Types of the ESM entry (index.mjs): the same as index.d.ts, plus the default export.
import cjs from './index.js'
export * from './index.js'
export default cjs
