import { checkRunValues, MAX_TERMINALS_PER_SESSION, type RunMessage } from '../core/terminal-protocol.ts';
import type { MessageContext } from './handle-client-message.ts';
import { runTerminalStep } from './run-terminal-step.ts';

/**
 * A page's `run`. First the values: one holding a control character (`checkValue`: it would act as a key,
 * ending the paste, erasing the line or submitting it) refuses the whole request, naming the placeholder, before
 * the chapter is even read, so nothing is typed whatever the planner does. Then the step runs in the page's
 * terminal ({@link runTerminalStep}); its result goes to whichever page holds the session by then (a reload
 * during a long step).
 */
export async function handleRunRequest(context: MessageContext, message: RunMessage): Promise<void> {
  const { registry, session, connection } = context;
  const refuse = (text: string, step?: string) => connection.send({ type: 'run-status', id: message.id, ...(step ? { step } : {}), status: 'error', message: text });
  const refused = checkRunValues(message.values);
  if (refused) {
    connection.send({
      type: 'run-status',
      id: message.id,
      step: message.step,
      status: 'error',
      placeholder: refused.name,
      message: `${message.chapter}: step ${message.step} was not run: the value of ${refused.name} ${refused.problem.message}`,
    });
    return;
  }
  try {
    await runTerminalStep({
      book: context.book,
      request: message,
      terminal: (n) => {
        if (n > MAX_TERMINALS_PER_SESSION) return `step needs terminal ${n}; at most ${MAX_TERMINALS_PER_SESSION}`;
        if (session.connection !== connection) return 'the page that asked for this run is gone';
        return registry.open(session, n, {}, false);
      },
      report: (status) => session.connection?.send(status),
      refuse,
      // The book's CI secrets, when this server's environment holds them: `***` in what the page is told.
      secrets: Object.keys(context.book?.config.ci.secrets ?? {}).flatMap((name) => process.env[name] || []),
    });
  } catch (error) {
    refuse(`bookrun could not run ${message.step}: ${(error as Error).message}`, message.step);
  }
}
