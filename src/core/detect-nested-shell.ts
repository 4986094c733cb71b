/** Programs that are shells: `kubectl exec -it pod -- sh` opens one. */
const SHELLS = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|zsh|dash|ksh|fish|busybox\s+sh|mongosh|mongo|psql|mysql|redis-cli|python3?|node|irb)$/;

/** Images whose default command is a shell (or a REPL): `docker run -it alpine` opens one. */
const SHELL_IMAGES = /^(?:alpine|ubuntu|debian|busybox|centos|fedora|amazonlinux|rockylinux|almalinux|archlinux|opensuse\/\w+|bash|python|node|ruby|golang|netshoot)$/;

/** Joins `\` continuations and masks quoted strings, so words can be read one by one. */
function words(command: string): string[] {
  return command
    .replace(/\\\r?\n/g, ' ')
    .split(/\n/)[0]!
    .replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, 'Q')
    .split(/\s+/)
    .filter(Boolean);
}

function interactive(args: string[]): boolean {
  let i = false;
  let t = false;
  for (const a of args) {
    if (a === '--') break;
    if (/^-[a-zA-Z]*i[a-zA-Z]*$/.test(a) && !a.startsWith('--')) i = true;
    if (/^-[a-zA-Z]*t[a-zA-Z]*$/.test(a) && !a.startsWith('--')) t = true;
    if (a === '--interactive' || a === '--stdin' || a === '--interactive=true' || a === '--stdin=true') i = true;
    if (a === '--tty' || a === '--tty=true') t = true;
  }
  return i && t;
}

/** Global options that take a value (`kubectl --namespace x exec …`, `docker --context x run …`). */
const VALUED = /^(?:-n|--namespace|--context|--kubeconfig|--cluster|--user|-s|--server|--token|--as|-H|--host|-c|--config|-l|--log-level|-p|--profile)$/;

/** The subcommand after a tool's global options, and the words after it. */
function subcommand(w: string[]): { sub: string; args: string[] } {
  let k = 1;
  while (k < w.length && w[k]!.startsWith('-')) k += !w[k]!.includes('=') && VALUED.test(w[k]!) ? 2 : 1;
  return { sub: w[k] ?? '', args: w.slice(k + 1) };
}

/** The words after the image or pod: what runs inside (empty: its default, which for these is a shell). */
function after(args: string[], from: number): string[] {
  const dash = args.indexOf('--');
  return dash >= 0 ? args.slice(dash + 1) : args.slice(from);
}

/**
 * Whether a command opens an interactive shell somewhere else, where the commands after it are typed:
 * `kubectl exec -it POD -- sh`, `kubectl run -it … -- sh`, `kubectl debug -it`, `docker exec -it C bash`,
 * `docker run -it IMAGE [sh]`, `podman …`, `minikube ssh`, `vagrant ssh`, `multipass shell`, `ssh HOST`,
 * `gcloud compute ssh VM` (each without a command to run there). Returns how it is opened
 * (`kubectl exec -it`), or null.
 */
export function detectNestedShell(command: string): string | null {
  // Most commands name none of these: answer before splitting them into words.
  if (!/\b(?:exec|run|debug|attach|ssh|shell)\b/.test(command)) return null;
  const all = words(command);
  let i = 0;
  while (i < all.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(all[i]!) || all[i] === 'sudo' || all[i] === 'exec')) i++;
  const w = all.slice(i);
  if (w.some((x) => x === '|' || x === '&&' || x === '||' || x === ';' || x === '&')) return null;
  const tool = (w[0] ?? '').split('/').pop()!;
  const { sub, args } = subcommand(w);
  if ((tool === 'kubectl' || tool === 'oc' || tool === 'k') && ['exec', 'run', 'debug', 'attach'].includes(sub) && interactive(args)) {
    const inner = args.includes('--') ? after(args, args.length) : [];
    if (sub === 'exec' && !SHELLS.test(inner.join(' '))) return null;
    if (sub === 'run' && inner.length > 0 && !SHELLS.test(inner.join(' '))) return null;
    return `${tool} ${sub} -it`;
  }
  if ((tool === 'docker' || tool === 'podman' || tool === 'nerdctl') && (sub === 'exec' || sub === 'run') && interactive(args)) {
    // The first word that is not an option (or an option's value) is the container or image; what follows runs.
    const rest: string[] = [];
    let target = -1;
    for (let k = 0; k < args.length; k++) {
      const a = args[k]!;
      if (a.startsWith('-')) {
        if (/^--?(?:e|env|v|volume|p|publish|name|w|workdir|u|user|network|entrypoint|platform|mount|label|l)$/.test(a)) k++;
        continue;
      }
      target = k;
      break;
    }
    if (target < 0) return null;
    rest.push(...args.slice(target + 1));
    if (rest.length > 0 && !SHELLS.test(rest.join(' '))) return null;
    if (sub === 'exec' && rest.length === 0) return null;
    // Without a command, the image's own runs: a shell for base images, a server (nginx) for most others.
    const image = args[target]!.replace(/[:@].*$/, '').split('/').slice(-1)[0]!;
    if (sub === 'run' && rest.length === 0 && !SHELL_IMAGES.test(image)) return null;
    return `${tool} ${sub} -it`;
  }
  if ((tool === 'minikube' || tool === 'vagrant') && sub === 'ssh') {
    // `minikube ssh [-n NODE]` (vagrant: `[MACHINE]`) opens a shell; with a command (`minikube ssh "docker ps"`) it runs it.
    const plain = args.filter((a, k) => !a.startsWith('-') && !/^(?:-n|--node)$/.test(args[k - 1] ?? ''));
    return plain.length <= (tool === 'vagrant' ? 1 : 0) && !args.includes('--') && !args.includes('-c') ? `${tool} ssh` : null;
  }
  if (tool === 'multipass' && sub === 'shell') return 'multipass shell';
  if (tool === 'gcloud' && sub === 'compute' && args[0] === 'ssh') return w.some((x) => x.startsWith('--command')) ? null : 'gcloud compute ssh';
  if (tool === 'ssh') {
    // `ssh [options] host` with no remote command.
    const plain = w.slice(1).filter((x, k, list) => !x.startsWith('-') && !/^-[bcDEeFIiJLlmOopQRSWw]$/.test(list[k - 1] ?? ''));
    return plain.length === 1 ? 'ssh' : null;
  }
  return null;
}
