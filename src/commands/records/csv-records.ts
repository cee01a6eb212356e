import { CsvReader } from '../../csv/csv-reader.js';
import { DATA_RULE, refusedIn } from '../../runtime/visible-text.js';

/**
 * The CSV reader of `records import`: a record holding a control character (a line break
 * inside quotes included) or a byte of invalid UTF-8 (as Utf8Decoder marks it) comes with an
 * error naming its column and field, by the header's names once they are set.
 */
export class CheckedCsvReader extends CsvReader {
  /** The header's names, once read: an error names the field by them. */
  names: string[] = [];

  /**
   * What a record's text (`raw`, from its first character) holds that no field may: its column
   * (the first such character is on the record's first line: a line break is one) and field.
   */
  protected override check(raw: string): string | null {
    const bad = refusedIn(raw);
    if (!bad) return null;
    let field = 0;
    let quoted = false;
    for (let k = 0; k < bad.index; k++) {
      if (raw[k] === '"') quoted = !quoted;
      else if (raw[k] === ',' && !quoted) field++;
    }
    const name = this.names[field];
    return `column ${bad.column}${name === undefined ? '' : ` (${name})`}: ${bad.what}; ${DATA_RULE}`;
  }
}
