// The insights page (/staff/insights): for the chosen period, GET /api/staff/insights (figures
// computed by SQL aggregates on the server) and draw them: questions per day, how they were
// answered, the unanswered questions grouped (each group links to its conversations), top
// topics, the most-served answers with their thumbs, and the answers thumbed down.
(function () {
  'use strict';

  var S = window.citedStaff;
  var C = window.citedCharts;
  var el = S.el;
  var KEYS = ['answered', 'no_answer', 'urgent', 'smalltalk'];
  var form = document.getElementById('period');
  var from = document.getElementById('from');
  var to = document.getElementById('to');
  var csv = document.getElementById('csv');
  var status = document.getElementById('status');
  var report = document.getElementById('report');
  var conversation = document.getElementById('conversation');
  var turns = document.getElementById('turns');

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle('error', !!isError);
  }
  function day(ms) { return new Date(ms).toISOString().slice(0, 10); }
  function str(v) { return typeof v === 'string' ? v : ''; }

  function setDays(n) {
    var today = Date.now();
    to.value = day(today);
    from.value = day(today - (n - 1) * 86400000);
  }

  function query() { return '?from=' + encodeURIComponent(from.value) + '&to=' + encodeURIComponent(to.value); }

  function tile(label, value, note) {
    var t = el('div', 'tile');
    t.appendChild(el('span', 'tile-value', value));
    t.appendChild(el('span', 'tile-label', label));
    if (note) t.appendChild(el('span', 'tile-note', note));
    return t;
  }

  function conversationLink(id, n) {
    var a = el('a', 'conv-link', 'conversation ' + n);
    a.href = '#conversation=' + encodeURIComponent(id);
    return a;
  }

  // "This should have been answered by…": the knowledge page with the nearest facts to the wording.
  function teachLink(wording, text) {
    var a = el('a', 'teach-link', text || 'Teach');
    a.href = '/staff/knowledge?teach=' + encodeURIComponent(wording);
    a.setAttribute('aria-label', 'Teach the assistant to answer “' + wording + '”');
    return a;
  }

  function render(r) {
    report.hidden = false;
    var st = r.statuses || {};
    var summary = document.getElementById('summary');
    summary.replaceChildren(
      tile('questions', r.total || 0),
      tile('answered from the sources', st.answered || 0, r.total ? Math.round(100 * (st.answered || 0) / r.total) + '%' : ''),
      tile('not answered', st.no_answer || 0, r.total ? Math.round(100 * (st.no_answer || 0) / r.total) + '%' : ''),
      tile('urgent', st.urgent || 0),
      tile('hand-offs waiting', (r.handoffs && r.handoffs.new) || 0));
    C.perDay(document.getElementById('per-day'), Array.isArray(r.days) ? r.days : [], KEYS);
    C.share(document.getElementById('share'), st, KEYS);
    C.bars(document.getElementById('topics'), (r.topics || []).map(function (t) { return { label: t.topic, value: t.count }; }));

    var tbody = document.querySelector('#facts tbody');
    tbody.replaceChildren();
    (r.facts || []).forEach(function (f) {
      var tr = el('tr');
      var name = el('td', null, str(f.label) || str(f.fact));
      name.title = str(f.fact);
      tr.appendChild(name);
      tr.appendChild(el('td', 'num', f.served));
      tr.appendChild(el('td', 'num up', f.up));
      tr.appendChild(el('td', 'num down', f.down));
      tbody.appendChild(tr);
    });
    if (!tbody.childElementCount) {
      var none = el('tr');
      var td = el('td', 'help', 'No answers served in this period.');
      td.colSpan = 4;
      none.appendChild(td);
      tbody.appendChild(none);
    }

    var groups = document.getElementById('groups');
    groups.replaceChildren();
    var un = r.unanswered || {};
    (un.groups || []).forEach(function (g) {
      var li = el('li', 'group');
      var head = el('div', 'group-head');
      head.appendChild(el('span', 'group-count', g.count));
      head.appendChild(el('span', 'group-label', g.label));
      li.appendChild(head);
      var ex = el('ul', 'examples');
      (g.examples || []).forEach(function (q) {
        var item = el('li');
        item.appendChild(el('span', 'example', q));
        item.appendChild(document.createTextNode(' '));
        item.appendChild(teachLink(q));
        ex.appendChild(item);
      });
      li.appendChild(ex);
      // A few conversations to read, newest first; the CSV has them all.
      var convs = el('p', 'conversations');
      var list = g.conversations || [];
      convs.appendChild(document.createTextNode('Read '));
      list.slice(0, 5).forEach(function (c, i) {
        if (i) convs.appendChild(document.createTextNode(', '));
        convs.appendChild(conversationLink(c, i + 1));
      });
      if (list.length > 5) convs.appendChild(document.createTextNode(' (' + (g.count > list.length ? g.count : list.length) + ' in all)'));
      li.appendChild(convs);
      groups.appendChild(li);
    });
    if (!groups.childElementCount) groups.appendChild(el('li', 'help', 'Every question in this period was answered.'));

    var down = document.getElementById('thumbs-down');
    down.replaceChildren();
    (r.thumbs_down || []).forEach(function (t) {
      var li = el('li', 'down-item');
      li.appendChild(el('p', 'patient-turn', t.question));
      li.appendChild(el('p', 'help', 'Answered with: ' + ((t.fact_labels || []).join('; ') || str(t.status)) + ' · ' + S.formatTime(t.at)));
      if (str(t.comment)) li.appendChild(el('blockquote', 'quote', t.comment));
      var p = el('p', 'conversations');
      p.appendChild(conversationLink(t.conversation, 1));
      p.appendChild(document.createTextNode(' · '));
      p.appendChild(teachLink(t.question, 'Teach the right fact'));
      li.appendChild(p);
      down.appendChild(li);
    });
    if (!down.childElementCount) down.appendChild(el('li', 'help', 'No answer was thumbed down in this period.'));
    say(r.logging === false ? 'The conversation log is off on this server (--retain-days 0): nothing new is recorded.' : '');
  }

  function load() {
    if (!from.value || !to.value) { say('Choose the first and the last day.', true); return; }
    csv.href = '/api/staff/conversations.csv' + query();
    say('Loading…');
    S.api('GET', '/api/staff/insights' + query()).then(render, function (e) { say(e.message, true); });
  }

  function showConversation(id) {
    if (!id) { conversation.hidden = true; return; }
    S.api('GET', '/api/staff/conversations/' + encodeURIComponent(id)).then(function (c) {
      turns.replaceChildren();
      (c.turns || []).forEach(function (t) {
        var li = el('li', 'turn');
        li.appendChild(el('p', 'patient-turn', t.question));
        var meta = str(t.status).replace('_', ' ') + (t.fact_labels && t.fact_labels.length ? ': ' + t.fact_labels.join('; ') : '');
        if (t.helpful === true) meta += ' · 👍';
        if (t.helpful === false) meta += ' · 👎' + (str(t.comment) ? ' "' + t.comment + '"' : '');
        li.appendChild(el('p', 'help', S.formatTime(t.at) + ' · ' + meta));
        turns.appendChild(li);
      });
      conversation.hidden = false;
      document.getElementById('conversation-h').focus();
    }, function (e) { say(e.message, true); });
  }

  function fromHash() {
    var m = /^#conversation=(.+)$/.exec(location.hash);
    showConversation(m ? decodeURIComponent(m[1]) : null);
  }

  document.querySelectorAll('.presets .chip').forEach(function (chip) {
    chip.addEventListener('click', function () { setDays(Number(chip.getAttribute('data-days'))); load(); });
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); load(); });
  document.getElementById('close-conversation').addEventListener('click', function () {
    history.replaceState(null, '', location.pathname + location.search);
    conversation.hidden = true;
  });
  window.addEventListener('hashchange', fromHash);

  setDays(30);
  S.ready.then(function () { load(); fromHash(); }, function (e) { say(e.message, true); });
})();
