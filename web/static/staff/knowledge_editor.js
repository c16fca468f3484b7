// The fact editor: a fact is checked as it is written (the draft's checks with this edit, 400 ms
// after the last keystroke, nothing saved) and each problem is shown at its field, so that it is
// fixed where it is made rather than found at publish time. A quote can be taken by selecting it
// in the source, widened to whole sentences as the index wants them.
(function () {
  'use strict';

  var K = window.citedKnowledge;
  var S = window.citedStaff;
  var el = S.el;
  var $ = K.$, str = K.str, say = K.say, fail = K.fail, labelOf = K.labelOf;
  var API = K.API;
  var state = K.state;
  var TOPICS = ['cost', 'permanence', 'pain', 'risks', 'sessions', 'aftercare', 'candidates', 'procedure',
    'comparison', 'results', 'general'];

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
    return K.ensureDraft().then(function (d) {
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
    K.ensureDraft().then(function (d) {
      return S.api('POST', API + 'drafts/' + encodeURIComponent(d.draft_id) + '/edits', editOf(f));
    }).then(function (d) {
      K.rememberDraft(d);
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
    K.ensureDraft().then(function (d) {
      return S.api('POST', API + 'drafts/' + encodeURIComponent(d.draft_id) + '/edits', { kind: 'fact_removed', fact_id: f.id });
    }).then(function (d) { K.rememberDraft(d); closeEditor(); say('The removal is in your draft.'); }, fail);
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

  K.openEditor = openEditor;
  K.citationRow = citationRow;
  K.fillSources = fillSources;
  K.renumber = renumber;
  K.scheduleCheck = scheduleCheck;
  K.saveFact = saveFact;
  K.removeFact = removeFact;
  K.closeEditor = closeEditor;
  K.parkPicker = parkPicker;
  K.usePicked = usePicked;
})();
