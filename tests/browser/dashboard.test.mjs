// The dashboard in Debian's headless Chromium against the real stack (issue #5). run.sh sets the
// environment: the binaries, the source folder and this test's build folder (where playwright-core
// is installed and the screenshots go). The test starts redis-server, the three services and the
// gateway on free loopback ports, drives a heatwave mobilisation with relaisctl and checks that
// the page follows it live, also across a restart of the gateway. Security is on as in README's
// run command: mutual TLS between the services, every caller (the gateway too) with its own
// signed token (deploy/local/dev-security.sh), and the gateway serves HTTPS with a sign-in: the
// test checks that the API says 401 before signing in, signs in through the page with a dashboard
// token, and again after the gateway restarts (sessions live in the gateway's memory). Every
// process it starts is stopped at the end, pass or fail.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, execFile, execFileSync} from 'node:child_process';
import {createRequire} from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const env = process.env;
const BIN = {
  crisis_registry: env.RELAIS_BIN_CRISIS_REGISTRY,
  inventory: env.RELAIS_BIN_INVENTORY,
  mobilisation: env.RELAIS_BIN_MOBILISATION,
  gateway: env.RELAIS_BIN_GATEWAY,
  relaisctl: env.RELAIS_BIN_RELAISCTL,
};
// relais-redis-setup sits in the same build folder as the services.
const REDIS_SETUP = BIN.crisis_registry &&
    path.join(path.dirname(path.dirname(BIN.crisis_registry)), 'redis_setup', 'relais-redis-setup');
const SRC = env.RELAIS_SOURCE_DIR;
const OUT = env.RELAIS_TEST_BUILD_DIR;
const CATALOGUE = path.join(SRC || '.', 'deploy', 'catalogue.textproto');
const {chromium} = createRequire(path.join(OUT || '.', 'package.json'))('playwright-core');

const started = [];  // every process this test started, to stop them all at the end

// A child process whose output is kept (for the failure report) and scanned for lines.
class Proc {
  constructor(name, cmd, args) {
    this.name = name;
    this.lines = [];
    this.waiters = [];
    this.child = spawn(cmd, args, {stdio: ['ignore', 'pipe', 'pipe']});
    this.exited = new Promise((resolve) => this.child.on('exit', (code, sig) => resolve({code, sig})));
    this.child.on('error', (e) => this.push(`spawn error: ${e.message}`));
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let rest = '';
      stream.on('data', (chunk) => {
        rest += chunk.toString();
        const parts = rest.split('\n');
        rest = parts.pop();
        parts.forEach((l) => this.push(l));
      });
    }
    started.push(this);
  }
  push(line) {
    this.lines.push(line);
    if (this.lines.length > 2000) this.lines.shift();
    this.waiters = this.waiters.filter((w) => !w(line));
  }
  // Resolves with the first line (past or future) for which pick() returns a value.
  waitFor(pick, what, ms = 15000) {
    for (const l of this.lines) {
      const v = pick(l);
      if (v !== undefined) return Promise.resolve(v);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no ${what} within ${ms} ms`)), ms);
      this.child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code}) before ${what}`));
      });
      this.waiters.push((line) => {
        const v = pick(line);
        if (v === undefined) return false;
        clearTimeout(timer);
        resolve(v);
        return true;
      });
    });
  }
  // The JSON "start" log line's field, e.g. "port" or "http_port".
  startField(field) {
    return this.waitFor((line) => {
      if (!line.startsWith('{')) return undefined;
      try {
        const j = JSON.parse(line);
        return j.msg === 'start' && j[field] !== undefined ? j[field] : undefined;
      } catch (e) {
        return undefined;
      }
    }, `"start" line with ${field}`);
  }
  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 12000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

