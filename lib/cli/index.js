'use strict'

const { parseArgs } = require('node:util')
const { OPTIONS, COMMON, parseArgsOptions } = require('./options')
const { connect, oneLine } = require('./connect')
const { UsageError } = require('./errors')

/** Every command, by its words ('revoke user'); each file holds a few. */
const COMMANDS = {
  ...require('./revoke').commands,
  ...require('./bulk').commands,
  ...require('./query').commands,
  ...require('./transfer').commands,
  ...require('./doctor').commands,
}
const GROUPS = new Set(Object.keys(COMMANDS).filter((n) => n.includes(' ')).map((n) => n.split(' ')[0]))

function overview() {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length + COMMANDS[n].args.length + 1))
  return [
    'usage: revocable <command> [options] --store <url>',
    '',
    ...Object.entries(COMMANDS).map(([n, c]) => `  ${`${n} ${c.args}`.padEnd(width)}  ${c.summary}`),
    '',
    'revocable <command> --help tells more. Exit status: 0 done, 1 failed (or a check failed), 2 bad usage.',
  ].join('\n')
}

function commandHelp(name) {
  const c = COMMANDS[name]
  const names = [...c.options, ...COMMON]
  // An option's help is '<arg>  text', or just 'text' for a flag.
  const split = (n) => {
    const [arg, ...text] = OPTIONS[n].help.split('  ')
    return text.length ? [`--${n} ${arg}`, text.join('  ')] : [`--${n}`, arg]
  }
  const width = Math.max(...names.map((n) => split(n)[0].length))
  const line = (n) => `  ${split(n)[0].padEnd(width)}  ${split(n)[1]}`
  return [`usage: revocable ${name}${c.args ? ` ${c.args}` : ''} [options]`, '', `  ${c.summary}`, '', 'options:', ...names.map(line)].join('\n')
}

/** Which command the words name, and the positionals left for it. */
function resolve(words) {
  if (words.length === 0) return { name: null, rest: [] }
  if (GROUPS.has(words[0])) {
    const name = `${words[0]} ${words[1] ?? ''}`
    if (!COMMANDS[name]) {
      const subs = Object.keys(COMMANDS).filter((n) => n.startsWith(`${words[0]} `)).map((n) => n.split(' ')[1])
      throw new UsageError(`${words[0]} needs one of: ${subs.join(', ')}`)
    }
    return { name, rest: words.slice(2) }
  }
  if (!COMMANDS[words[0]]) throw new UsageError(`unknown command ${JSON.stringify(words[0])}`)
  return { name: words[0], rest: words.slice(1) }
}

function checkUsage(name, values, rest) {
  const c = COMMANDS[name]
  for (const option of Object.keys(values)) {
    if (!COMMON.includes(option) && !c.options.includes(option)) throw new UsageError(`--${option} does not apply to ${name}`)
  }
  const required = (c.args.match(/</g) || []).length
  const max = c.maxArgs ?? required
  if (rest.length < required) throw new UsageError(`${name} needs ${c.args}`)
  if (rest.length > max) throw new UsageError(`${name} takes ${max === 0 ? 'no arguments' : c.args}, not ${JSON.stringify(rest.slice(max).join(' '))} (put a value starting with - after --)`)
}

/**
 * Runs the command line `argv` (without node and the script); resolves to the
 * exit status. `io` holds stdin, stdout, stderr and env.
 */
async function main(argv, io = process) {
  const { stdout, stderr, env } = io
  let name = null
  let conn = null
  try {
    let parsed
    try {
      parsed = parseArgs({ args: argv, options: parseArgsOptions(), allowPositionals: true, strict: true })
    } catch (err) {
      // parseArgs refuses `--before -15m` (the value looks like an option); say how to write it.
      const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(err.message)
      throw new UsageError(ambiguous ? `${ambiguous[1]}: write a value starting with - as ${ambiguous[1]}=-15m` : oneLine(err))
    }
    const { values } = parsed
    const resolved = resolve(parsed.positionals[0] === 'help' ? parsed.positionals.slice(1) : parsed.positionals)
    name = resolved.name
    if (name === null || values.help || parsed.positionals[0] === 'help') {
      stdout.write(`${name === null ? overview() : commandHelp(name)}\n`)
      return name === null && !values.help && parsed.positionals[0] !== 'help' ? 2 : 0
    }
    checkUsage(name, values, resolved.rest)
    const ctx = {
      values, positionals: resolved.rest, now: Date.now(), stdin: io.stdin, stdout, stderr, env,
      arg: (i) => resolved.rest[i],
      open: async () => (conn ??= await connect(values.store ?? env.REVOCABLE_STORE, {
        table: values.table, prefix: values.prefix, create: values.create === true,
      })),
      report: (json, text) => stdout.write(`${values.json ? JSON.stringify(json) : text}\n`),
      warn: (text) => stderr.write(`revocable: ${text}\n`),
    }
    return (await COMMANDS[name].run(ctx)) ?? 0
  } catch (err) {
    const usage = err instanceof UsageError
    const hint = usage ? ` (see revocable ${name ? `${name} ` : ''}--help)`
      : err.code === 'ERR_STORE' ? ': check the store with `revocable doctor` and run the command again' : ''
    const where = !usage && err.code === 'ERR_STORE' && conn ? `${conn.label}: ` : ''
    stderr.write(`revocable: ${where}${oneLine(err)}${hint}\n`)
    return usage ? 2 : 1
  } finally {
    if (conn) await conn.close()
  }
}

module.exports = { main }
