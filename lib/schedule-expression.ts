// EventBridge Scheduler's expression dialect, checked field by field at synth time: Scheduler would
// refuse a bad one only at deploy time, after minutes of CloudFormation work. Hand-written because no
// maintained parser implements this dialect (cron-parser and friends speak Unix/Quartz cron: 5 or 6
// fields with seconds first, no year, 0-based days of the week, `?` optional).
//
// cron(minutes hours day-of-month month day-of-week year):
//   minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT
//   (1 = SUN), year 1970-2199; `*`, `a`, `a-b`, `*/n`, `a/n`, `a-b/n` and lists of them with `,`;
//   day-of-month also `L`, `LW`, `<d>W`; day-of-week also `L`, `<d>L`, `<d>#<1-5>`; `?` in exactly one of
//   day-of-month and day-of-week.
// rate(<n> <unit>): n a positive integer, unit minute/hour/day for 1 and minutes/hours/days above.

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const MINUTES: FieldSpec = { name: 'minutes', min: 0, max: 59 };
const HOURS: FieldSpec = { name: 'hours', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, names: MONTHS };
const DAY_OF_WEEK: FieldSpec = { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS };
const YEAR: FieldSpec = { name: 'year', min: 1970, max: 2199 };

class ExpressionProblem extends Error {}

/** What is wrong with a Scheduler expression, or undefined when Scheduler would accept it. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  try {
    const cron = /^cron\((.*)\)$/.exec(expression);
    if (cron) {
      checkCron(cron[1] ?? '');
      return undefined;
    }
    const rate = /^rate\((.*)\)$/.exec(expression);
    if (rate) {
      checkRate(rate[1] ?? '');
      return undefined;
    }
    return 'must be cron(minutes hours day-of-month month day-of-week year) or rate(<n> <minutes|hours|days>)';
  } catch (error) {
    if (error instanceof ExpressionProblem) return error.message;
    throw error;
  }
}

function checkRate(body: string): void {
  const match = /^([0-9]+) ([a-z]+)$/.exec(body.trim());
  if (!match)
    throw new ExpressionProblem('a rate is "rate(<positive number> <minutes|hours|days>)", e.g. rate(15 minutes)');
  const value = Number(match[1]);
  const unit = match[2] ?? '';
  if (!Number.isSafeInteger(value) || value < 1)
    throw new ExpressionProblem(`rate value ${match[1]} must be a positive integer`);
  const singular = ['minute', 'hour', 'day'];
  const plural = ['minutes', 'hours', 'days'];
  if (!singular.includes(unit) && !plural.includes(unit)) {
    throw new ExpressionProblem(`a rate is "rate(<positive number> <minutes|hours|days>)": unknown unit "${unit}"`);
  }
  if (value === 1 && !singular.includes(unit))
    throw new ExpressionProblem(`rate(1 ${unit}): a value of 1 takes a singular unit (minute, hour or day)`);
  if (value > 1 && !plural.includes(unit))
    throw new ExpressionProblem(`rate(${value} ${unit}): a value above 1 takes a plural unit (minutes, hours or days)`);
}

function checkCron(body: string): void {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new ExpressionProblem(
      `a Scheduler cron has 6 fields (minutes hours day-of-month month day-of-week year), got ${body.trim() === '' ? 0 : fields.length}`,
    );
  }
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = fields;
  checkField(minutes, MINUTES);
  checkField(hours, HOURS);
  checkDayOfMonth(dayOfMonth);
  checkField(month, MONTH);
  checkDayOfWeek(dayOfWeek);
  checkField(year, YEAR);
  const domAny = dayOfMonth === '?';
  const dowAny = dayOfWeek === '?';
  if (domAny === dowAny) {
    throw new ExpressionProblem(
      domAny
        ? 'day-of-month and day-of-week cannot both be "?": one of them must say which days'
        : 'one of day-of-month and day-of-week must be "?" (Scheduler does not combine them), e.g. cron(0 6 * * ? *)',
    );
  }
}

function checkDayOfMonth(field: string): void {
  if (field === '?' || field === 'L' || field === 'LW') return;
  const weekday = /^([0-9]+)W$/.exec(field);
  if (weekday) {
    value(weekday[1] ?? '', DAY_OF_MONTH, field);
    return;
  }
  checkField(field, DAY_OF_MONTH);
}

function checkDayOfWeek(field: string): void {
  if (field === '?' || field === 'L') return;
  const last = /^([0-9A-Z]+)L$/i.exec(field);
  if (last) {
    value(last[1] ?? '', DAY_OF_WEEK, field);
    return;
  }
  const nth = /^([0-9A-Z]+)#([0-9]+)$/i.exec(field);
  if (nth) {
    value(nth[1] ?? '', DAY_OF_WEEK, field);
    const n = Number(nth[2]);
    if (!(n >= 1 && n <= 5))
      throw new ExpressionProblem(`day-of-week "${field}": the n-th weekday of a month is 1 to 5, not ${nth[2]}`);
    return;
  }
  checkField(field, DAY_OF_WEEK);
}

/** `*`, `a`, `a-b`, each optionally `/n`, in a comma-separated list. */
function checkField(field: string, spec: FieldSpec): void {
  if (field === '') throw new ExpressionProblem(`${spec.name} is empty`);
  if (field === '?') throw new ExpressionProblem(`${spec.name} "?": only day-of-month or day-of-week may be "?"`);
  for (const item of field.split(',')) {
    const match = /^(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/([0-9]+))?$/.exec(item);
    if (!match)
      throw new ExpressionProblem(
        `${spec.name} "${field}": "${item}" is not a value, a range a-b, * or one of them with /step`,
      );
    const [, base = '', step] = match;
    if (base !== '*') {
      const [from = '', to] = base.split('-');
      const low = value(from, spec, field);
      if (to !== undefined) {
        const high = value(to, spec, field);
        if (high < low) throw new ExpressionProblem(`${spec.name} "${field}": range ${base} runs backwards`);
      }
    }
    if (step !== undefined) {
      const n = Number(step);
      if (!(n >= 1 && n <= spec.max))
        throw new ExpressionProblem(`${spec.name} "${field}": step /${step} must be between 1 and ${spec.max}`);
    }
  }
}

function value(token: string, spec: FieldSpec, field: string): number {
  if (/^[0-9]+$/.test(token)) {
    const n = Number(token);
    if (n < spec.min || n > spec.max)
      throw new ExpressionProblem(`${spec.name} "${field}": ${token} is out of range ${spec.min}-${spec.max}`);
    return n;
  }
  const index = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  if (index >= 0) return index + spec.min;
  const names = spec.names ? ` or ${spec.names[0]}-${spec.names.at(-1)}` : '';
  throw new ExpressionProblem(`${spec.name} "${field}": "${token}" is not ${spec.min}-${spec.max}${names}`);
}
