/**
 * The text panel SQL uses for what Grafana fills in at query time: the ClickHouse plugin's time
 * macros and the dashboard's tenant variable. `$__timeInterval` is not offered: it expands to
 * `toStartOfInterval`, which ClickHouse 18.16 lacks; {@link timeBucket} does the same with `intDiv`.
 */

/** Start of the query's time range as `toDateTime(<epoch s>)`. */
export const FROM_TIME = '$__fromTime';

/** End of the query's time range as `toDateTime(<epoch s>)`. */
export const TO_TIME = '$__toTime';

/** The selected tenant as a quoted SQL string (Grafana's `sqlstring` format doubles quotes). */
export const TENANT = '${tenant:sqlstring}';

/** `column >= <from> AND column <= <to>`, both bounds inclusive as the plugin writes them. */
export function timeFilter(column: string): string {
  return `$__timeFilter(${column})`;
}

/** `column` floored to the panel's interval (at least one second), as a DateTime. */
export function timeBucket(column: string): string {
  return `toDateTime(intDiv(toUInt32(${column}), $__interval_s) * $__interval_s)`;
}
