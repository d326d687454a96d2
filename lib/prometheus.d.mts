import cjs from './prometheus.js'
export * from './prometheus.js'
export default cjs
