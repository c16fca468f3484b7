// Small charts for the insights page, drawn as inline SVG from the JSON the server computed (no
// library, nothing from another origin). Each is drawn at its container's width in real pixels,
// so its text stays readable on a phone, and drawn again when that width changes. Every chart
// has a text summary for screen readers (aria-label) and a <title> per mark.
(function () {
  'use strict';

  var NS = 'http://www.w3.org/2000/svg';
  var COLOURS = { answered: '#0f766e', no_answer: '#d08a0b', urgent: '#b91c1c', smalltalk: '#8792a2' };
  var LABELS = { answered: 'Answered', no_answer: 'No answer', urgent: 'Urgent', smalltalk: 'Small talk' };

  function svg(tag, attrs, text) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function legend(keys) {
    var ul = document.createElement('ul');
    ul.className = 'legend';
    keys.forEach(function (k) {
      var li = document.createElement('li');
      var sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = COLOURS[k] || '#999';
      li.appendChild(sw);
      li.appendChild(document.createTextNode(LABELS[k] || k));
      ul.appendChild(li);
    });
    return ul;
  }

  // Redraws draw() into container whenever its width changes.
  function responsive(container, draw) {
    var last = -1;
    function render() {
      var w = Math.max(240, Math.floor(container.clientWidth));
      if (w === last) return;
      last = w;
      container.replaceChildren();
      draw(w);
    }
    render();
    if (window.ResizeObserver) new ResizeObserver(render).observe(container);
  }

  // Stacked columns, one per day: days = [{day, answered, no_answer, urgent, smalltalk}].
  function perDay(container, days, keys) {
    var total = days.reduce(function (s, d) { return s + keys.reduce(function (t, k) { return t + (d[k] || 0); }, 0); }, 0);
    container.setAttribute('role', 'img');
    container.setAttribute('aria-label', total + ' questions over ' + days.length + ' days');
    responsive(container, function (width) {
      var height = 200, left = 34, bottom = 22, top = 8;
      var max = 1;
      days.forEach(function (d) { max = Math.max(max, keys.reduce(function (t, k) { return t + (d[k] || 0); }, 0)); });
      var plotW = width - left - 6, plotH = height - top - bottom;
      var step = plotW / Math.max(1, days.length);
      var barW = Math.max(1, step * 0.8);
      var chart = svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, class: 'svg-chart', 'aria-hidden': 'true' });
      // Axis: 0, the middle and the top, in whole numbers.
      [0, Math.round(max / 2), max].forEach(function (v) {
        var y = top + plotH - (v / max) * plotH;
        chart.appendChild(svg('line', { x1: left, x2: width - 4, y1: y, y2: y, class: 'grid' }));
        chart.appendChild(svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, v));
      });
      days.forEach(function (d, i) {
        var x = left + i * step + (step - barW) / 2, y = top + plotH;
        var sum = 0;
        keys.forEach(function (k) {
          var v = d[k] || 0;
          if (!v) return;
          var h = (v / max) * plotH;
          y -= h;
          sum += v;
          var r = svg('rect', { x: x, y: y, width: barW, height: h, fill: COLOURS[k] });
          r.appendChild(svg('title', {}, d.day + ': ' + v + ' ' + (LABELS[k] || k).toLowerCase()));
          chart.appendChild(r);
        });
        // A day's label only where there is room: the first, the last and evenly between.
        var every = Math.ceil(days.length / Math.max(2, Math.floor(plotW / 64)));
        if (i === 0 || i === days.length - 1 || (i % every === 0 && days.length - 1 - i >= every / 2)) {
          chart.appendChild(svg('text', { x: left + i * step + step / 2, y: height - 6, 'text-anchor': 'middle', class: 'tick' }, d.day.slice(5)));
        }
      });
      container.appendChild(chart);
      container.appendChild(legend(keys));
    });
  }

  // One bar of 100%, split by share, with each share written out below it.
  function share(container, counts, keys) {
    var total = keys.reduce(function (s, k) { return s + (counts[k] || 0); }, 0);
    var parts = keys.map(function (k) {
      var pct = total ? Math.round(1000 * (counts[k] || 0) / total) / 10 : 0;
      return { key: k, value: counts[k] || 0, pct: pct };
    });
    container.setAttribute('role', 'img');
    container.setAttribute('aria-label', parts.map(function (p) { return (LABELS[p.key] || p.key) + ' ' + p.pct + '%'; }).join(', '));
    responsive(container, function (width) {
      var height = 34;
      var chart = svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, class: 'svg-chart', 'aria-hidden': 'true' });
      var x = 0;
      parts.forEach(function (p) {
        if (!p.value) return;
        var w = (p.value / total) * width;
        var r = svg('rect', { x: x, y: 0, width: w, height: height, fill: COLOURS[p.key] });
        r.appendChild(svg('title', {}, (LABELS[p.key] || p.key) + ': ' + p.value + ' (' + p.pct + '%)'));
        chart.appendChild(r);
        x += w;
      });
      if (!total) chart.appendChild(svg('rect', { x: 0, y: 0, width: width, height: height, fill: '#eef1f5' }));
      container.appendChild(chart);
      var ul = document.createElement('ul');
      ul.className = 'legend shares';
      parts.forEach(function (p) {
        var li = document.createElement('li');
        var sw = document.createElement('span');
        sw.className = 'swatch';
        sw.style.background = COLOURS[p.key];
        li.appendChild(sw);
        li.appendChild(document.createTextNode((LABELS[p.key] || p.key) + ': ' + p.value + ' (' + p.pct + '%)'));
        ul.appendChild(li);
      });
      container.appendChild(ul);
    });
  }

  // Horizontal bars with their labels above them: rows = [{label, value}].
  function bars(container, rows) {
    container.setAttribute('role', 'img');
    container.setAttribute('aria-label', rows.map(function (r) { return r.label + ' ' + r.value; }).join(', ') || 'nothing yet');
    responsive(container, function (width) {
      var rowH = 34, height = Math.max(1, rows.length) * rowH;
      var max = rows.reduce(function (m, r) { return Math.max(m, r.value); }, 1);
      var chart = svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, class: 'svg-chart', 'aria-hidden': 'true' });
      rows.forEach(function (r, i) {
        var y = i * rowH;
        chart.appendChild(svg('text', { x: 0, y: y + 12, class: 'bar-label' }, r.label));
        var w = Math.max(2, (r.value / max) * (width - 48));
        var rect = svg('rect', { x: 0, y: y + 17, width: w, height: 11, rx: 3, fill: '#0f766e' });
        rect.appendChild(svg('title', {}, r.label + ': ' + r.value));
        chart.appendChild(rect);
        chart.appendChild(svg('text', { x: w + 6, y: y + 27, class: 'tick' }, r.value));
      });
      container.appendChild(chart);
    });
  }

  window.citedCharts = { perDay: perDay, share: share, bars: bars, LABELS: LABELS };
})();
