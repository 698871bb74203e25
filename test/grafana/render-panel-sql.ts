/**
 * What Grafana sends to ClickHouse for a panel: template variables interpolated (frontend), then the
 * ClickHouse plugin's macros expanded as its backend does (grafana-plugin-sdk-go `sqlutil.Interpolate`
 * with the plugin's macro table): longest macro name first, `\$__name\b` with an optional bracketed
 * argument list (nested brackets kept), every occurrence of the matched text replaced.
 * Only the macros the provisioning uses are implemented; any other `$__` macro is an error.
 */

/** The query's time range in epoch ms, Grafana's interval for the panel, and variable values. */
export interface QueryContext {
  from: number;
  to: number;
  intervalMs: number;
  variables: Readonly<Record<string, string>>;
}

type Macro = (context: QueryContext, args: string[]) => string;

const dateTime = (ms: number): string => `toDateTime(${Math.floor(ms / 1000)})`;

function oneArgument(name: string, args: string[]): string {
  if (args.length !== 1 || args[0] === '') throw new Error(`$__${name} expects 1 argument, got ${args.length}`);
  return args[0] as string;
}

const MACROS: Record<string, Macro> = {
  fromTime: (c) => dateTime(c.from),
  toTime: (c) => dateTime(c.to),
  timeFilter: (c, args) => {
    const column = oneArgument('timeFilter', args);
    return `${column} >= ${dateTime(c.from)} AND ${column} <= ${dateTime(c.to)}`;
  },
  interval_s: (c) => String(Math.trunc(Math.max(c.intervalMs / 1000, 1))),
};

/** `(a, f(b, c))` at the start of `text` → trimmed arguments and the length of the bracketed list. */
function parseArgs(text: string): { args: string[]; length: number } {
  if (!text.startsWith('(')) return { args: [], length: 0 };
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (ch === '(' && ++depth === 1) continue;
    if (ch === ')' && --depth === 0) return { args: [...args, current.trim()], length: i + 1 };
    if (ch === ',' && depth === 1) {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  throw new Error('failed to parse macro arguments (missing close bracket?)');
}

function expandMacros(sql: string, context: QueryContext): string {
  let text = sql;
  for (const name of Object.keys(MACROS).sort((a, b) => b.length - a.length)) {
    const pattern = new RegExp(`\\$__${name}\\b`, 'g');
    // Matches are taken from the text before any of them is replaced, as the SDK does.
    const matches = [...text.matchAll(pattern)].map((match) => {
      const end = (match.index ?? 0) + match[0].length;
      const { args, length } = parseArgs(text.slice(end));
      return { full: text.slice(match.index, end + length), args };
    });
    for (const { full, args } of matches) text = text.split(full).join((MACROS[name] as Macro)(context, args));
  }
  const unknown = /\$__\w+/.exec(text);
  if (unknown !== null) throw new Error(`macro ${unknown[0]} is not implemented by the test renderer`);
  return text;
}

/** Grafana's `${name}`, `$name` and `${name:sqlstring}` forms, for the variables given. */
function interpolateVariables(sql: string, variables: QueryContext['variables']): string {
  return sql.replace(/\$\{(\w+)(?::(\w+))?\}|\$([a-zA-Z]\w*)/g, (whole, braced: string | undefined, format: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const value = variables[name];
    if (value === undefined) {
      if (bare !== undefined) return whole;
      throw new Error(`variable ${name} has no value`);
    }
    if (format === undefined) return value;
    if (format === 'sqlstring') return `'${value.replaceAll("'", "''")}'`;
    throw new Error(`variable format ${format} is not implemented by the test renderer`);
  });
}

/** The SQL ClickHouse receives for a panel's query in `context`. */
export function renderPanelSql(sql: string, context: QueryContext): string {
  return expandMacros(interpolateVariables(sql, context.variables), context);
}