process.on('exit', () => {
  for (const p of started) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  }
});

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const {port} = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls check() until it returns a truthy value or the deadline passes.
async function until(what, ms, check) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what} (last: ${JSON.stringify(last)})`);
    await delay(100);
  }
}

let addrs = {};
let requestCounter = 0;
let SEC;  // the development CA, signing key and service tokens (dev-security.sh)
const tokens = new Map();  // principal -> token file

// The token file of `identity`, issued on first use with the stack's signing key.
function tokenFor(identity) {
  if (!tokens.has(identity.principal)) {
    const file = path.join(SEC, 'users', `${identity.principal}.jwt`);
    execFileSync(BIN.relaisctl, ['admin', 'issue-token', identity.principal, identity.role,
      ...(identity.organisation ? ['--organisation-id', identity.organisation] : []),
      ...(identity.responder ? ['--responder-id', identity.responder] : []),
      '--key', path.join(SEC, 'tokens', 'signing-key.pem'), '--ttl', '1h', '--out', file],
    {stdio: ['ignore', 'ignore', 'pipe']});
    tokens.set(identity.principal, file);
  }
  return tokens.get(identity.principal);
}

// relaisctl --json as `identity` (its own token, over TLS); returns the parsed answer.
function ctl(identity, args) {
  const requestId = `browser-${process.pid}-${++requestCounter}`;
  const childEnv = {
    ...process.env,
    RELAIS_CRISIS_ADDR: addrs.crisis,
    RELAIS_INVENTORY_ADDR: addrs.inventory,
    RELAIS_MOBILISATION_ADDR: addrs.mobilisation,
    RELAIS_LANG: 'en',
    RELAIS_TOKEN_FILE: tokenFor(identity),
    RELAIS_TLS_CA: path.join(SEC, 'tls', 'ca.pem'),
  };
  for (const k of ['RELAIS_TOKEN', 'RELAIS_PRINCIPAL', 'RELAIS_ROLE', 'RELAIS_ORGANISATION',
    'RELAIS_RESPONDER']) {
    delete childEnv[k];
  }
  return new Promise((resolve, reject) => {
    execFile(BIN.relaisctl, ['--json', '--request-id', requestId, ...args], {env: childEnv},
        (err, stdout, stderr) => {
          if (err) {
            reject(new Error(`relaisctl ${args.join(' ')}: ${err.message}\n${stderr}`));
            return;
          }
          try {
            resolve(stdout.trim() ? JSON.parse(stdout) : {});
          } catch (e) {
            reject(new Error(`relaisctl ${args.join(' ')}: not JSON: ${stdout.slice(0, 400)}`));
          }
        });
  });
}

const COORD = {principal: 'coord-browser-test', role: 'coordinator'};
const ADMIN = {principal: 'admin-browser-test', role: 'admin'};
// What the dashboard role shows of a name (inventory_domain.h, ShortDisplayName): "Léa M.".
const shortName = (name) => {
  const words = name.split(/\s+/).filter(Boolean);
  return words.length < 2 ? name : `${words[0]} ${[...words[words.length - 1]][0]}.`;
};
// The certificate name of each process (dev-security.sh).
const CERT = {crisis_registry: 'crisis-registry', inventory: 'inventory', mobilisation: 'mobilisation',
  gateway: 'gateway'};
const tlsFlags = (name) => [`--tls_ca=${path.join(SEC, 'tls', 'ca.pem')}`,
  `--tls_cert=${path.join(SEC, 'tls', `${CERT[name]}.pem`)}`,
  `--tls_key=${path.join(SEC, 'tls', `${CERT[name]}-key.pem`)}`];
const iso = (d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

// Each service's Redis user (services/runtime/redis/redis_acl.h).
const REDIS_USERS = {
  crisis_registry: 'relais-crisis-registry',
  inventory: 'relais-inventory',
  mobilisation: 'relais-mobilisation',
};

// As deployed (issue #6): a password file per service user (mode 600), then relais-redis-setup
// loads the Functions and creates the users (the default user stays on: a private test Redis).
function setUpRedis(redisPort, secrets) {
  for (const user of Object.values(REDIS_USERS)) {
    fs.writeFileSync(path.join(secrets, `${user}.password`), crypto.randomBytes(24).toString('hex'),
        {mode: 0o600});
  }
  return new Promise((resolve, reject) => {
    execFile(REDIS_SETUP, [`--redis_port=${redisPort}`, `--passwords_dir=${secrets}`],
        (err, stdout, stderr) => (err ? reject(new Error(`relais-redis-setup: ${stderr}`)) : resolve(stdout)));
  });
}

async function startService(name, redisPort, secrets, extra = []) {
  const user = REDIS_USERS[name];
  const p = new Proc(name, BIN[name], [
    '--listen_address=127.0.0.1:0', '--metrics_address=127.0.0.1:0', `--redis_port=${redisPort}`,
    `--redis_username=${user}`, `--redis_password_file=${path.join(secrets, `${user}.password`)}`,
    `--catalogue_path=${CATALOGUE}`, ...tlsFlags(name),
    `--token_public_key=${path.join(SEC, 'tokens', 'public-key.pem')}`, ...extra,
  ]);
  const port = await p.startField('port');
  return {proc: p, addr: `127.0.0.1:${port}`};
}

function startGateway(httpAddress) {
  const p = new Proc('gateway', BIN.gateway, [
    `--http_address=${httpAddress}`, '--metrics_address=127.0.0.1:0',
    `--crisis_registry_address=${addrs.crisis}`, `--inventory_address=${addrs.inventory}`,
    `--mobilisation_address=${addrs.mobilisation}`, ...tlsFlags('gateway'),
    `--service_token=${path.join(SEC, 'tokens', 'svc-gateway.jwt')}`,
    // HTTPS with its certificate of the dev CA; browsers sign in with tokens of the stack's key.
    `--http_tls_cert=${path.join(SEC, 'tls', 'gateway.pem')}`,
    `--http_tls_key=${path.join(SEC, 'tls', 'gateway-key.pem')}`,
    `--token_public_key=${path.join(SEC, 'tokens', 'public-key.pem')}`,
  ]);
  return p;
}

// One HTTPS request from Node, verifying the gateway with the dev CA (Node's fetch cannot be given
// a CA). Resolves {status, headers, body}.
function request(url, {method = 'GET', headers = {}, body} = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, {method, headers, ca: fs.readFileSync(path.join(SEC, 'tls', 'ca.pem'))},
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (data += chunk));
          res.on('end', () => resolve({status: res.statusCode, headers: res.headers, body: data}));
        });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

// Signs the page in through the sign-in form with the stack's dashboard token.
async function signIn(page, base) {
  await page.waitForURL(base + '/signin', {timeout: 10000});
  const token = fs.readFileSync(path.join(SEC, 'tokens', 'viewer.jwt'), 'utf8').trim();
  await page.fill('[data-testid="signin-token"]', token);
  await Promise.all([page.waitForURL(base + '/', {timeout: 10000}), page.click('[data-testid="signin-submit"]')]);
}

test('the dashboard follows a heatwave mobilisation live, in English and French', {timeout: 240000}, async (t) => {
  for (const [k, v] of Object.entries(BIN)) assert.ok(v && fs.existsSync(v), `binary ${k}: ${v}`);
  assert.ok(REDIS_SETUP && fs.existsSync(REDIS_SETUP), `binary relais-redis-setup: ${REDIS_SETUP}`);
  const consoleLines = [];
  const nonGet = [];
  let context;
  let page;
  let profile;
  let secrets;
  let failed = true;
  try {
    // ---- the stack
    const redisPort = await freePort();
    const redis = new Proc('redis', 'redis-server', [
      '--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    ]);
    await redis.waitFor((l) => (/Ready to accept connections/.test(l) ? true : undefined), 'redis ready');
    secrets = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-redis-secrets-'));
    await setUpRedis(redisPort, secrets);
    SEC = path.join(secrets, 'security');
    execFileSync('bash', [path.join(SRC, 'deploy', 'local', 'dev-security.sh'), SEC, BIN.relaisctl],
        {stdio: ['ignore', 'ignore', 'pipe']});
    const crisis = await startService('crisis_registry', redisPort, secrets);
    const inventory = await startService('inventory', redisPort, secrets);
    addrs = {crisis: crisis.addr, inventory: inventory.addr};
    const mobilisation = await startService('mobilisation', redisPort, secrets, [
      `--crisis_registry_address=${crisis.addr}`, `--inventory_address=${inventory.addr}`,
      `--service_token=${path.join(SEC, 'tokens', 'svc-mobilisation.jwt')}`,
    ]);
    addrs.mobilisation = mobilisation.addr;
    let gateway = startGateway('127.0.0.1:0');
    const httpPort = await gateway.startField('http_port');
    const base = `https://127.0.0.1:${httpPort}`;
    await until('gateway /healthz SERVING', 15000, async () =>
      (await request(base + '/healthz')).status === 200);
    // Before signing in, the API says who is missing, and the feed too.
    for (const p of ['/api/crises', '/api/events']) {
      const anonymous = await request(base + p);
      assert.equal(anonymous.status, 401, p);
      assert.equal(JSON.parse(anonymous.body).code, 'UNAUTHENTICATED', p);
    }

    // ---- the Lyon milieu: an organisation, four nurses available for the month
    const org = await ctl(ADMIN, ['org', 'register', '--name', 'Croix-Rouge test Rhône', '--kind',
      'ngo', '--domain', 'emergency-response', '--commune', 'Lyon', '--lat', '45.7578', '--lon', '4.8320']);
    const admin = {principal: 'osi-admin-browser', role: 'osi_admin', organisation: org.id};
    const names = ['Léa Martin', 'Karim Haddad', 'Sophie Girard', 'Thomas Nguyen'];
    const nurses = {};
    const now = new Date();
    const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    for (let i = 0; i < names.length; i++) {
      const r = await ctl(admin, ['responder', 'register', '--name', names[i], '--external-ref',
        `BT-000${i + 1}`, '--skill', 'nurse:3', '--lang', 'fr', '--lat', String(45.745 + 0.018 * i), '--lon',
        String(4.84 + 0.012 * i), '--commune', 'Villeurbanne', '--max-days', '14', '--contact',
        `email:nurse${i + 1}@example.org`]);
      nurses[r.id] = shortName(names[i]);  // as the dashboard role sees them
      await ctl(admin, ['availability', 'set', r.id, '--kind', 'available', '--from', iso(dayStart),
        '--until', iso(new Date(dayStart.getTime() + 30 * 86400000))]);
    }

    await ctl(admin, ['warehouse', 'register', '--name', 'Entrepôt test Bioport', '--commune',
      'Vaulx-en-Velin', '--lat', '45.7787', '--lon', '4.9216', '--external-ref', 'BT-WH-1']);

    // ---- the crisis
    const declared = await ctl(COORD, ['crisis', 'declare', '--title', 'Canicule - Villeurbanne (test)',
      '--kind', 'heatwave', '--scope', 'local', '--severity', 'severe', '--urgency', 'immediate',
      '--certainty', 'observed', '--lat', '45.7719', '--lon', '4.8902', '--radius-km', '5', '--area',
      'Villeurbanne, résidences autonomie', '--country', 'FR', '--commune', 'Villeurbanne', '--need',
      'skill:nurse=2,priority=high,days=3,lang=fr']);
    const crisisId = declared.id;
    const needId = declared.needs[0].id;
    await ctl(COORD, ['crisis', 'activate', crisisId]);

    // ---- the page
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      // Chromium does not know the development CA; Node's requests above check the certificate
      // with it.
      ignoreHTTPSErrors: true,
      viewport: {width: 1280, height: 800},
      locale: 'en-GB',
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] || (await context.newPage());
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    page.on('request', (r) => {
      if (r.method() !== 'GET' && r.method() !== 'HEAD') nonGet.push(`${r.method()} ${r.url()}`);
    });
    await page.goto(base + '/');
    await signIn(page, base);  // the page sent the browser to the sign-in form
    const crisisLink = page.locator(`[data-testid="crisis-${crisisId}"]`);
    await crisisLink.waitFor({timeout: 10000});
    await crisisLink.click();
    await until('the crisis is selected (URL hash)', 5000, () =>
      page.evaluate(() => location.hash)).then((h) => assert.equal(h, `#crisis=${crisisId}`));
    const needSel = `[data-testid="need-${needId}"]`;
    await page.locator(needSel).waitFor({timeout: 10000});
    const need = () => page.evaluate((sel) => {
      const el = document.querySelector(sel);
      return el && {...el.dataset};
    }, needSel);
    const trailText = () => page.locator('[data-testid="trail"]').innerText();
    await until('connection indicator live', 10000, async () =>
      (await page.getAttribute('[data-testid="conn"]', 'data-state')) === 'live');

    // ---- mobilise: requests and countdowns appear
    await ctl(COORD, ['need', 'mobilise', '--crisis-id', crisisId, '--need-id', needId,
      '--overbooking', '1.5']);
    await until('need row shows requested > 0', 10000, async () => Number((await need()).requested) > 0);
    const countdowns = await until('pending countdowns', 10000, async () => {
      const texts = await page.locator('[data-testid="countdown"]').allInnerTexts();
      return texts.length > 0 && texts.every((s) => /\d/.test(s)) && texts;
    });
    t.diagnostic(`countdowns: ${countdowns.join(' | ')}`);
    // They tick in the browser, without new data.
    const leftOf = () => page.getAttribute('[data-testid="countdown"]', 'data-left-s');
    const firstLeft = await leftOf();
    await until('the countdown ticks', 5000, async () => (await leftOf()) !== firstLeft);

    const pending = async () => (await ctl(COORD, ['request', 'list', '--crisis-id', crisisId,
      '--state', 'requested'])).requests || [];
    const respond = (req, answer) => ctl({principal: `person-${req.responder_id}`, role: 'responder',
      organisation: req.organisation_id, responder: req.responder_id}, ['request', 'respond', req.id, answer,
      ...(answer === '--decline' ? ['--reason', 'déjà d’astreinte'] : [])]);

    // ---- one nurse accepts, one declines
    let asked = await pending();
    assert.ok(asked.length >= 2, `at least two nurses asked, got ${asked.length}`);
    // No notifier runs in this test: nobody asked is reached yet, and the page names them.
    await until('the "not reached" list names the nurses asked', 10000, async () => {
      const text = await page.locator('[data-testid="unreached"]').innerText();
      return asked.every((r) => text.includes(nurses[r.responder_id]));
    });
    const first = asked[0];
    const second = asked[1];
    await respond(first, '--accept');
    await until('accepted = 1', 10000, async () => (await need()).accepted === '1');
    await until(`trail shows ${nurses[first.responder_id]} accepted`, 10000, async () =>
      (await trailText()).includes(`${nurses[first.responder_id]} accepted`));
    await respond(second, '--decline');
    await until(`trail shows ${nurses[second.responder_id]} declined`, 10000, async () =>
      (await trailText()).includes(`${nurses[second.responder_id]} declined`));

    // ---- the gateway restarts on the same port: sessions live in its memory, so the page goes
    // back to the sign-in form by itself, and the boards come back once signed in again.
    const gwExit = await gateway.stop();
    t.diagnostic(`gateway stopped: ${JSON.stringify(gwExit)}`);
    await until('indicator shows reconnecting', 10000, async () =>
      (await page.getAttribute('[data-testid="conn"]', 'data-state')) === 'reconnecting');
    gateway = startGateway(`127.0.0.1:${httpPort}`);
    assert.equal(await gateway.startField('http_port'), httpPort);
    await signIn(page, base);
    await crisisLink.click();
    await page.locator(needSel).waitFor({timeout: 10000});
    asked = await pending();
    assert.ok(asked.length >= 1, 'a nurse is still asked after the decline');
    const third = asked[0];
    await respond(third, '--accept');
    await until('accepted = 2 and COVERED without a reload', 15000, async () => {
      const n = await need();
      return n.accepted === '2' && n.coverage === 'COVERED';
    });
    await until(`trail shows ${nurses[third.responder_id]} accepted`, 10000, async () =>
      (await trailText()).includes(`${nurses[third.responder_id]} accepted`));
    // A crisis declared elsewhere appears in the list by itself (the all-crises stream).
    const abroad = await ctl(COORD, ['crisis', 'declare', '--title', 'Choléra - Kalemie (test)',
      '--kind', 'epidemic', '--scope', 'abroad', '--severity', 'extreme', '--urgency', 'immediate',
      '--certainty', 'observed', '--lat', '-5.9475', '--lon', '29.1947', '--radius-km', '30',
      '--area', 'Kalemie, province du Tanganyika', '--country', 'CD', '--commune', 'Kalemie']);
    await page.locator(`[data-testid="crisis-${abroad.id}"]`).waitFor({timeout: 10000});
    await until('indicator live again', 10000, async () =>
      (await page.getAttribute('[data-testid="conn"]', 'data-state')) === 'live');

    await page.screenshot({path: path.join(OUT, 'dashboard-en.png'), fullPage: false});

    // ---- French
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.click('[data-testid="lang-switch"]');
    await until('<html lang="fr">', 5000, async () => (await page.getAttribute('html', 'lang')) === 'fr');
    await until('French headings and sentences', 5000, async () => {
      const body = await page.evaluate(() => document.body.textContent);  // before text-transform
      return body.includes('Fil des événements') && body.includes('Besoins') &&
          body.includes(`${nurses[third.responder_id]} a accepté`) && body.includes('Couvert');
    });
    await page.screenshot({path: path.join(OUT, 'dashboard-fr.png'), fullPage: false});
    // The wall screen: three columns.
    await page.setViewportSize({width: 1920, height: 1080});
    await page.screenshot({path: path.join(OUT, 'dashboard-wall-fr.png'), fullPage: false});
    await page.setViewportSize({width: 1280, height: 800});
    // The choice is remembered.
    await page.reload();
    await page.locator(needSel).waitFor({timeout: 10000});
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');

    // ---- sign-out: the session ends, the page goes back to the form
    await Promise.all([page.waitForURL(base + '/signin', {timeout: 10000}),
      page.click('[data-testid="signout"]')]);
    await page.goto(base + '/');
    await page.waitForURL(base + '/signin', {timeout: 10000});

    // ---- read-only: beyond the sign-in and sign-out forms, only GET
    assert.deepEqual(nonGet.filter((r) => !/^POST \S+\/sign(in|out)$/.test(r)), [],
        'the page made only GET requests');
    // The CSP the page is written for (no inline script or style) is really in force.
    const form = await request(base + '/signin');
    assert.match(form.headers['content-security-policy'] || '', /script-src 'self'/);
    assert.match(form.headers['strict-transport-security'] || '', /max-age=/);
    const post = await request(base + '/api/crises', {method: 'POST', body: '{}'});
    assert.equal(post.status, 405);
    assert.match(post.headers.allow || '', /GET/);
    const errors = consoleLines.filter((l) => l.startsWith('[pageerror]') ||
        /Content Security Policy/i.test(l));
    assert.deepEqual(errors, [], 'no script errors or CSP violations on the page');
    failed = false;
  } finally {
    if (failed) {
      if (page) {
        await page.screenshot({path: path.join(OUT, 'dashboard-failure.png')}).catch(() => {});
        const text = await page.locator('main').innerText().catch((e) => e.message);
        console.error(`\n----- page text -----\n${text}`);
      }
      for (const p of started) {
        console.error(`\n----- ${p.name} (last lines) -----\n${p.lines.slice(-60).join('\n')}`);
      }
      console.error(`\n----- page console -----\n${consoleLines.join('\n')}`);
      console.error(`\n----- non-GET requests -----\n${nonGet.join('\n')}`);
    }
    if (context) await context.close().catch(() => {});
    for (const p of [...started].reverse()) await p.stop();
    if (profile) fs.rmSync(profile, {recursive: true, force: true});
    if (secrets) fs.rmSync(secrets, {recursive: true, force: true});
  }
});
