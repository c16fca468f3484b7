// The draft on the knowledge page: changes wait in one draft so that they can be seen together
// (Preview: the answers that change, the test figures before and after) and reach patients at
// once, only when the checks pass (422 otherwise) and never over a colleague's publish made in
// between (409: a button moves them onto it). Its id is kept in localStorage so that a
// reload finds it again.
(function () {
  'use strict';

  var K = window.citedKnowledge;
  var S = window.citedStaff;
  var el = S.el;
  var $ = K.$, str = K.str, say = K.say, fail = K.fail, labelOf = K.labelOf;
  var API = K.API;
  var state = K.state;
  var DRAFT_KEY = 'cited.knowledge.draft';

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
    K.renderFacts();
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
      K.loadFacts();
      K.loadHistory();
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
      K.loadFacts();
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

  K.rememberDraft = rememberDraft;
  K.ensureDraft = ensureDraft;
  K.loadDraft = loadDraft;
  K.draftTouches = draftTouches;
  K.changeList = changeList;
  K.preview = preview;
  K.publish = publish;
  K.discard = discard;
})();
