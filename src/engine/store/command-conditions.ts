import { sqlList } from '../../entities/statuses.js';
import { COMMAND_RULES, type ExecutionCommand } from '../commands.js';

/** The condition of the command's UPDATE on `executions` (its state part; `needs` is checked on the steps read). */
export function commandCondition(command: ExecutionCommand): string {
  const rule = COMMAND_RULES[command];
  let condition = `status in ${sqlList(rule.statuses)}`;
  if (rule.notWhilePauseRequested) condition = `${condition} and not pause_requested`;
  if (rule.orPauseRequestedWhile) condition = `${condition} or (pause_requested and status in ${sqlList(rule.orPauseRequestedWhile)})`;
  return `(${condition})`;
}
