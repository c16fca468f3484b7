// The knowledge page (/staff/knowledge): browse the facts the assistant answers from, teach it a
// patient's wording, edit a fact with live checks, add a source, then preview and publish the
// draft, or restore an earlier publish. Each of those jobs has its own file (knowledge_*.js,
// loaded after this one in knowledge.html); this one holds what they share and starts the page.
// The files share window.citedKnowledge as common.js shares window.citedStaff: there is no build
// step. A file calls another's function through the namespace at call time (K.loadFacts()), so
// the order the files load in only matters for this one, which must come first.
// Everything from the server goes into the page with textContent, never as HTML.
(function () {
  'use strict';

  var S = window.citedStaff;
  var status = document.getElementById('status');

  var K = window.citedKnowledge = {
    API: '/api/staff/knowledge/',
    state: {
      draft: null,        // the open draft, as the server gives it
      facts: [],          // the facts shown
      allFacts: {},       // id -> fact, every fact seen (for labels and related ids)
      sources: {},        // id -> {id, title, text?}: every source seen in a citation or added
      topic: '',
      q: '',
      editing: null,      // {isNew, original} while the editor is open
      teach: null         // the wording being taught
    },
    $: function (id) { return document.getElementById(id); },
    str: function (v) { return typeof v === 'string' ? v : ''; },
    say: function (text, isError) {
      status.textContent = text || '';
      status.classList.toggle('error', !!isError);
    },
    fail: function (e) { K.say(e && e.message ? e.message : String(e), true); },
    labelOf: function (f) { return f && f.questions && f.questions.length ? f.questions[0] : (f ? f.id : ''); }
  };

  // The job files run after this one, so the controls are wired once they all have (deferred
  // scripts all run before DOMContentLoaded).
  document.addEventListener('DOMContentLoaded', function () {
    var $ = K.$, state = K.state;

    $('search-form').addEventListener('submit', function (e) { e.preventDefault(); state.q = $('search').value.trim(); K.loadFacts(); });
    $('new-fact').addEventListener('click', function () { K.openEditor({ topic: state.topic || 'general', questions: [] }, true); });
    $('teach-find').addEventListener('submit', K.teachFind);
    $('teach-new').addEventListener('click', function () { K.openEditor({ topic: 'general', questions: state.teach ? [state.teach] : [] }, true); });
    $('add-citation').addEventListener('click', function () { $('f-citations').appendChild(K.citationRow({})); K.renumber(); });
    $('fact-form').addEventListener('submit', K.saveFact);
    $('fact-form').addEventListener('input', function (e) { if (!e.target.closest('.citation-row')) K.scheduleCheck(); });
    $('fact-form').addEventListener('change', function (e) { if (e.target.type === 'checkbox' || e.target.id === 'f-topic') K.scheduleCheck(); });
    $('remove-fact').addEventListener('click', K.removeFact);
    $('cancel-edit').addEventListener('click', K.closeEditor);
    $('picker-use').addEventListener('click', K.usePicked);
    $('picker-close').addEventListener('click', K.parkPicker);
    $('source-form').addEventListener('submit', K.addSource);
    $('preview').addEventListener('click', K.preview);
    $('publish').addEventListener('click', K.publish);
    $('discard').addEventListener('click', K.discard);

    S.ready.then(function () {
      var wording = new URLSearchParams(location.search).get('teach');
      return Promise.all([K.loadFacts(), K.loadDraft().catch(K.fail), K.loadHistory()]).then(function () {
        if (wording && wording.trim()) { K.teach(wording.trim()); $('teach-h').focus(); }
      });
    }, K.fail);
  });
})();
