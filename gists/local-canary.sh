# Canary Releases On Your Laptop
#
# The commands of the chapter "Canary Releases On Your Laptop" (docs/local-canary.md).
# Source: https://gist.github.com/bookrun-example/4a1c0c1e5f5d4f6e8a9b0c1d2e3f4a5b
#
# Create a cluster first with the setup Gist of your variant:
# - gke-static: gke-jx-gloo.sh (https://gist.github.com/bookrun-example/1f6b3e1c2d7a4b8c9e0f1a2b3c4d5e6f)
# - gke-serverless: gke-jx-serverless-gloo.sh (https://gist.github.com/bookrun-example/2a7c4f2d3e8b5c9d0f1a2b3c4d5e6f70)
# - eks-static: eks-jx-gloo.sh (not published yet)
# - eks-serverless: eks-jx-serverless-gloo.sh (not published yet)
# - aks-static: aks-jx-gloo.sh (not published yet)
# - aks-serverless: aks-jx-serverless-gloo.sh (not published yet)
# - existing-static: install-gloo.sh (not published yet)
# - existing-serverless: install-serverless-gloo.sh (not published yet)

##########################
# Creating A Work Folder #
##########################

PORT=[...]

WORK_DIR=$(mktemp -d)

cd $WORK_DIR

node --version

###########################
# Writing The Application #
###########################

cat > app.js <<'EOF'
const http = require('node:http');
const [version, port] = process.argv.slice(2);
const started = new Date().toISOString();
const idle = Number(process.env.IDLE_TIMEOUT_MS || 0);
let timer;
const keepAlive = () => {
  if (!idle) return;
  clearTimeout(timer);
  timer = setTimeout(() => process.exit(0), idle);
};
http.createServer((req, res) => {
  keepAlive();
  if (req.url === '/version') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ version, started, node: process.version }) + '\n');
    return;
  }
  res.end(`hello from ${version}\n`);
}).listen(port, '127.0.0.1', () => {
  console.log(`${version} listening on ${port}`);
  keepAlive();
});
EOF

cat > router.js <<'EOF'
const http = require('node:http');
const fs = require('node:fs');
const port = Number(process.argv[2]);
const releases = [
  { name: 'v1', port: port + 1, weight: 0, role: 'primary', since: Date.now() },
  { name: 'v2', port: port + 2, weight: 0, role: 'canary', since: Date.now() },
];
let count = 0;
const desired = () => {
  try { return JSON.parse(fs.readFileSync('weights.json', 'utf8')); } catch { return {}; }
};
setInterval(() => {
  const want = desired();
  for (const r of releases) {
    const target = want[r.name] ?? 0;
    r.weight += Math.max(-10, Math.min(10, target - r.weight));
  }
}, 200).unref();
const age = (ms) => {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
};
const ready = (r) => new Promise((resolve) => {
  http.get({ host: '127.0.0.1', port: r.port, path: '/version', timeout: 500 }, (res) => {
    res.resume();
    resolve(res.statusCode === 200);
  }).on('error', () => resolve(false));
});
const pick = () => {
  count += 1;
  // Spread each release's share over every hundred requests instead of sending them in one run.
  let slot = (count * 37) % 100;
  for (const r of releases) {
    if (slot < r.weight) return r;
    slot -= r.weight;
  }
  return releases.find((r) => r.weight > 0) ?? releases[0];
};
http.createServer(async (req, res) => {
  if (req.url === '/status') {
    const rows = [['NAME', 'READY', 'WEIGHT', 'ROLE', 'AGE']];
    for (const r of releases) {
      rows.push([`web-${r.name}`, (await ready(r)) ? '1/1' : '0/1', String(r.weight), r.role, age(Date.now() - r.since)]);
    }
    res.end(rows.map((row) => row.map((cell) => cell.padEnd(8)).join(' ').trimEnd()).join('\n') + '\n');
    return;
  }
  const r = pick();
  const upstream = http.get({ host: '127.0.0.1', port: r.port, path: req.url }, (up) => {
    fs.appendFileSync('router.log', `${new Date().toISOString()} ${r.name} ${up.statusCode}\n`);
    res.writeHead(up.statusCode, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => {
    fs.appendFileSync('router.log', `${new Date().toISOString()} ${r.name} 503\n`);
    res.statusCode = 503;
    res.end('no healthy upstream\n');
  });
}).listen(port, '127.0.0.1', () => console.log(`router listening on ${port}`));
EOF

#############################
# Running The First Release #
#############################

# If static
node app.js v1 $((PORT + 1)) >v1.log 2>&1 &

# If serverless
IDLE_TIMEOUT_MS=300000 \
    node app.js v1 $((PORT + 1)) >v1.log 2>&1 &

echo '{"v1": 100, "v2": 0}' >weights.json

node router.js $PORT >router.out 2>&1 &

curl -sS "http://localhost:$PORT/"

# Repeat if `Failed to connect`

curl -s "http://localhost:$PORT/version"

############################################
# Releasing The Second Version As A Canary #
############################################

# If static
node app.js v2 $((PORT + 2)) >v2.log 2>&1 &

# If serverless
IDLE_TIMEOUT_MS=300000 \
    node app.js v2 $((PORT + 2)) >v2.log 2>&1 &

# Open a second terminal session
# Go to the second terminal session
PORT=[...]

for i in {1..1000}
do
    curl -s "http://localhost:$PORT/"
    sleep 0.1
done

# Go back to the first terminal session
echo '{"v1": 80, "v2": 20}' >weights.json

tail -f router.log

# Wait until the weight of `web-v2` is `20`
curl -s "http://localhost:$PORT/status"

########################
# Promoting The Canary #
########################

VERSION=[...]

echo "{\"$VERSION\": 100}" >weights.json

# Wait until `web-v2` gets all the traffic
curl -s "http://localhost:$PORT/status"

curl -s "http://localhost:$PORT/"

##############################
# Destroying What We Created #
##############################

kill $(jobs -p)

cd ..

rm -rf $WORK_DIR
