// WasmIoT devices: a live table. Device data only ever enters the page through textContent.
(function () {
  'use strict';
  var root = document.getElementById('wasmiot');
  // Absolute URLs from the origin: a page opened as http://user:pass@host/... would otherwise lend
  // its credentials to relative URLs, which fetch refuses.
  var pluginRoot = location.origin + root.getAttribute('data-plugin-root');
  var api = location.origin + root.getAttribute('data-api');
  var body = document.querySelector('#wasmiot-devices tbody');
  var status = document.getElementById('wasmiot-status');
  var expanded = {};
  var devices = [];
  var reloadTimer = null;
  // _id -> the device's log lines (oldest first) while its row is open; 'loading' while fetched
  var logs = {};
  var renderTimer = null;
  var MAX_LOG_LINES = 200;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function age(iso) {
    if (!iso) { return '-'; }
    var s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    return s < 120 ? s + ' s' : s < 7200 ? Math.round(s / 60) + ' min' : Math.round(s / 3600) + ' h';
  }

  function where(c) {
    var a = (c && c.addresses && c.addresses[0]) || '?';
    var more = c && c.addresses ? c.addresses.length - 1 : 0;
    return (a.indexOf(':') >= 0 ? '[' + a + ']' : a) + ':' + (c ? c.port : '?') + (more > 0 ? ' (+' + more + ')' : '');
  }

  function action(name, params) {
    var form = new URLSearchParams(params || {});
    form.set('action', name);
    return fetch(pluginRoot + '/action', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'X-Requested-With': 'wasmiot', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString()
    }).then(function (r) {
      return r.text().then(function (t) { status.textContent = (r.ok ? '' : 'Failed: ') + t; load(); });
    });
  }

  function button(label, handler) {
    var b = el('button', label);
    b.type = 'button';
    b.addEventListener('click', function (event) { event.stopPropagation(); handler(); });
    return b;
  }

  function render() {
    while (body.firstChild) { body.removeChild(body.firstChild); }
    devices.forEach(function (d) {
      var tr = el('tr');
      tr.setAttribute('data-device', d._id);
      tr.className = 'wasmiot-row ' + d.status;
      tr.appendChild(el('td', d.name, 'wasmiot-name'));
      tr.appendChild(el('td', d.status + (d.blacklisted ? ' (blacklisted)' : ''), 'wasmiot-status'));
      tr.appendChild(el('td', where(d.communication)));
      var health = d.health ? (d.health.report ? 'ok' : 'failed') : '-';
      tr.appendChild(el('td', health));
      var ageCell = el('td', age(d.health && d.health.timeOfQuery), 'wasmiot-age');
      ageCell.setAttribute('data-time', d.health ? d.health.timeOfQuery : '');
      tr.appendChild(ageCell);
      var actions = el('td');
      actions.appendChild(button('Forget', function () { action('forget', { id: d._id }); }));
      actions.appendChild(d.blacklisted
        ? button('Unblacklist', function () { action('unblacklist', { id: d._id }); })
        : button('Blacklist', function () { action('blacklist', { id: d._id }); }));
      tr.appendChild(actions);
      tr.addEventListener('click', function () {
        expanded[d._id] = !expanded[d._id];
        if (expanded[d._id]) { loadLogs(d._id); } else { delete logs[d._id]; }
        render();
      });
      body.appendChild(tr);
      if (expanded[d._id]) {
        var detail = el('tr', null, 'wasmiot-history');
        var cell = el('td');
        cell.colSpan = 6;
        var list = el('ul');
        (d.statusLog || []).forEach(function (s) {
          list.appendChild(el('li', s.time + '  ' + s.status + (s.reason ? '  ' + s.reason : '')));
        });
        cell.appendChild(el('div', '_id ' + d._id + ', ' + d.okHealthCheckCount + ' ok, '
          + d.failedHealthCheckCount + ' failed in a row, source ' + d.source));
        cell.appendChild(list);
        cell.appendChild(logSection(d._id));
        detail.appendChild(cell);
        body.appendChild(detail);
      }
    });
    var active = devices.filter(function (d) { return d.status === 'active'; }).length;
    status.textContent = devices.length + ' device(s), ' + active + ' active';
  }

  // One log line as text: the supervisor's timestamp, level, message and function when it sent them
  // (the reference Python supervisor's fields), else the whole line as JSON.
  function logText(line) {
    var d = line.logData || {};
    var level = d.loglevel || d.levelname || d.level || '';
    var message = typeof d.message === 'string' ? d.message : JSON.stringify(d);
    return (d.timestamp || line.received) + '  ' + (level ? level + '  ' : '') + message
      + (d.funcName ? '  (' + d.funcName + ')' : '');
  }

  function logSection(id) {
    var section = el('div', null, 'wasmiot-logs');
    var lines = logs[id];
    section.appendChild(el('div', 'Log lines (newest last)' + (lines === 'loading' ? ': loading...'
      : lines && lines.error ? ': ' + lines.error : lines && lines.length === 0 ? ': none yet' : '')));
    if (lines && lines.length) {
      var list = el('ul');
      lines.forEach(function (line) { list.appendChild(el('li', logText(line))); });
      section.appendChild(list);
    }
    return section;
  }

  function loadLogs(id) {
    logs[id] = 'loading';
    fetch(pluginRoot + '/logs?id=' + encodeURIComponent(id), { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
      .then(function (lines) { if (expanded[id]) { logs[id] = lines.slice(-MAX_LOG_LINES); renderSoon(); } })
      .catch(function (e) { if (expanded[id]) { logs[id] = { error: 'cannot read them (' + e.message + ')' }; renderSoon(); } });
  }

  // A live line for an open row (the event stream's LOG event).
  function logEvent(event) {
    var d = JSON.parse(event.data);
    var lines = logs[d.deviceId];
    if (!expanded[d.deviceId] || !Array.isArray(lines)) { return; }
    lines.push({ received: d.time, logData: d.logData });
    if (lines.length > MAX_LOG_LINES) { lines.shift(); }
    renderSoon();
  }

  function renderSoon() {
    if (renderTimer) { return; }
    renderTimer = setTimeout(function () { renderTimer = null; render(); }, 200);
  }

  function load() {
    return fetch(api, { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
      .then(function (list) { devices = list; render(); })
      .catch(function (e) { status.textContent = 'Cannot read the devices: ' + e.message; });
  }

  function reloadSoon() {
    if (reloadTimer) { return; }
    reloadTimer = setTimeout(function () { reloadTimer = null; load(); }, 200);
  }

  document.getElementById('wasmiot-rescan').addEventListener('click', function () { action('rescan'); });
  document.getElementById('wasmiot-register').addEventListener('submit', function (event) {
    event.preventDefault();
    var f = event.target;
    action('register', { address: f.address.value, port: f.port.value, name: f.name.value });
  });
  setInterval(function () {
    document.querySelectorAll('#wasmiot-devices td.wasmiot-age').forEach(function (td) {
      td.textContent = age(td.getAttribute('data-time'));
    });
  }, 1000);

  var events = new EventSource(api + '/events');
  ['ADDED', 'UPDATED', 'STATUS_CHANGED', 'REMOVED'].forEach(function (type) {
    events.addEventListener(type, reloadSoon);
  });
  events.addEventListener('LOG', logEvent);
  load();
})();
