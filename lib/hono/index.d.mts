import cjs from './index.js'
export * from './index.js'
export default cjs
