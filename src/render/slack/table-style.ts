/** WHY502_SLACK_TABLE: how the verdict table is drawn in Slack (see verdict-message.ts for the trade-off). */
import { UsageError } from '../../errors.js';
import { TABLE_STYLES, type TableStyle } from './verdict-message.js';

export function parseTableStyle(raw: string | undefined): TableStyle {
  const style = raw?.trim().toLowerCase();
  if (!style) return 'native';
  if ((TABLE_STYLES as readonly string[]).includes(style)) return style as TableStyle;
  throw new UsageError(
    `WHY502_SLACK_TABLE=${JSON.stringify(raw)} is not a table style.`,
    `Use one of: ${TABLE_STYLES.join(', ')}.`,
  );
}
