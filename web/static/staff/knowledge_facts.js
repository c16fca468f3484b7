// The facts as patients are answered from them, and teaching: a patient's wording the assistant
// missed (?teach=WORDING, linked from insights) becomes a way to ask the fact that should have answered
// it, in one click. Both show facts as cards and lead to the editor or the draft.
(function () {
  'use strict';

  var K = window.citedKnowledge;
  var S = window.citedStaff;
  var el = S.el;
  var $ = K.$, str = K.str, say = K.say, fail = K.fail, labelOf = K.labelOf;
  var API = K.API;
  var state = K.state;

  function sourceHref(id, quote) { return '/source?id=' + encodeURIComponent(id) + (quote ? '&q=' + encodeURIComponent(quote) : ''); }

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
    if (K.draftTouches(f.id)) badges.appendChild(el('span', 'badge no_answer', 'changed in your draft'));
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
    edit.addEventListener('click', function () { K.openEditor(f, false); });
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
      K.rememberDraft(d);
      btn.textContent = 'Added to your draft';
      say('“' + wording + '” will be answered by “' + f.label + '” once you publish the draft.');
      $('draft-h').focus();
    }, function (e) { btn.disabled = false; fail(e); });
  }

  K.renderFacts = renderFacts;
  K.loadFacts = loadFacts;
  K.teach = teach;
  K.teachFind = teachFind;
})();
