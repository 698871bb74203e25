/**
 * ClickHouse error classification. The client's `ClickHouseError` parser expects the `(TYPE_NAME)`
 * marker of newer servers; 18.16 answers `Code: 25, e.displayText() = DB::Exception: …` without it,
 * so the code is read from the message here, which works for both formats.
 */

const CODE_PATTERN = /\bCode: (\d+)[.,]/;

/** The numeric ClickHouse error code carried by an error (or its causes), if any. */
export function clickHouseErrorCode(error: unknown): number | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const match = CODE_PATTERN.exec(e.message);
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}

// Codes meaning "this data can never be inserted as it is": parsing and type errors. Retrying the
// same rows cannot succeed, so the batch writer isolates and rejects them instead of retrying.
const ROW_DATA_ERROR_CODES = new Set([
  6, // CANNOT_PARSE_TEXT
  25, // CANNOT_PARSE_ESCAPE_SEQUENCE (e.g. a lone surrogate as \ud800)
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  32, // ATTEMPT_TO_READ_AFTER_EOF
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA (e.g. unknown field in JSONEachRow)
  131, // TOO_LARGE_STRING_SIZE
  349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
  691, // UNKNOWN_ELEMENT_OF_ENUM (newer servers)
]);

/** True when ClickHouse rejected the rows themselves (bad value), not the request (outage, overload). */
export function isRowDataError(error: unknown): boolean {
  const code = clickHouseErrorCode(error);
  if (code === undefined) return false;
  if (ROW_DATA_ERROR_CODES.has(code)) return true;
  // 18.16 reports an unknown Enum value as LOGICAL_ERROR (49); other 49s are server faults.
  return code === 49 && error instanceof Error && /Unknown element .* for type Enum/.test(error.message);
}
