import { describe, expect, it } from 'vitest';
import { detectNestedShell } from './detect-nested-shell.ts';

describe('detectNestedShell', () => {
  it('finds the commands that open an interactive shell elsewhere', () => {
    expect(
      [
        'kubectl --namespace go-demo-8 \\\n    exec -it go-demo-8-db-0 -- sh', 'kubectl exec --stdin --tty db-0 -- /bin/bash', 'kubectl run tmp -it --rm --image busybox --restart Never -- sh',
        'minikube ssh', 'vagrant ssh web', 'docker run -it --rm alpine:3.20 sh', 'docker run -it --rm -e A=b ubuntu', 'docker exec -it db bash', 'podman run -ti fedora',
        'ssh user@host', 'ssh -i key.pem ec2-user@1.2.3.4', 'gcloud compute ssh vm-1', 'multipass shell primary', 'kubectl exec -it db -- mongosh',
      ].map(detectNestedShell),
    ).toEqual([
      'kubectl exec -it', 'kubectl exec -it', 'kubectl run -it', 'minikube ssh', 'vagrant ssh', 'docker run -it', 'docker run -it', 'docker exec -it', 'podman run -it',
      'ssh', 'ssh', 'gcloud compute ssh', 'multipass shell', 'kubectl exec -it',
    ]);
  });

  it('leaves commands that run one thing there and come back', () => {
    for (const command of [
      'kubectl exec -it pod -- ls', 'kubectl exec pod -- sh', 'kubectl exec -it pod -- sh -c "ls"', 'minikube ssh -- docker ps', 'minikube ssh "docker ps"', 'docker run -d nginx',
      'docker run -it --rm busybox ping x', 'docker run -it --rm -p 8080:80 nginx', 'ssh host uptime', 'gcloud compute ssh vm-1 --command uptime', 'kubectl get pods', 'echo "docker run -it alpine sh"', 'docker run -it alpine sh | tee x',
    ]) {
      expect(detectNestedShell(command), command).toBeNull();
    }
  });
});
