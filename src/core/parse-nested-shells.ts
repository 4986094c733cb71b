import { detectNestedShell } from './detect-nested-shell.ts';
import type { Step } from './model.ts';
import { report, type ParseContext } from './parse-context.ts';

const EXIT = /^(?:exit|logout)(?:\s+\d+)?\s*$/;

/** How to run a command there without typing into the shell, by how the shell is opened. */
function instead(via: string): string {
  if (via.startsWith('kubectl') || via.startsWith('oc') || via.startsWith('k ')) return "`kubectl exec POD -- sh -c '…'`";
  if (via.includes('docker') || via.includes('podman') || via.includes('nerdctl')) return via.includes('exec') ? "`docker exec CONTAINER sh -c '…'`" : "`docker run --rm IMAGE sh -c '…'`";
  if (via === 'minikube ssh' || via === 'vagrant ssh') return `\`${via} -- '…'\``;
  if (via === 'gcloud compute ssh') return "`gcloud compute ssh VM --command '…'`";
  if (via === 'multipass shell') return "`multipass exec VM -- …`";
  return "`ssh HOST '…'`";
}

/**
 * The nested shells phase: a command that opens an interactive shell elsewhere (`kubectl exec -it … -- sh`,
 * `minikube ssh`, `docker run -it … sh`) and the commands meant inside it: up to its `exit` when one follows in
 * the same section, else the rest of its block. Each gets `nestedShell`; the opener gets a `nested-shell`
 * diagnostic (a headless run cannot type into it: `bookrun run` fails there instead of waiting).
 */
export function parseNestedShells(ctx: ParseContext, steps: Step[]): void {
  for (let i = 0; i < steps.length; i++) {
    const opener = steps[i]!;
    const via = detectNestedShell(opener.command);
    if (!via) continue;
    opener.nestedShell = { role: 'opens', via, opener: opener.id };
    let end = i;
    for (let j = i + 1; j < steps.length && steps[j]!.section === opener.section && !detectNestedShell(steps[j]!.command); j++) {
      if (EXIT.test(steps[j]!.command.trim())) {
        end = j;
        break;
      }
    }
    if (end === i) while (end + 1 < steps.length && steps[end + 1]!.block === opener.block && !detectNestedShell(steps[end + 1]!.command)) end++;
    const inside = steps.slice(i + 1, end + 1);
    for (const step of inside) step.nestedShell = { role: 'inside', via, opener: opener.id };
    const lines = inside.map((s) => s.line);
    const meant = lines.length === 0 ? 'the commands meant inside it are not in the chapter' : `the ${lines.length === 1 ? 'command at line' : 'commands at lines'} ${lines.join(', ')} ${lines.length === 1 ? 'is' : 'are'} meant inside it`;
    report(
      ctx,
      opener.line,
      1,
      'nested-shell',
      opener.annotations.skip ? 'info' : 'warning',
      `the command at line ${opener.line} opens a nested shell (${via}) and ${meant}: bookrun run cannot type into it, so it stops there; run them through the opener instead (${instead(via)}), or mark the opener \`# bookrun: skip="…"\``,
    );
    i = end;
  }
}
