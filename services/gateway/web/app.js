// The Relais crisis-room dashboard: read-only, fed by the gateway's JSON API and its Server-Sent
// Events. No framework: state in one object, views rebuilt from it (they are small), except the
// countdowns, which tick every second in place.
'use strict';

(function () {
  const I = window.RelaisI18n;
  const REFRESH_DEBOUNCE_MS = 300;
  const URGENT_MS = 5 * 60 * 1000;
  const TRAIL_MAX = 200;

  const state = {
    crises: [],
    crisesError: '',
    selectedId: '',
    crisis: null,
    board: null,
    boardClockOffset: 0,  // server time minus this browser's time, from board.asOf
    outreach: null,
    assignments: [],
    places: null,
    loadError: '',
    trail: new Map(),  // cursor -> Event, for the selected crisis
    lastCursor: '',
  };
  const streams = {global: null, crisis: null};
  const streamState = {global: 'connecting', crisis: 'idle'};

  // ---------------------------------------------------------------------------------------------
  // Small helpers

  const SVG_NS = 'http://www.w3.org/2000/svg';

  // Builds an element. attrs: plain attributes (never "style": the CSP forbids it), "class",
  // "text" and on<event> handlers.
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    setAll(el, attrs);
    appendAll(el, children);
    return el;
  }
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG_NS, tag);
    setAll(el, attrs);
    appendAll(el, children);
    return el;
  }
  function setAll(el, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') el.textContent = String(v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  function appendAll(el, children) {
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  const num = (v) => Number(v || 0);
  const short = (id) => String(id || '').slice(-6);

  function fmtDateTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (isNaN(d)) return '';
    return new Intl.DateTimeFormat(I.locale(), {dateStyle: 'medium', timeStyle: 'short'})
        .format(d);
  }
  function fmtTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (isNaN(d)) return '';
    return new Intl.DateTimeFormat(I.locale(), {timeStyle: 'medium'}).format(d);
  }
  function fmtKm(km) {
    const v = Number(km);
    const digits = v < 10 ? 1 : 0;
    return new Intl.NumberFormat(I.locale(), {maximumFractionDigits: digits}).format(v) + ' km';
  }
  function fmtDuration(ms) {
    const total = Math.max(0, Math.floor(ms / 1000));
    const hours = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const sec = total % 60;
    if (hours > 0) return I.t('time.hour', {h: hours, m: String(m).padStart(2, '0')});
    return I.t('time.min', {m, s: String(sec).padStart(2, '0')});
  }

  // Event cursors are Redis Stream ids "<ms>-<seq>": compare as numbers, not strings.
  function cursorKey(c) {
    const [ms, seq] = String(c || '0-0').split('-');
    return [Number(ms) || 0, Number(seq) || 0];
  }
  function cursorLess(a, b) {
    const [am, as] = cursorKey(a);
    const [bm, bs] = cursorKey(b);
    return am < bm || (am === bm && as < bs);
  }

  async function api(path) {
    const res = await fetch(path, {headers: {Accept: 'application/json'}, cache: 'no-store'});
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (res.status === 401) {
      // Not signed in, or the session ended (sign-out elsewhere, token expired).
      window.location.assign('/signin');
    }
    if (!res.ok) {
      const err = new Error((body && body.message) || res.status + ' ' + res.statusText);
      err.status = res.status;
      throw err;
    }
    return body || {};
  }

  // ---------------------------------------------------------------------------------------------
  // Names: the gateway's /places gives display names; events carry ids only.

  function personName(responderId) {
    const p = state.places && (state.places.people || []).find((x) => x.responderId === responderId);
    return p && p.displayName ? p.displayName : I.t('unknown.person', {id: short(responderId)});
  }
  function teamName(teamId) {
    const t = state.places && (state.places.teams || []).find((x) => x.teamId === teamId);
    return t && t.name ? t.name : I.t('unknown.team', {id: short(teamId)});
  }
  function stockName(lineId) {
    const l = state.places && (state.places.stockLines || []).find((x) => x.stockLineId === lineId);
    if (!l) return I.t('unknown.stock', {id: short(lineId)});
    return l.lot ? `${l.itemCode} (${l.lot})` : l.itemCode;
  }
  // Who a request, assignment or event is about.
  function whoOf(x) {
    if (x.responderId) return personName(x.responderId);
    if (x.teamId) return teamName(x.teamId);
    if (x.stockLineId) return stockName(x.stockLineId);
    if (x.responderIds && x.responderIds.length) return x.responderIds.map(personName).join(', ');
    return '?';
  }
  function resourceOfNeed(needId) {
    const nb = state.board && (state.board.needs || []).find(
        (n) => n.progress && n.progress.needId === needId);
    if (nb && nb.progress.resource) return nb.progress.resource.code;
    const need = state.crisis && (state.crisis.needs || []).find((n) => n.id === needId);
    if (need && need.spec && need.spec.resource) return need.spec.resource.code;
    return needId ? short(needId) : '';
  }
  function priorityOfNeed(needId) {
    const need = state.crisis && (state.crisis.needs || []).find((n) => n.id === needId);
    return need && need.spec ? need.spec.priority : '';
  }

  function sentence(ev) {
    const key = 'ev.' + ev.type;
    const params = {
      who: whoOf(ev),
      res: resourceOfNeed(ev.needId),
      n: num(ev.quantity) || (ev.responderIds || []).length || (ev.subjectIds || []).length || 1,
      type: I.word(ev.type),
    };
    let text = I.has(key) ? I.t(key, params) : I.t('ev.other', params);
    if (!params.res) text = text.replace(/ \(\)$/, '');
    return text;
  }

  // ---------------------------------------------------------------------------------------------
  // Loading

  async function loadCrises() {
    try {
      const body = await api('/api/crises');
      state.crises = body.crises || [];
      state.crisesError = '';
    } catch (e) {
      state.crisesError = e.message;
    }
    renderCrisisList();
  }

  function absorbBoard(board) {
    state.board = board;
    state.boardClockOffset = board.asOf ? Date.parse(board.asOf) - Date.now() : 0;
    for (const ev of board.recentEvents || []) addToTrail(ev);
    if (board.cursor && (!state.lastCursor || cursorLess(state.lastCursor, board.cursor))) {
      state.lastCursor = board.cursor;
    }
  }

  // Everything about the selected crisis at once: the first view and after a reset.
  async function loadSelected() {
    const id = state.selectedId;
    const base = '/api/crises/' + encodeURIComponent(id);
    const [crisis, board, outreach, assignments, places] = await Promise.allSettled([
      api(base), api(base + '/board'), api(base + '/outreach'), api(base + '/assignments'),
      api(base + '/places'),
    ]);
    if (id !== state.selectedId) return false;
    state.loadError = '';
    if (crisis.status === 'fulfilled') state.crisis = crisis.value;
    else state.loadError = crisis.reason.status === 404 ? I.t('crisis.notFound') : crisis.reason.message;
    if (board.status === 'fulfilled') absorbBoard(board.value);
    if (outreach.status === 'fulfilled') state.outreach = outreach.value;
    if (assignments.status === 'fulfilled') state.assignments = assignments.value.assignments || [];
    if (places.status === 'fulfilled') state.places = places.value;
    renderCrisis();
    return board.status === 'fulfilled';
  }

  // After live events: the board always, the rest only when something new appeared.
  let refreshTimer = null;
  let refreshWant = {};
  let refreshRunning = false;
  function scheduleRefresh(want) {
    refreshWant = {...refreshWant, ...want};
    if (refreshTimer) return;
    refreshTimer = setTimeout(runRefresh, REFRESH_DEBOUNCE_MS);
  }
  async function runRefresh() {
    refreshTimer = null;
    if (refreshRunning) {  // one at a time; the next run picks up what arrived meanwhile
      refreshTimer = setTimeout(runRefresh, REFRESH_DEBOUNCE_MS);
      return;
    }
    const want = refreshWant;
    refreshWant = {};
    const id = state.selectedId;
    if (!id) return;
    refreshRunning = true;
    const base = '/api/crises/' + encodeURIComponent(id);
    const jobs = [api(base + '/board').then(absorbBoard), api(base + '/outreach').then((o) => {
      state.outreach = o;
    })];
    if (want.crisis) jobs.push(api(base).then((c) => (state.crisis = c)));
    if (want.places) jobs.push(api(base + '/places').then((p) => (state.places = p)));
    if (want.assignments) {
      jobs.push(api(base + '/assignments').then((a) => (state.assignments = a.assignments || [])));
    }
    const results = await Promise.allSettled(jobs);
    refreshRunning = false;
    if (id !== state.selectedId) return;
    const failed = results.find((r) => r.status === 'rejected');
    state.loadError = failed ? I.t('error.load', {msg: failed.reason.message}) : '';
    // Not lost: what failed (gateway restarting) is fetched again with the next refresh.
    if (failed) refreshWant = {...want, ...refreshWant};
    renderCrisis();
  }

  function addToTrail(ev) {
    if (!ev || !ev.cursor) return;
    if (state.selectedId && ev.crisisId && ev.crisisId !== state.selectedId) return;
    state.trail.set(ev.cursor, ev);
    if (state.trail.size > TRAIL_MAX) {
      const oldest = [...state.trail.keys()].sort((a, b) => (cursorLess(a, b) ? -1 : 1))[0];
      state.trail.delete(oldest);
    }
  }

  // What an event makes stale besides the board.
  function staleBy(ev) {
    const want = {};
    const type = ev.type || '';
    if (type.startsWith('EVENT_TYPE_CRISIS_') || type.startsWith('EVENT_TYPE_NEED_')) {
      want.crisis = true;
    }
    const known = (state.places && state.places.people) || [];
    const ids = [ev.responderId, ...(ev.responderIds || [])].filter(Boolean);
    if (ids.some((r) => !known.some((p) => p.responderId === r)) || (ev.teamId &&
        !((state.places && state.places.teams) || []).some((t) => t.teamId === ev.teamId)) ||
        (ev.stockLineId && !((state.places && state.places.stockLines) || []).some(
            (l) => l.stockLineId === ev.stockLineId))) {
      want.places = true;
    }
    if (ev.assignmentId || type.startsWith('EVENT_TYPE_ASSIGNMENT_') ||
        type.startsWith('EVENT_TYPE_SUPPLY_') || type === 'EVENT_TYPE_REQUEST_ACCEPTED') {
      want.assignments = true;
    }
    return want;
  }

  // ---------------------------------------------------------------------------------------------
  // Live streams

  function setStreamState(which, value) {
    streamState[which] = value;
    renderConn();
  }

  function openGlobalStream() {
    const es = new EventSource('/api/events');
    streams.global = es;
    es.addEventListener('open', () => {
      setStreamState('global', 'live');
      loadCrises();  // whatever happened while we were away
    });
    es.addEventListener('event', (msg) => {
      let ev;
      try {
        ev = JSON.parse(msg.data);
      } catch (e) {
        return;
      }
      const known = state.crises.some((c) => c.id === ev.crisisId);
      if ((ev.crisisId && !known) || String(ev.type || '').startsWith('EVENT_TYPE_CRISIS_')) {
        scheduleCrisesReload();
      }
    });
    es.addEventListener('error', () => {
      setStreamState('global', 'reconnecting');
      if (es.readyState === EventSource.CLOSED) {
        // A refused response (e.g. 503) ends EventSource for good: open a new one. A 401 (the
        // session ended) is seen by the reads, which go back to the sign-in page.
        loadCrises();
        setTimeout(() => {
          if (streams.global === es) openGlobalStream();
        }, 2000);
      }
    });
  }
  let crisesTimer = null;
  function scheduleCrisesReload() {
    if (crisesTimer) return;
    crisesTimer = setTimeout(() => {
      crisesTimer = null;
      loadCrises();
    }, REFRESH_DEBOUNCE_MS);
  }

  function closeCrisisStream() {
    if (streams.crisis) streams.crisis.close();
    streams.crisis = null;
    setStreamState('crisis', 'idle');
  }

  // From the board's cursor, so nothing between the snapshot and the stream is missed. After a
  // dropped connection EventSource resumes by itself with Last-Event-ID.
  function openCrisisStream() {
    closeCrisisStream();
    const id = state.selectedId;
    if (!id) return;
    let url = '/api/crises/' + encodeURIComponent(id) + '/events';
    if (state.lastCursor) url += '?cursor=' + encodeURIComponent(state.lastCursor);
    const es = new EventSource(url);
    streams.crisis = es;
    setStreamState('crisis', 'connecting');
    es.addEventListener('open', () => {
      if (streams.crisis !== es) return;
      setStreamState('crisis', 'live');
      scheduleRefresh({places: true, assignments: true});  // the gateway may have restarted
    });
    es.addEventListener('event', (msg) => {
      if (streams.crisis !== es) return;
      let ev;
      try {
        ev = JSON.parse(msg.data);
      } catch (e) {
        return;
      }
      if (!ev.cursor) ev.cursor = msg.lastEventId;
      state.lastCursor = msg.lastEventId || ev.cursor;
      addToTrail(ev);
      renderTrail();
      scheduleRefresh(staleBy(ev));
    });
    es.addEventListener('heartbeat', (msg) => {
      if (streams.crisis !== es) return;
      if (msg.lastEventId) state.lastCursor = msg.lastEventId;
    });
    es.addEventListener('reset', async () => {
      // The cursor is older than the log keeps: a fresh board, then a stream from its cursor.
      if (streams.crisis !== es) return;
      es.close();
      setStreamState('crisis', 'reconnecting');
      state.lastCursor = '';
      await loadSelected();
      if (id === state.selectedId) openCrisisStream();
    });
    es.addEventListener('error', () => {
      if (streams.crisis !== es) return;
      setStreamState('crisis', 'reconnecting');
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(() => {
          if (streams.crisis === es) openCrisisStream();
        }, 2000);
      }
    });
  }

  async function selectCrisis(id) {
    if (id === state.selectedId) return;
    closeCrisisStream();
    trailEl = null;
    Object.assign(state, {
      selectedId: id, crisis: null, board: null, outreach: null, assignments: [], places: null,
      loadError: '', trail: new Map(), lastCursor: '',
    });
    renderCrisisList();
    renderCrisis();
    if (!id) return;
    await loadSelected();
    if (id === state.selectedId) openCrisisStream();
  }

  function crisisFromHash() {
    const m = /(?:^#|&)crisis=([A-Za-z0-9._:-]+)/.exec(location.hash);
    return m ? m[1] : '';
  }

  // ---------------------------------------------------------------------------------------------
  // Views

  function renderStatic() {
    document.documentElement.lang = I.lang;
    document.title = I.t('app.title');
    for (const el of document.querySelectorAll('[data-i18n]')) {
      el.textContent = I.t(el.getAttribute('data-i18n'));
    }
    const sw = document.querySelector('[data-testid="lang-switch"]');
    sw.textContent = I.t('lang.switch');
    sw.setAttribute('aria-label', I.t('lang.switch.label'));
    sw.setAttribute('lang', I.lang === 'fr' ? 'en' : 'fr');
    renderConn();
  }

  function renderConn() {
    const el = document.querySelector('[data-testid="conn"]');
    if (!el) return;
    const relevant = state.selectedId ? [streamState.global, streamState.crisis]
                                      : [streamState.global];
    let value = 'live';
    if (relevant.includes('reconnecting')) value = 'reconnecting';
    else if (relevant.some((v) => v === 'connecting' || v === 'idle')) value = 'connecting';
    el.setAttribute('data-state', value);
    el.querySelector('.conn-text').textContent = I.t('conn.' + value);
  }

  function shortStatus(s) {
    return String(s || '').replace(/^CRISIS_STATUS_/, '');
  }
  function shortSeverity(s) {
    return String(s || '').replace(/^SEVERITY_/, '');
  }

  function renderCrisisList() {
    const ul = document.querySelector('[data-testid="crises"]');
    const err = document.querySelector('[data-testid="crises-error"]');
    err.hidden = !state.crisesError;
    err.textContent = state.crisesError ? I.t('crises.error') + ': ' + state.crisesError : '';
    ul.replaceChildren();
    if (!state.crises.length && !state.crisesError) {
      ul.append(h('li', {class: 'empty', text: I.t('crises.empty')}));
    }
    for (const c of state.crises) {
      const selected = c.id === state.selectedId;
      ul.append(h('li', {},
          h('a', {
            href: '#crisis=' + c.id,
            class: 'crisis-item status-' + shortStatus(c.status) + (selected ? ' selected' : ''),
            'data-testid': 'crisis-' + c.id,
            'data-status': shortStatus(c.status),
            'aria-current': selected ? 'page' : false,
          },
          h('span', {class: 'crisis-title', text: c.title}),
          h('span', {class: 'badges'},
              h('span', {class: 'badge sev sev-' + shortSeverity(c.severity), text: I.word(c.severity)}),
              h('span', {class: 'badge st st-' + shortStatus(c.status), text: I.word(c.status)}),
              h('span', {class: 'kind', text: I.word(c.kind)})),
          h('span', {class: 'meta', text: I.t('crisis.declared', {date: fmtDateTime(c.declaredAt)})}))));
    }
  }

  function panel(testid, headingKey, ...body) {
    const id = 'h-' + testid;
    return h('section', {class: 'panel panel-' + testid, 'aria-labelledby': id},
        h('h3', {id, text: I.t(headingKey)}), ...body);
  }

  function renderCrisis() {
    const main = document.getElementById('main');
    renderConn();
    if (!state.selectedId) {
      main.replaceChildren(h('p', {class: 'placeholder', 'data-testid': 'crisis-placeholder',
        text: I.t('crisis.none')}));
      return;
    }
    const parts = [];
    parts.push(renderHeader());
    if (state.loadError) {
      parts.push(h('p', {class: 'load-error', role: 'alert', 'data-testid': 'load-error',
        text: state.loadError}));
    }
    // Columns: the needs and people on the left, the plot and the trail on the right (a third
    // column for the trail on a wall screen: see app.css).
    parts.push(h('div', {class: 'grid'},
        h('div', {class: 'col col-a'},
            panel('needs', 'needs.heading', renderNeeds()),
            panel('pending', 'pending.heading', renderPending()),
            panel('outreach', 'outreach.heading', renderOutreach()),
            panel('chains', 'chain.heading', renderChains())),
        h('div', {class: 'col col-bc'},
            h('div', {class: 'col col-b'}, panel('plot', 'plot.heading', renderPlot())),
            h('div', {class: 'col col-c'}, panel('trail', 'trail.heading', trailList())))));
    main.replaceChildren(...parts);
    renderTrail();
    tick();
  }

  function renderHeader() {
    const c = state.crisis;
    if (!c) {
      return h('header', {class: 'crisis-header'},
          h('h2', {'data-testid': 'crisis-title', text: state.board ? state.board.title : '…'}));
    }
    const area = c.area || {};
    const centre = area.center || {};
    const where = [area.description, area.commune, area.country].filter(Boolean).join(' · ');
    return h('header', {class: 'crisis-header'},
        h('div', {class: 'crisis-heading'},
            h('h2', {'data-testid': 'crisis-title', text: c.title}),
            h('span', {class: 'badges'},
                h('span', {class: 'badge sev sev-' + shortSeverity(c.severity),
                  'data-testid': 'crisis-severity', text: I.word(c.severity)}),
                h('span', {class: 'badge st st-' + shortStatus(c.status),
                  'data-testid': 'crisis-status', text: I.word(c.status)}),
                h('span', {class: 'badge scope', text: I.word(c.scope)}),
                h('span', {class: 'kind', text: I.word(c.kind)}))),
        h('p', {class: 'crisis-area'},
            h('strong', {text: I.t('crisis.area') + (I.lang === 'fr' ? ' :' : ':')}),
            ' ', where, ' — ',
            I.t('crisis.radius', {km: new Intl.NumberFormat(I.locale()).format(num(area.radiusKm))}),
            centre.lat !== undefined ?
                ` (${num(centre.lat).toFixed(4)}, ${num(centre.lon).toFixed(4)})` : ''),
        h('p', {class: 'meta'},
            I.t('crisis.declared', {date: fmtDateTime(c.declaredAt)}),
            state.board && state.board.asOf ?
                ' · ' + I.t('crisis.asOf', {time: fmtTime(state.board.asOf)}) : ''));
  }

  function bar(kind, value, max) {
    const fill = h('span', {class: 'bar-fill'});
    fill.style.width = (max > 0 ? Math.min(100, (100 * value) / max) : 0) + '%';
    return h('div', {class: 'bar-row bar-' + kind},
        h('span', {class: 'bar-label', text: I.t('need.' + kind)}),
        h('span', {class: 'bar-track', role: 'presentation'}, fill),
        h('span', {class: 'bar-value', 'data-testid': 'value-' + kind, text: value}));
  }

  function renderNeeds() {
    const needs = (state.board && state.board.needs) || [];
    if (!needs.length) return h('p', {class: 'empty', text: I.t('needs.empty')});
    return h('ul', {class: 'needs'}, needs.map((nb) => {
      const p = nb.progress || {};
      const v = {
        required: num(p.required), requested: num(p.requested), accepted: num(p.accepted),
        deployed: num(p.deployed),
      };
      const max = Math.max(v.required, v.requested, v.accepted, v.deployed, 1);
      const coverage = String(p.coverage || '').replace(/^COVERAGE_/, '');
      const extra = [];
      if (num(p.declined)) extra.push(I.t('need.declined', {n: num(p.declined)}));
      if (num(p.expired)) extra.push(I.t('need.expired', {n: num(p.expired)}));
      if (p.rounds) extra.push(I.t('need.rounds', {n: p.rounds}));
      const priority = priorityOfNeed(p.needId);
      return h('li', {
        class: 'need cov-' + coverage,
        'data-testid': 'need-' + p.needId,
        'data-required': v.required,
        'data-requested': v.requested,
        'data-accepted': v.accepted,
        'data-deployed': v.deployed,
        'data-coverage': coverage,
      },
      h('div', {class: 'need-head'},
          h('h4', {class: 'need-resource', text: p.resource ? p.resource.code : short(p.needId)}),
          priority ? h('span', {class: 'badge prio prio-' + priority.replace(/^NEED_PRIORITY_/, ''),
            text: I.word(priority)}) : null,
          h('span', {class: 'badge cov cov-' + coverage, 'data-testid': 'coverage',
            text: I.word(p.coverage)})),
      p.uncoverableReason ? h('p', {class: 'reason', text: p.uncoverableReason}) : null,
      h('div', {class: 'bars'}, bar('required', v.required, max), bar('requested', v.requested, max),
          bar('accepted', v.accepted, max), bar('deployed', v.deployed, max)),
      extra.length ? h('p', {class: 'meta', text: extra.join(' · ')}) : null);
    }));
  }

  function renderPending() {
    const rows = [];
    for (const nb of (state.board && state.board.needs) || []) {
      for (const pr of nb.pending || []) rows.push(pr.request || {});
    }
    rows.sort((a, b) => Date.parse(a.respondBy) - Date.parse(b.respondBy));
    if (!rows.length) {
      return h('p', {class: 'empty', 'data-testid': 'pending-empty', text: I.t('pending.empty')});
    }
    return h('ul', {class: 'pending', 'data-testid': 'pending'}, rows.map((r) => h('li', {
      class: 'pending-row',
      'data-testid': 'pending-' + r.id,
    },
    h('span', {class: 'who', text: whoOf(r)}),
    h('span', {class: 'res', text: resourceOfNeed(r.needId)}),
    h('span', {class: 'state', text: I.word(r.state)}),
    h('time', {class: 'countdown', 'data-testid': 'countdown', 'data-respond-by': r.respondBy,
      datetime: r.respondBy, title: fmtDateTime(r.respondBy)}))));
  }

  // Every second: the time left to each pending request, from the server's clock (the board's
  // asOf against this browser's), red under five minutes.
  function tick() {
    const now = Date.now() + state.boardClockOffset;
    for (const el of document.querySelectorAll('[data-respond-by]')) {
      const left = Date.parse(el.getAttribute('data-respond-by')) - now;
      el.textContent = left > 0 ? I.t('pending.left', {t: fmtDuration(left)}) : I.t('pending.overdue');
      el.classList.toggle('urgent', left < URGENT_MS);
      el.setAttribute('data-left-s', String(Math.max(0, Math.floor(left / 1000))));
    }
  }

  function renderOutreach() {
    const o = state.outreach || {};
    const list = (lines, testid) => {
      if (!lines || !lines.length) return h('p', {class: 'empty', 'data-testid': testid, text: I.t('outreach.none')});
      return h('ul', {class: 'names', 'data-testid': testid}, lines.map((l) => {
        const r = l.request || {};
        return h('li', {}, h('span', {class: 'who', text: whoOf(r)}),
            h('span', {class: 'res', text: resourceOfNeed(r.needId)}));
      }));
    };
    return h('div', {class: 'outreach'},
        h('div', {}, h('h4', {text: I.t('outreach.unreached')}), list(o.unreached, 'unreached')),
        h('div', {}, h('h4', {text: I.t('outreach.unanswered')}), list(o.unanswered, 'unanswered')),
        o.failedNotifications ? h('p', {class: 'warn', text: I.t('outreach.failed', {n: o.failedNotifications})}) : null);
  }

  // Each assignment's chain: requested -> accepted -> en route -> on site -> released (supplies:
  // committed -> shipped -> delivered -> returned). Times from the assignment, and the request's
  // sending from the trail when it is there.
  function renderChains() {
    const list = state.assignments || [];
    if (!list.length) return h('p', {class: 'empty', text: I.t('chain.empty')});
    return h('ul', {class: 'chains'}, list.map((a) => {
      const supply = a.kind === 'CANDIDATE_KIND_STOCK' || /COMMITTED|SHIPPED|DELIVERED|RETURNED/.test(a.state);
      const order = supply ?
          ['COMMITTED', 'SHIPPED', 'DELIVERED', 'RETURNED'] :
          ['ACCEPTED', 'EN_ROUTE', 'ON_SITE', 'RELEASED'];
      const stateName = String(a.state || '').replace(/^ASSIGNMENT_STATE_/, '');
      const reached = order.indexOf(stateName);
      let sentAt = '';
      for (const ev of state.trail.values()) {
        if (ev.type === 'EVENT_TYPE_REQUESTS_SENT' && (ev.subjectIds || []).includes(a.mobilisationRequestId)) {
          sentAt = ev.time;
        }
      }
      // Supplies reuse the same fields: shipped = departed, delivered = arrived, returned = released.
      const times = [a.createdAt, a.departedAt, a.arrivedAt, a.releasedAt];
      const steps = [h('li', {class: 'step done'}, h('span', {text: I.t('chain.requested')}),
          sentAt ? h('time', {datetime: sentAt, text: fmtTime(sentAt)}) : null)];
      order.forEach((name, i) => {
        const done = reached >= i;
        steps.push(h('li', {class: 'step' + (done ? ' done' : '') + (reached === i ? ' current' : '')},
            h('span', {text: I.word('ASSIGNMENT_STATE_' + name)}),
            done && times[i] ? h('time', {datetime: times[i], text: fmtTime(times[i])}) : null));
      });
      if (stateName === 'WITHDRAWN') {
        steps.push(h('li', {class: 'step withdrawn current'},
            h('span', {text: I.word('ASSIGNMENT_STATE_WITHDRAWN')})));
      }
      return h('li', {class: 'chain', 'data-testid': 'assignment-' + a.id, 'data-state': stateName},
          h('p', {class: 'chain-who'}, h('strong', {text: whoOf(a)}), ' · ', resourceOfNeed(a.needId)),
          h('ol', {class: 'steps'}, steps));
    }));
  }

  // The trail's list lives as long as the selected crisis: rebuilding the views moves it, and
  // new events are inserted into it, so its aria-live region announces only what is new.
  let trailEl = null;
  function trailList() {
    if (!trailEl) {
      trailEl = h('ol', {class: 'trail', 'data-testid': 'trail', 'aria-live': 'polite',
        'aria-relevant': 'additions'});
    }
    return trailEl;
  }

  function renderTrail() {
    if (!state.selectedId) return;
    const ol = trailList();
    const events = [...state.trail.values()].sort((a, b) => (cursorLess(a.cursor, b.cursor) ? 1 : -1));
    if (!events.length) {
      ol.replaceChildren(h('li', {class: 'empty', text: I.t('trail.empty')}));
      return;
    }
    const existing = new Map();
    for (const li of ol.children) {
      if (li.dataset.cursor) existing.set(li.dataset.cursor, li);
    }
    const items = events.map((ev) => {
      let li = existing.get(ev.cursor);
      if (!li) {
        li = h('li', {
          class: 'trail-item ev-' + String(ev.type || '').replace(/^EVENT_TYPE_/, ''),
          'data-type': ev.type,
          'data-cursor': ev.cursor,
        }, h('time', {datetime: ev.time}), h('span', {class: 'sentence'}));
      }
      // Names and language may have changed since: update the words in place.
      const time = fmtTime(ev.time);
      const text = sentence(ev);
      if (li.firstChild.textContent !== time) li.firstChild.textContent = time;
      if (li.lastChild.textContent !== text) li.lastChild.textContent = text;
      return li;
    });
    items.forEach((li, i) => {
      if (ol.children[i] !== li) ol.insertBefore(li, ol.children[i] || null);
    });
    while (ol.children.length > items.length) ol.lastChild.remove();
  }

  // The plot: north up, the crisis centre in the middle, each point at its bearing and at a
  // log-radial distance (r ~ log(1 + km)) so that a nurse 3 km away and a warehouse in Lyon
  // 6000 km from an abroad crisis are both readable; rings at round distances, labelled in km.
  function renderPlot() {
    const places = state.places;
    const crisis = state.crisis;
    const size = 400;
    const R = 170;
    const centre = point((places && places.center) || (crisis && crisis.area && crisis.area.center));
    const radiusKm = num((places && places.radiusKm) || (crisis && crisis.area && crisis.area.radiusKm));
    const people = (places && places.people) || [];
    const warehouses = ((places && places.warehouses) || []).map((w) => ({
      ...w,
      bearingDeg: bearing(centre, point(w.location)),
    }));
    const far = Math.max(radiusKm, 1, ...people.map((p) => num(p.distanceKm)),
        ...warehouses.map((w) => num(w.distanceKm)));
    const nice = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000];
    // One round step beyond the farthest point, so the crisis area never fills the whole plot.
    const outer = nice.find((n) => n >= far * 1.5) || 20000;
    const scale = (km) => (R * Math.log10(1 + Math.max(0, km))) / Math.log10(1 + outer);
    const at = (km, deg) => {
      const r = scale(num(km));
      const rad = (num(deg) * Math.PI) / 180;
      return [r * Math.sin(rad), -r * Math.cos(rad)];
    };
    // Labels are placed greedily: moved down (then up) until they overlap no earlier label.
    const placed = [];
    const label = (x, y, text) => {
      const w = text.length * 6.6;
      const hgt = 13;
      const lx0 = x + 8 + w > size / 2 ? x - 8 - w : x + 8;
      const overlaps = (ly) => placed.some((b) => lx0 < b.x + b.w && b.x < lx0 + w &&
          ly - hgt < b.y && b.y - hgt < ly);
      let ly = y + 4;
      for (let i = 1; overlaps(ly) && i < 24; i++) ly = y + 4 + (i % 2 ? 1 : -1) * Math.ceil(i / 2) * hgt;
      // Near the right edge the label goes to the left of its point.
      const left = x + 8 + w > size / 2;
      const lx = left ? x - 8 - w : x + 8;
      placed.push({x: lx, y: ly, w});
      return s('text', {x: left ? x - 8 : x + 8, y: ly, class: 'plot-label',
        'text-anchor': left ? 'end' : 'start'}, text);
    };
    const svg = s('svg', {viewBox: `${-size / 2} ${-size / 2} ${size} ${size}`, role: 'img',
      'aria-labelledby': 'plot-desc', class: 'plot', 'data-testid': 'plot'});
    svg.append(s('desc', {id: 'plot-desc'}, I.t('plot.caption')));
    // Rings: a few round distances, log-spaced.
    const rings = nice.filter((n) => n <= outer && (outer / n <= 1000)).filter((n, i, all) =>
      all.length <= 5 || [1, 10, 100, 1000, 10000, outer].includes(n) || n === outer);
    for (const km of rings) {
      svg.append(s('circle', {class: 'ring', cx: 0, cy: 0, r: scale(km)}));
      svg.append(s('text', {class: 'ring-label', x: 0, y: scale(km) + 11, 'text-anchor': 'middle'},
          fmtKm(km)));
    }
    svg.append(s('circle', {class: 'area', cx: 0, cy: 0, r: Math.max(4, scale(radiusKm)),
      'data-testid': 'plot-area'}, s('title', {}, I.t('plot.legend.area') + ' · ' + fmtKm(radiusKm))));
    svg.append(s('text', {class: 'north', x: 0, y: -R - 8, 'text-anchor': 'middle'}, 'N'));
    svg.append(s('circle', {class: 'centre', cx: 0, cy: 0, r: 4}));
    for (const w of warehouses) {
      const [x, y] = at(w.distanceKm, w.bearingDeg);
      svg.append(s('g', {class: 'warehouse', 'data-testid': 'plot-warehouse'},
          s('rect', {x: x - 5, y: y - 5, width: 10, height: 10}),
          s('title', {}, `${w.name} · ${fmtKm(w.distanceKm)}`),
          label(x, y, `${w.name} (${fmtKm(w.distanceKm)})`)));
    }
    const pendingIds = new Set();
    for (const nb of (state.board && state.board.needs) || []) {
      for (const pr of nb.pending || []) pendingIds.add((pr.request || {}).responderId);
    }
    const assigned = new Set((state.assignments || []).filter((a) => !/WITHDRAWN/.test(a.state))
        .map((a) => a.responderId));
    for (const p of people) {
      const [x, y] = at(p.distanceKm, p.bearingDeg);
      const cls = assigned.has(p.responderId) ? 'accepted' : pendingIds.has(p.responderId) ? 'asked' : 'other';
      svg.append(s('g', {class: 'person ' + cls, 'data-testid': 'plot-person'},
          s('circle', {cx: x, cy: y, r: 6}),
          s('title', {}, `${personName(p.responderId)} · ${fmtKm(p.distanceKm)}`),
          people.length <= 12 ? label(x, y, personName(p.responderId)) : null));
    }
    const legend = h('ul', {class: 'legend'},
        h('li', {}, h('span', {class: 'key key-area'}), I.t('plot.legend.area')),
        h('li', {}, h('span', {class: 'key key-person asked'}), I.t('plot.legend.asked')),
        h('li', {}, h('span', {class: 'key key-person accepted'}), I.t('plot.legend.accepted')),
        h('li', {}, h('span', {class: 'key key-person other'}), I.t('plot.legend.other')),
        h('li', {}, h('span', {class: 'key key-warehouse'}), I.t('plot.legend.warehouse')));
    return h('figure', {class: 'plot-figure'}, svg, legend,
        h('figcaption', {class: 'meta', text: I.t('plot.caption')}));
  }

  // The crisis registry's GeoPoint is {lat, lon}; the gateway's places use {latitude, longitude}.
  function point(p) {
    p = p || {};
    return {lat: num(p.lat ?? p.latitude), lon: num(p.lon ?? p.longitude)};
  }

  // Initial great-circle bearing from a to b, degrees clockwise from north.
  function bearing(a, b) {
    const toRad = (d) => (num(d) * Math.PI) / 180;
    const f1 = toRad(a.lat);
    const f2 = toRad(b.lat);
    const dl = toRad(num(b.lon) - num(a.lon));
    const y = Math.sin(dl) * Math.cos(f2);
    const x = Math.cos(f1) * Math.sin(f2) - Math.sin(f1) * Math.cos(f2) * Math.cos(dl);
    return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
  }

  function rerenderAll() {
    renderStatic();
    renderCrisisList();
    renderCrisis();
  }

  // ---------------------------------------------------------------------------------------------
  // Start

  function start() {
    document.querySelector('[data-testid="lang-switch"]').addEventListener('click', () => {
      I.setLang(I.lang === 'fr' ? 'en' : 'fr');
      rerenderAll();
    });
    window.addEventListener('hashchange', () => selectCrisis(crisisFromHash()));
    rerenderAll();
    loadCrises();
    openGlobalStream();
    selectCrisis(crisisFromHash());
    setInterval(tick, 1000);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
