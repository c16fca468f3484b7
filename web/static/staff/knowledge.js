// The knowledge page (/staff/knowledge): browse the facts the assistant answers from (by topic
// and search, with their citations, phrasings and how often they were served and thumbed),
// teach it a patient's wording (?teach=WORDING: the nearest facts, one click adds the wording as
// a phrasing), edit or add a fact with live checks shown next to each field, add a source, and
// the draft: its edits, Preview (changed answers old and new, eval figures before and after),
// Publish (409: what changed since the draft began; 422: the checks that fail), History with
// Restore. Everything from the server goes into the page with textContent, never as HTML.
(function () {
  'use strict';

  var S = window.citedStaff;
  var el = S.el;
  var API = '/api/staff/knowledge/';
  var DRAFT_KEY = 'cited.knowledge.draft';
  var TOPICS = ['cost', 'permanence', 'pain', 'risks', 'sessions', 'aftercare', 'candidates', 'procedure',
    'comparison', 'results', 'general'];

  var status = document.getElementById('status');
  var state = {
    draft: null,        // the open draft, as the server gives it
    facts: [],          // the facts shown
    allFacts: {},       // id -> fact, every fact seen (for labels and related ids)
    sources: {},        // id -> {id, title, text?}: every source seen in a citation or added
    topic: '',
    q: '',
    editing: null,      // {isNew, original} while the editor is open
    teach: null         // the wording being taught
  };

  function $(id) { return document.getElementById(id); }
  function str(v) { return typeof v === 'string' ? v : ''; }
  function say(text, isError) {
    status.textContent = text || '';
    status.classList.toggle('error', !!isError);
  }
  function fail(e) { say(e && e.message ? e.message : String(e), true); }
  function labelOf(f) { return f && f.questions && f.questions.length ? f.questions[0] : (f ? f.id : ''); }
  function sourceHref(id, quote) { return '/source?id=' + encodeURIComponent(id) + (quote ? '&q=' + encodeURIComponent(quote) : ''); }

  // ---- the draft -------------------------------------------------------------------------

  function rememberDraft(d) {
    state.draft = d && d.status === 'open' ? d : null;
    try {
      if (state.draft) localStorage.setItem(DRAFT_KEY, state.draft.draft_id); else localStorage.removeItem(DRAFT_KEY);
    } catch (e) { /* private mode: the draft lasts as long as the page */ }
    renderDraft();
    return state.draft;
  }

  function ensureDraft() {
    if (state.draft) return Promise.resolve(state.draft);
    return S.api('POST', API + 'drafts', {}).then(rememberDraft);
  }

  function loadDraft() {
    var id = null;
    try { id = localStorage.getItem(DRAFT_KEY); } catch (e) { id = null; }
    var pick = id ? S.api('GET', API + 'drafts/' + encodeURIComponent(id)).catch(function () { return null; })
      : Promise.resolve(null);
    return pick.then(function (d) {
      if (d && d.status === 'open') return d;
      // Another tab's or a colleague's open draft of mine: take the newest one I started.
      return S.api('GET', API + 'drafts?status=open').then(function (list) {
        var me = S.me() && S.me().email;
        var mine = (list.drafts || []).filter(function (x) { return x.created_by === me && x.edits > 0; });
        if (!mine.length) return null;
        return S.api('GET', API + 'drafts/' + encodeURIComponent(mine[0].draft_id));
      });
    }).then(rememberDraft);
  }

  function describeEdit(e) {
    switch (e.kind) {
      case 'phrasing_added': {
        var f = state.allFacts[e.fact_id];
        return ['New way to ask', '“' + e.phrasing + '” for “' + (f ? labelOf(f) : e.fact_id) + '”'];
      }
      case 'fact_changed': return ['Changed fact', labelOf(e.fact) + ' (' + e.fact.id + ')'];
      case 'fact_added': return ['New fact', labelOf(e.fact) + ' (' + e.fact.id + ')'];
      case 'fact_removed': return ['Removed fact', e.fact_id];
      case 'source_added': return ['New source', e.source ? e.source.title : ''];
      default: return [e.kind, ''];
    }
  }

  function problemList(problems, conflicts, redFlags) {
    var box = el('ul', 'problem-list');
    (problems || []).forEach(function (p) {
      var where = p.fact ? 'Fact “' + (state.allFacts[p.fact] ? labelOf(state.allFacts[p.fact]) : p.fact) + '”' :
        (p.source ? 'Source ' + p.source : 'The knowledge');
      var li = el('li', p.severity === 'advice' ? 'advice' : 'required');
      li.appendChild(el('strong', null, (p.severity === 'advice' ? 'Advice · ' : 'Must fix · ') + where + ': '));
      li.appendChild(document.createTextNode(str(p.message)));
      box.appendChild(li);
    });
    (conflicts || []).forEach(function (c) {
      var li = el('li', 'required');
      li.appendChild(el('strong', null, 'No longer fits · ' + str(c.fact) + ': '));
      li.appendChild(document.createTextNode(str(c.message)));
      box.appendChild(li);
    });
    (redFlags || []).forEach(function (r) {
      var li = el('li', 'required');
      li.appendChild(el('strong', null, 'Urgent question no longer urgent: '));
      li.appendChild(document.createTextNode('“' + str(r.question) + '” would not be answered as urgent any more.'));
      box.appendChild(li);
    });
    return box;
  }

  function renderDraft() {
    var d = state.draft;
    var list = $('edits');
    list.replaceChildren();
    var n = d ? (d.edits || []).length : 0;
    $('draft-summary').textContent = !d || !n ? 'No changes yet. Edit a fact, teach a wording or add a source to start a draft.' :
      n + (n === 1 ? ' change' : ' changes') + ', not yet published' + (d.stale ? ' (the knowledge was published by someone else since you started)' : '') + '.';
    (d ? d.edits || [] : []).forEach(function (item) {
      var parts = describeEdit(item.edit || {});
      var li = el('li', 'edit-item');
      li.setAttribute('data-edit-id', item.edit_id);
      var text = el('span', 'edit-text');
      text.appendChild(el('strong', null, parts[0] + ': '));
      text.appendChild(document.createTextNode(parts[1]));
      li.appendChild(text);
      var rm = el('button', 'btn small', 'Undo');
      rm.type = 'button';
      rm.setAttribute('aria-label', 'Undo: ' + parts[0] + ' ' + parts[1]);
      rm.addEventListener('click', function () {
        rm.disabled = true;
        S.api('POST', API + 'drafts/' + encodeURIComponent(d.draft_id) + '/edits/' + item.edit_id + '/remove', {})
          .then(rememberDraft, function (e) { rm.disabled = false; fail(e); });
      });
      li.appendChild(rm);
      list.appendChild(li);
    });
    var probs = $('draft-problems');
    var required = d ? (d.problems || []).filter(function (p) { return p.severity !== 'advice'; }) : [];
    var shown = d ? (d.problems || []).filter(function (p) { return p.severity !== 'advice' || draftTouches(p.fact); }) : [];
    probs.replaceChildren();
    if (shown.length || (d && (d.conflicts || []).length)) {
      probs.appendChild(el('p', null, required.length || (d.conflicts || []).length ?
        'Fix these before publishing:' : 'Worth a look (publishing is not refused):'));
      probs.appendChild(problemList(shown, d.conflicts));
      probs.hidden = false;
    } else {
      probs.hidden = true;
    }
    renderFacts();
    $('preview').disabled = !n;
    $('publish').disabled = !n;
    $('discard').disabled = !d;
  }

  // Advice about facts this draft does not touch is the corpus's, not the draft's: not shown.
  function draftTouches(factId) {
    if (!state.draft || !factId) return false;
    return (state.draft.edits || []).some(function (item) {
      var e = item.edit || {};
      return e.fact_id === factId || (e.fact && e.fact.id === factId);
    });
  }

  function figures(set) {
    var keys = ['overall', 'answerable', 'abstention', 'urgent', 'citations', 'numbers', 'conflicts', 'small_talk', 'calm'];
    return keys.filter(function (k) { return set && set[k] && set[k].total; });
  }

  function tally(t) { return t ? t.right + '/' + t.total : '–'; }

  function renderPreview(p) {
    var box = $('preview-result');
    box.replaceChildren();
    box.appendChild(el('h3', null, 'Preview'));
    box.appendChild(el('p', 'preview-count', p.changed_count + ' of ' + p.compared + ' questions would be answered differently.'));
    if (p.stale) box.appendChild(el('p', 'notice warn', 'The knowledge was published by someone else since you started this draft; publishing will tell you what changed.'));
    var ol = el('ol', 'changes');
    (p.changed || []).forEach(function (c) {
      var li = el('li', 'change');
      li.appendChild(el('p', 'patient-turn', c.question));
      li.appendChild(el('p', 'help', 'From: ' + (c.sets || []).map(function (s) { return s === 'log' ? 'patients’ questions (last 30 days)' : s; }).join(', ')));
      var pair = el('div', 'side-by-side');
      [['Now', c.old, 'old'], ['After publishing', c.new, 'new']].forEach(function (side) {
        var col = el('div', 'side ' + side[2]);
        col.appendChild(el('h4', null, side[0]));
        var a = side[1] || {};
        col.appendChild(el('span', 'badge ' + str(a.status), str(a.status).replace('_', ' ')));
        col.appendChild(el('p', 'answer', str(a.text)));
        if ((a.citations || []).length) {
          var cl = el('ol', 'citations');
          a.citations.forEach(function (ct) {
            var q = el('li');
            q.appendChild(el('span', 'cite-n', '[' + ct.n + '] '));
            q.appendChild(document.createTextNode(str(ct.quote)));
            cl.appendChild(q);
          });
          col.appendChild(cl);
        }
        pair.appendChild(col);
      });
      li.appendChild(pair);
      ol.appendChild(li);
    });
    box.appendChild(ol);
    if (p.changed_count > (p.changed || []).length) box.appendChild(el('p', 'help', 'The first ' + p.changed.length + ' are listed.'));

    var before = (p.eval && p.eval.before) || {};
    var after = (p.eval && p.eval.after) || {};
    var sets = Object.keys(before);
    if (sets.length) {
      box.appendChild(el('h3', null, 'Test questions: right answers before and after'));
      var wrap = el('div', 'table-wrap');
      var table = el('table', 'eval-table');
      var head = el('tr');
      ['Question set', 'Figure', 'Now', 'After', ''].forEach(function (h) { var th = el('th', null, h); th.scope = 'col'; head.appendChild(th); });
      var thead = el('thead'); thead.appendChild(head); table.appendChild(thead);
      var tbody = el('tbody');
      sets.forEach(function (set) {
        figures(before[set]).forEach(function (k) {
          var b = before[set][k], a = (after[set] || {})[k];
          var tr = el('tr');
          tr.appendChild(el('td', null, set));
          tr.appendChild(el('td', null, k.replace('_', ' ')));
          tr.appendChild(el('td', 'num', tally(b)));
          tr.appendChild(el('td', 'num', tally(a)));
          var diff = a ? a.right - b.right : 0;
          tr.appendChild(el('td', 'num ' + (diff > 0 ? 'up' : diff < 0 ? 'down' : ''), diff > 0 ? '+' + diff : diff < 0 ? String(diff) : ''));
          if (diff) tr.classList.add('moved');
          tbody.appendChild(tr);
        });
      });
      table.appendChild(tbody);
      wrap.appendChild(table);
      box.appendChild(wrap);
    }
    var ch = p.checks || {};
    if (ch.ok === false) {
      box.appendChild(el('p', 'notice warn', 'Publishing would be refused until these are fixed:'));
      box.appendChild(problemList((ch.problems || []).filter(function (x) { return x.severity !== 'advice'; }), ch.conflicts, ch.lost_red_flags));
    }
    box.hidden = false;
  }

  function changeList(changes) {
    var kinds = { fact_added: 'Fact added', fact_changed: 'Fact changed', fact_removed: 'Fact removed',
      source_added: 'Source added', source_removed: 'Source removed' };
    var ul = el('ul', 'change-list');
    (changes || []).forEach(function (c) {
      ul.appendChild(el('li', null, (kinds[c.kind] || c.kind) + ': ' + (str(c.label) || c.id)));
    });
    if (!ul.childElementCount) ul.appendChild(el('li', null, 'No details were recorded.'));
    return ul;
  }

  function preview() {
    var d = state.draft;
    if (!d) return;
    var btn = $('preview');
    btn.disabled = true;
    say('Working out what the draft changes… this asks every test question and last month’s questions of both versions.');
    S.api('POST', API + 'drafts/' + encodeURIComponent(d.draft_id) + '/preview', {}).then(function (p) {
      say('');
      renderPreview(p);
    }, fail).then(function () { btn.disabled = false; });
  }

  function publish() {
    var d = state.draft;
    if (!d) return;
    var btn = $('publish');
    var box = $('publish-result');
    btn.disabled = true;
    box.hidden = true;
    say('Publishing…');
    S.api('POST', API + 'drafts/' + encodeURIComponent(d.draft_id) + '/publish', {}).then(function (r) {
      box.replaceChildren();
      box.className = 'publish-result notice';
      box.appendChild(el('p', null, 'Published. Patients get the new answers now.'));
      if (r.warning) box.appendChild(el('p', 'notice warn', r.warning));
      box.appendChild(changeList(r.summary));
      box.hidden = false;
      $('preview-result').hidden = true;
      say('');
      rememberDraft(null);
      loadFacts();
      loadHistory();
    }, function (e) {
      var body = e.body || {};
      box.replaceChildren();
      box.className = 'publish-result notice warn';
      if (e.status === 409) {
        box.appendChild(el('p', null, 'Someone published changes since you started this draft, so yours were not published (nothing was overwritten). What changed since you started:'));
        box.appendChild(changeList(body.changes));
        var again = el('button', 'btn', 'Move my changes onto the new version');
        again.type = 'button';
        again.id = 'rebase';
        again.addEventListener('click', function () { rebase(d, again); });
        box.appendChild(again);
        say('');
      } else if (e.status === 422) {
        var ch = body.checks || {};
        box.appendChild(el('p', null, 'Not published: fix these first.'));
        box.appendChild(problemList((ch.problems || []).filter(function (x) { return x.severity !== 'advice'; }), ch.conflicts, ch.lost_red_flags));
        say('');
      } else {
        fail(e);
        box.appendChild(el('p', null, e.message));
      }
      box.hidden = false;
      btn.disabled = false;
    });
  }

  // A new draft on the current version holding the same edits; the old one is discarded.
  function rebase(old, btn) {
    btn.disabled = true;
    S.api('POST', API + 'drafts', {}).then(function (fresh) {
      var chain = Promise.resolve(fresh);
      (old.edits || []).forEach(function (item) {
        chain = chain.then(function () { return S.api('POST', API + 'drafts/' + encodeURIComponent(fresh.draft_id) + '/edits', item.edit); });
      });
      return chain.then(function (last) {
        return S.api('POST', API + 'drafts/' + encodeURIComponent(old.draft_id) + '/discard', {}).catch(function () {}).then(function () { return last; });
      });
    }).then(function (d) {
      rememberDraft(d);
      $('publish-result').hidden = true;
      say('Your changes are now on the current version: preview them again, then publish.');
      loadFacts();
    }, function (e) { btn.disabled = false; fail(e); });
  }

  function discard() {
    var d = state.draft;
    if (!d) return;
    S.api('POST', API + 'drafts/' + encodeURIComponent(d.draft_id) + '/discard', {}).then(function () {
      rememberDraft(null);
      $('preview-result').hidden = true;
      $('publish-result').hidden = true;
      say('The draft was discarded.');
    }, fail);
  }

  // ---- facts -----------------------------------------------------------------------------

  function noteSources(f) {
    (f.citations || []).forEach(function (c) {
      if (c.source && !state.sources[c.source]) state.sources[c.source] = { id: c.source, title: str(c.title) || c.source };
    });
  }

  function factCard(f) {
    var li = el('li', 'card fact-card');
    li.setAttribute('data-fact', f.id);
    var head = el('header');
    head.appendChild(el('h3', 'fact-label', labelOf(f)));
    var badges = el('span', 'badges');
    badges.appendChild(el('span', 'badge smalltalk', f.topic));
    if (f.clinic) badges.appendChild(el('span', 'badge answered', 'clinic'));
    if (f.conflict) badges.appendChild(el('span', 'badge conflict', 'sources disagree'));
    if (draftTouches(f.id)) badges.appendChild(el('span', 'badge no_answer', 'changed in your draft'));
    head.appendChild(badges);
    li.appendChild(head);
    li.appendChild(el('p', 'answer', f.answer));
    var cites = el('ol', 'citations');
    (f.citations || []).forEach(function (c) {
      var ci = el('li');
      var ch = el('div', 'cite-head');
      ch.appendChild(el('span', 'cite-n', '[' + c.n + ']'));
      var a = el('a', 'cite-title', str(c.title) || c.source);
      a.href = sourceHref(c.source, c.quote);
      a.target = '_blank';
      a.rel = 'noopener';
      a.setAttribute('aria-label', 'Open the source “' + (str(c.title) || c.source) + '” with the passage highlighted');
      ch.appendChild(a);
      ci.appendChild(ch);
      ci.appendChild(el('blockquote', null, c.quote));
      cites.appendChild(ci);
    });
    li.appendChild(cites);
    var usage = el('p', 'usage');
    usage.appendChild(el('span', 'served', 'Served ' + (f.served || 0) + '×'));
    usage.appendChild(el('span', 'up', '👍 ' + (f.up || 0)));
    usage.appendChild(el('span', 'down', '👎 ' + (f.down || 0)));
    usage.appendChild(el('span', 'help', 'last 30 days'));
    li.appendChild(usage);
    var det = el('details', 'phrasings');
    det.appendChild(el('summary', null, 'Ways patients ask (' + (f.questions || []).length + ')'));
    var ql = el('ul');
    (f.questions || []).forEach(function (q) { ql.appendChild(el('li', null, q)); });
    det.appendChild(ql);
    li.appendChild(det);
    var actions = el('div', 'actions');
    var edit = el('button', 'btn small', 'Edit');
    edit.type = 'button';
    edit.setAttribute('aria-label', 'Edit “' + labelOf(f) + '”');
    edit.addEventListener('click', function () { openEditor(f, false); });
    actions.appendChild(edit);
    li.appendChild(actions);
    return li;
  }

  function renderFacts() {
    var list = $('facts');
    list.replaceChildren();
    state.facts.forEach(function (f) { list.appendChild(factCard(f)); });
  }

  function renderTopics(topics) {
    var box = $('topics');
    box.replaceChildren();
    [{ topic: '', facts: null }].concat(topics || []).forEach(function (t) {
      var b = el('button', 'chip', (t.topic || 'All topics') + (t.facts !== null ? ' (' + t.facts + ')' : ''));
      b.type = 'button';
      b.setAttribute('aria-pressed', String(state.topic === t.topic));
      b.addEventListener('click', function () { state.topic = t.topic; loadFacts(); });
      box.appendChild(b);
    });
  }

  function loadFacts() {
    var qs = '?topic=' + encodeURIComponent(state.topic) + '&q=' + encodeURIComponent(state.q);
    return S.api('GET', API + 'facts' + qs).then(function (r) {
      state.facts = r.facts || [];
      state.facts.forEach(function (f) { state.allFacts[f.id] = f; noteSources(f); });
      renderTopics(r.topics);
      renderFacts();
      $('facts-count').textContent = state.facts.length ? state.facts.length + (state.facts.length === 1 ? ' fact' : ' facts') +
        (state.q ? ' matching “' + state.q + '”' : '') : 'No fact matches.';
      var ids = $('fact-ids');
      ids.replaceChildren();
      Object.keys(state.allFacts).sort().forEach(function (id) { var o = el('option'); o.value = id; ids.appendChild(o); });
      return r;
    }, fail);
  }

  // ---- teach -----------------------------------------------------------------------------

  function teach(wording) {
    state.teach = wording;
    $('teach').hidden = false;
    $('teach-wording').textContent = wording;
    var list = $('nearest');
    list.replaceChildren(el('li', 'help', 'Finding the nearest facts…'));
    S.api('GET', API + 'nearest?q=' + encodeURIComponent(wording)).then(function (r) {
      var a = r.answer || {};
      $('teach-answer').textContent = a.status === 'answered' ? 'The assistant answers it now with: ' + str(a.text) :
        a.status === 'no_answer' ? 'The assistant could not answer it.' : 'The assistant answers it as ' + str(a.status).replace('_', ' ') + '.';
      list.replaceChildren();
      (r.facts || []).forEach(function (f) { list.appendChild(teachCard(f, wording)); });
      if (!list.childElementCount) list.appendChild(el('li', 'help', 'No fact is near this wording: write a new fact for it.'));
    }, function (e) { list.replaceChildren(el('li', 'field-error', e.message)); });
  }

  // A fact offered for the wording being taught, with the one button that teaches it.
  function teachCard(f, wording) {
    var label = str(f.label) || labelOf(f);
    var li = el('li', 'card nearest-fact');
    li.setAttribute('data-fact', f.id);
    var head = el('header');
    head.appendChild(el('h3', 'fact-label', label));
    head.appendChild(el('span', 'badge smalltalk', f.topic));
    li.appendChild(head);
    li.appendChild(el('p', 'answer', f.answer));
    var actions = el('div', 'actions');
    var add = el('button', 'btn primary small teach-add', 'Add as a way to ask this');
    add.type = 'button';
    add.addEventListener('click', function () { addPhrasing({ id: f.id, label: label }, wording, add); });
    actions.appendChild(add);
    li.appendChild(actions);
    return li;
  }

  function teachFind(e) {
    e.preventDefault();
    var q = $('teach-q').value.trim();
    var out = $('teach-found');
    if (!q || !state.teach) { out.replaceChildren(); return; }
    S.api('GET', API + 'facts?q=' + encodeURIComponent(q)).then(function (r) {
      out.replaceChildren();
      (r.facts || []).slice(0, 20).forEach(function (f) { out.appendChild(teachCard(f, state.teach)); });
      if (!out.childElementCount) out.appendChild(el('li', 'help', 'No fact has “' + q + '” in it.'));
    }, fail);
  }

  function addPhrasing(f, wording, btn) {
    btn.disabled = true;
    var body = { fact_id: f.id, phrasing: wording };
    if (state.draft) body.draft_id = state.draft.draft_id;
    S.api('POST', API + 'phrasings', body).then(function (d) {
      rememberDraft(d);
      btn.textContent = 'Added to your draft';
      say('“' + wording + '” will be answered by “' + f.label + '” once you publish the draft.');
      $('draft-h').focus();
    }, function (e) { btn.disabled = false; fail(e); });
  }

  // ---- the editor ------------------------------------------------------------------------

  var checkTimer = null;
  var checkSeq = 0;

  function citationRow(c) {
    var li = el('li', 'citation-row');
    var srcLabel = el('label', null, 'Source');
    var sel = el('select', 'c-source');
    var id = 'c-src-' + Math.random().toString(36).slice(2);
    sel.id = id;
    srcLabel.htmlFor = id;
    fillSources(sel, c.source);
    var qLabel = el('label', null, 'Quote');
    var qa = el('textarea', 'c-quote');
    qa.rows = 3;
    qa.id = 'c-q-' + id.slice(6);
    qLabel.htmlFor = qa.id;
    qa.value = str(c.quote);
    var err = el('p', 'field-error');
    err.setAttribute('role', 'alert');
    var actions = el('div', 'actions');
    var pick = el('button', 'btn small', 'Select in the source');
    pick.type = 'button';
    pick.addEventListener('click', function () { openPicker(sel.value, qa); });
    var rm = el('button', 'btn small', 'Remove this quote');
    rm.type = 'button';
    rm.addEventListener('click', function () { if (li.contains($('source-picker'))) parkPicker(); li.remove(); renumber(); scheduleCheck(); });
    actions.appendChild(pick);
    actions.appendChild(rm);
    li.appendChild(el('span', 'cite-n'));
    li.appendChild(srcLabel);
    li.appendChild(sel);
    li.appendChild(qLabel);
    li.appendChild(qa);
    li.appendChild(err);
    li.appendChild(actions);
    sel.addEventListener('change', scheduleCheck);
    qa.addEventListener('input', scheduleCheck);
    return li;
  }

  function fillSources(sel, chosen) {
    sel.replaceChildren();
    var ids = Object.keys(state.sources);
    if (chosen && !state.sources[chosen]) ids.push(chosen);
    ids.sort(function (a, b) {
      var ta = (state.sources[a] || {}).title || a, tb = (state.sources[b] || {}).title || b;
      return ta.localeCompare(tb);
    });
    ids.forEach(function (id) {
      var o = el('option', null, ((state.sources[id] || {}).title || id) + ' · ' + id);
      o.value = id;
      if (id === chosen) o.selected = true;
      sel.appendChild(o);
    });
  }

  function renumber() {
    document.querySelectorAll('#f-citations .citation-row').forEach(function (row, i) {
      row.querySelector('.cite-n').textContent = '[' + (i + 1) + ']';
    });
  }

  // The fact as the draft has it: its later edits applied to the served one, so that editing it
  // does not drop a phrasing already taught in this draft.
  function draftFact(f) {
    var out = JSON.parse(JSON.stringify(f));
    (state.draft ? state.draft.edits || [] : []).forEach(function (item) {
      var e = item.edit || {};
      if ((e.kind === 'fact_changed' || e.kind === 'fact_added') && e.fact && e.fact.id === f.id) {
        out = JSON.parse(JSON.stringify(e.fact));
      } else if (e.kind === 'phrasing_added' && e.fact_id === f.id && (out.questions || []).indexOf(e.phrasing) < 0) {
        out.questions = (out.questions || []).concat([e.phrasing]);
      }
    });
    return out;
  }

  function openEditor(f, isNew) {
    if (!isNew) f = draftFact(f);
    state.editing = { isNew: isNew, original: f };
    $('editor-h').textContent = isNew ? 'Add a fact' : 'Edit “' + labelOf(f) + '”';
    $('f-id-field').hidden = !isNew;
    $('f-id').value = f.id || '';
    var topic = $('f-topic');
    topic.replaceChildren();
    TOPICS.forEach(function (t) { var o = el('option', null, t); o.value = t; topic.appendChild(o); });
    topic.value = f.topic || state.topic || 'general';
    $('f-answer').value = str(f.answer);
    $('f-questions').value = (f.questions || []).join('\n');
    $('f-related').value = (f.related || []).join(', ');
    $('f-conflict').checked = !!f.conflict;
    $('f-clinic').checked = !!f.clinic;
    var cl = $('f-citations');
    parkPicker();
    cl.replaceChildren();
    (f.citations && f.citations.length ? f.citations : [{}]).forEach(function (c) { cl.appendChild(citationRow(c)); });
    renumber();
    $('remove-fact').hidden = isNew;
    clearErrors();
    $('check-state').textContent = '';
    $('editor').hidden = false;
    $('editor-h').focus();
    $('editor').scrollIntoView({ block: 'start' });
    if (!isNew) scheduleCheck();
  }

  function factFromForm() {
    var ed = state.editing;
    var f = {
      id: ed.isNew ? $('f-id').value.trim() : ed.original.id,
      topic: $('f-topic').value,
      questions: $('f-questions').value.split('\n').map(function (s) { return s.trim(); }).filter(Boolean),
      answer: $('f-answer').value.trim(),
      citations: [],
      conflict: $('f-conflict').checked,
      related: $('f-related').value.split(',').map(function (s) { return s.trim(); }).filter(Boolean)
    };
    document.querySelectorAll('#f-citations .citation-row').forEach(function (row) {
      f.citations.push({ source: row.querySelector('.c-source').value, quote: row.querySelector('.c-quote').value });
    });
    if ($('f-clinic').checked) f.clinic = true;
    return f;
  }

  function editOf(f) { return { kind: state.editing.isNew ? 'fact_added' : 'fact_changed', fact: f }; }

  function clearErrors() {
    document.querySelectorAll('#fact-form .field-error').forEach(function (p) { p.textContent = ''; });
    document.querySelectorAll('#fact-form [aria-invalid]').forEach(function (n) { n.removeAttribute('aria-invalid'); });
  }

  // Where a problem's field ("answer", "questions[2]", "citations[0].quote", …) is shown.
  function errorSlot(field) {
    var m = /^citations\[(\d+)\](?:\.(\w+))?$/.exec(field);
    if (m) {
      var row = document.querySelectorAll('#f-citations .citation-row')[Number(m[1])];
      if (row) return { err: row.querySelector('.field-error'), input: row.querySelector(m[2] === 'source' ? '.c-source' : '.c-quote') };
      return { err: $('err-citations') };
    }
    var base = field.replace(/\[\d+\].*$/, '');
    var map = { id: 'f-id', topic: 'f-topic', answer: 'f-answer', questions: 'f-questions', related: 'f-related',
      conflict: 'f-conflict', clinic: 'f-clinic', citations: null };
    if (base in map) return { err: $('err-' + base), input: map[base] ? $(map[base]) : null };
    return { err: $('err-other') };
  }

  function showProblems(problems, conflicts, factId, editId) {
    clearErrors();
    var mine = (problems || []).filter(function (p) { return p.fact === factId; });
    mine.forEach(function (p) {
      var slot = errorSlot(str(p.field));
      var line = (p.severity === 'advice' ? 'Advice: ' : '') + str(p.message);
      slot.err.textContent = slot.err.textContent ? slot.err.textContent + ' ' + line : line;
      slot.err.classList.toggle('advice', p.severity === 'advice' && (slot.err.textContent === line || slot.err.classList.contains('advice')));
      if (slot.input && p.severity !== 'advice') slot.input.setAttribute('aria-invalid', 'true');
    });
    // The edit checked or saved does not apply: for a new fact, its id is another fact's already.
    var refused = (conflicts || []).filter(function (c) { return c.fact === factId && (c.edit_id === null || c.edit_id === editId); });
    refused.forEach(function (c) {
      var slot = errorSlot(state.editing && state.editing.isNew ? 'id' : '');
      slot.err.textContent = slot.err.textContent ? slot.err.textContent + ' ' + str(c.message) : str(c.message);
      if (slot.input) slot.input.setAttribute('aria-invalid', 'true');
    });
    var required = mine.filter(function (p) { return p.severity !== 'advice'; }).length + refused.length;
    $('check-state').textContent = required ? required + (required === 1 ? ' thing needs' : ' things need') + ' fixing before this can be published.' :
      'Checked: nothing stops this from being published.';
    return required;
  }

  function scheduleCheck() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(runCheck, 400);
  }

  function runCheck() {
    if (!state.editing) return Promise.resolve();
    var seq = ++checkSeq;
    var f = factFromForm();
    $('check-state').textContent = 'Checking…';
    return ensureDraft().then(function (d) {
      return S.api('POST', API + 'drafts/' + encodeURIComponent(d.draft_id) + '/check', editOf(f));
    }).then(function (r) {
      if (seq === checkSeq && state.editing) showProblems(r.problems, r.conflicts, f.id);
    }, function (e) {
      if (seq !== checkSeq) return;
      $('check-state').textContent = '';
      if (f.id) { $('err-other').textContent = e.message; return; }
      // A new fact is checked once it has a short name: until then, that is what is said, at the name.
      clearErrors();
      $('err-id').textContent = e.message;
      $('f-id').setAttribute('aria-invalid', 'true');
    });
  }

  function saveFact(e) {
    e.preventDefault();
    var f = factFromForm();
    var btn = $('save-fact');
    btn.disabled = true;
    ensureDraft().then(function (d) {
      return S.api('POST', API + 'drafts/' + encodeURIComponent(d.draft_id) + '/edits', editOf(f));
    }).then(function (d) {
      rememberDraft(d);
      var left = showProblems(d.problems, d.conflicts, f.id, d.edit_id);
      state.allFacts[f.id] = state.allFacts[f.id] || f;
      var taken = (d.conflicts || []).some(function (c) { return c.edit_id === d.edit_id; });
      if (left && state.editing && state.editing.isNew && !taken) {
        // A new fact saved is in the draft: what follows changes it there (not a second one with its id).
        state.editing = { isNew: false, original: f };
        $('f-id-field').hidden = true;
        $('editor-h').textContent = 'Edit “' + labelOf(f) + '”';
      }
      say(left ? 'Saved in your draft, but it cannot be published until the problems shown are fixed.' :
        'Saved in your draft. Preview it, then publish.');
      if (!left) closeEditor();
    }, function (err) {
      $('err-other').textContent = err.message;
    }).then(function () { btn.disabled = false; });
  }

  function removeFact() {
    var f = state.editing && state.editing.original;
    if (!f) return;
    ensureDraft().then(function (d) {
      return S.api('POST', API + 'drafts/' + encodeURIComponent(d.draft_id) + '/edits', { kind: 'fact_removed', fact_id: f.id });
    }).then(function (d) { rememberDraft(d); closeEditor(); say('The removal is in your draft.'); }, fail);
  }

  function closeEditor() {
    state.editing = null;
    clearTimeout(checkTimer);
    parkPicker();
    $('editor').hidden = true;
  }

  // ---- selecting a passage in a source ---------------------------------------------------

  var pickerTarget = null;

  // Back out of the citation row it was opened under (before that row goes), and hidden.
  function parkPicker() {
    var picker = $('source-picker');
    picker.hidden = true;
    if (picker.parentNode !== $('editor').parentNode) $('editor').after(picker);
  }

  function sourceText(id) {
    var s = state.sources[id];
    if (s && typeof s.text === 'string') return Promise.resolve(s);
    return fetch('/api/sources/' + encodeURIComponent(id), { headers: { Accept: 'application/json' } }).then(function (r) {
      if (!r.ok) throw new Error('This source could not be loaded (it may be new in your draft: paste the quote instead).');
      return r.json();
    }).then(function (src) {
      state.sources[id] = { id: id, title: str(src.title) || id, text: str(src.text) };
      return state.sources[id];
    });
  }

  function openPicker(id, textarea) {
    pickerTarget = textarea;
    sourceText(id).then(function (s) {
      $('picker-h').textContent = 'Select a passage in “' + s.title + '”';
      var box = $('picker-text');
      box.replaceChildren();
      s.text.split(/\n{2,}/).forEach(function (para) { box.appendChild(el('p', null, para)); });
      box.setAttribute('data-source', id);
      // Under the quote it fills, so that on a phone it opens where the finger is.
      var row = textarea.closest('.citation-row');
      if (row) row.appendChild($('source-picker'));
      $('source-picker').hidden = false;
      $('picker-h').focus();
    }, fail);
  }

  // The selection widened to the whole sentences it touches (as `cited index` wants quotes).
  function wholeSentences(para, start, end) {
    var ends = /[.!?…]["'”’)\]]*(?:[ \t]+|$)|\n/g;
    var s = 0, m;
    while ((m = ends.exec(para)) && m.index + m[0].length <= start) s = m.index + m[0].length;
    ends.lastIndex = Math.max(end - 1, 0);
    m = ends.exec(para);
    var e = m ? m.index + m[0].replace(/\s+$/, '').length : para.length;
    return para.slice(s, e).trim();
  }

  function usePicked() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !pickerTarget) { say('Select some text in the source first.', true); return; }
    var box = $('picker-text');
    var range = sel.getRangeAt(0);
    var paras = Array.prototype.filter.call(box.children, function (p) { return sel.containsNode(p, true); });
    if (!paras.length) { say('Select text inside the source.', true); return; }
    var parts = paras.map(function (p, i) {
      var t = p.textContent;
      var st = i === 0 && range.startContainer.parentNode === p ? range.startOffset : 0;
      var en = i === paras.length - 1 && range.endContainer.parentNode === p ? range.endOffset : t.length;
      return wholeSentences(t, st, en);
    });
    pickerTarget.value = parts.join('\n\n');
    parkPicker();
    pickerTarget.focus();
    say('');
    scheduleCheck();
  }

  // ---- sources ---------------------------------------------------------------------------

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var r = new FileReader();
      r.onload = function () { resolve(String(r.result)); };
      r.onerror = function () { reject(new Error('The file could not be read.')); };
      r.readAsText(file);
    });
  }

  function addSource(e) {
    e.preventDefault();
    document.querySelectorAll('#source-form .field-error').forEach(function (p) { p.textContent = ''; });
    document.querySelectorAll('#source-form [aria-invalid]').forEach(function (n) { n.removeAttribute('aria-invalid'); });
    var title = $('s-title').value.trim();
    var text = $('s-text').value;
    var file = $('s-file').files && $('s-file').files[0];
    var body;
    if (file) {
      if (!/\.(txt|md|markdown|html?|text)$/i.test(file.name)) { sourceError('s-file', 'Choose a .txt, .md or .html file.'); return; }
      body = readFile(file).then(function (content) {
        var b = { file_name: file.name, content: content };
        if (title) b.title = title;
        return b;
      });
    } else {
      if (!title) { sourceError('s-title', 'Give the page a title.'); return; }
      if (!text.trim()) { sourceError('s-text', 'Paste the page’s text, or choose a file.'); return; }
      body = Promise.resolve({ title: title, text: text });
    }
    Promise.all([body, ensureDraft()]).then(function (both) {
      return S.api('POST', API + 'drafts/' + encodeURIComponent(both[1].draft_id) + '/sources', both[0]);
    }).then(function (r) {
      rememberDraft(r);
      var s = r.source;
      state.sources[s.id] = { id: s.id, title: s.title, text: s.text };
      var out = $('source-result');
      out.replaceChildren();
      out.className = 'notice';
      out.appendChild(el('p', null, '“' + s.title + '” is in your draft. Quote it in a fact: it is in the list of sources of every quote.'));
      if ((r.review || []).length) {
        out.appendChild(el('p', null, 'These facts quote an older version of this page; check them:'));
        var ul = el('ul');
        r.review.forEach(function (x) { ul.appendChild(el('li', null, x.label + ' (' + x.fact + ')')); });
        out.appendChild(ul);
      }
      var write = el('button', 'btn small', 'Write a fact quoting it');
      write.type = 'button';
      write.addEventListener('click', function () {
        openEditor({ topic: 'general', questions: state.teach ? [state.teach] : [], citations: [{ source: s.id, quote: '' }], clinic: true }, true);
      });
      out.appendChild(write);
      out.hidden = false;
      $('source-form').reset();
      document.querySelectorAll('.c-source').forEach(function (sel) { fillSources(sel, sel.value); });
    }, function (x) { sourceError(file ? 's-file' : 's-text', x.message); });
  }

  // Under the source form's field it concerns (what the server says of a file, under the file).
  function sourceError(field, message) {
    $(field === 's-file' ? 'err-source' : 'err-' + field).textContent = message;
    $(field).setAttribute('aria-invalid', 'true');
  }

  // ---- history ---------------------------------------------------------------------------

  function loadHistory() {
    return S.api('GET', API + 'history').then(function (h) {
      var list = $('history');
      list.replaceChildren();
      (h.publishes || []).forEach(function (p) {
        var li = el('li', 'history-item');
        li.setAttribute('data-publish', p.publish_id);
        var when = typeof p.at === 'number' ? S.formatTime(p.at) : str(p.at);
        li.appendChild(el('p', null, '#' + p.publish_id + ' · ' + (p.restored_from ? 'Restored (undoing #' + p.restored_from + ')' : 'Published') +
          ' by ' + str(p.by) + ' · ' + when));
        li.appendChild(changeList(Array.isArray(p.summary) ? p.summary : []));
        var btn = el('button', 'btn small', 'Restore as before this');
        btn.type = 'button';
        var armed = false;
        btn.addEventListener('click', function () {
          if (!armed) { armed = true; btn.textContent = 'Yes, restore: undo this publish'; return; }
          btn.disabled = true;
          S.api('POST', API + 'history/' + p.publish_id + '/restore', {}).then(function () {
            say('Restored: the knowledge is as it was before that publish.');
            loadFacts();
            loadHistory();
          }, function (e) { btn.disabled = false; fail(e); });
        });
        li.appendChild(btn);
        list.appendChild(li);
      });
      if (!list.childElementCount) list.appendChild(el('li', 'help', 'Nothing published from here yet.'));
    }, fail);
  }

  // ---- wiring ----------------------------------------------------------------------------

  $('search-form').addEventListener('submit', function (e) { e.preventDefault(); state.q = $('search').value.trim(); loadFacts(); });
  $('new-fact').addEventListener('click', function () { openEditor({ topic: state.topic || 'general', questions: [] }, true); });
  $('teach-find').addEventListener('submit', teachFind);
  $('teach-new').addEventListener('click', function () { openEditor({ topic: 'general', questions: state.teach ? [state.teach] : [] }, true); });
  $('add-citation').addEventListener('click', function () { $('f-citations').appendChild(citationRow({})); renumber(); });
  $('fact-form').addEventListener('submit', saveFact);
  $('fact-form').addEventListener('input', function (e) { if (!e.target.closest('.citation-row')) scheduleCheck(); });
  $('fact-form').addEventListener('change', function (e) { if (e.target.type === 'checkbox' || e.target.id === 'f-topic') scheduleCheck(); });
  $('remove-fact').addEventListener('click', removeFact);
  $('cancel-edit').addEventListener('click', closeEditor);
  $('picker-use').addEventListener('click', usePicked);
  $('picker-close').addEventListener('click', parkPicker);
  $('source-form').addEventListener('submit', addSource);
  $('preview').addEventListener('click', preview);
  $('publish').addEventListener('click', publish);
  $('discard').addEventListener('click', discard);

  S.ready.then(function () {
    var wording = new URLSearchParams(location.search).get('teach');
    return Promise.all([loadFacts(), loadDraft().catch(fail), loadHistory()]).then(function () {
      if (wording && wording.trim()) { teach(wording.trim()); $('teach-h').focus(); }
    });
  }, fail);
})();
