/*
 * cited chat widget: plain JavaScript, no framework, no build step.
 *
 * A site adds it with one tag:
 *   <script src="https://clinic.example/widget.js" data-server="wss://clinic.example/ws" defer></script>
 * Optional attributes:
 *   data-title          the panel's heading                 (default "Ask the clinic")
 *   data-accent         a CSS colour for the brand accent   (default teal #0f766e)
 *   data-staff-contact  the clinic's contact: an email, a mailto:/tel: or an https:// link; shown
 *                       first for urgent messages, and instead of the hand-off form with data-handoff="off"
 *   data-handoff        "off" where the server runs with --no-handoff (no inbox): no hand-off form
 *   data-privacy-url    the clinic's privacy notice, linked from the panel's footer
 *   data-greeting       the first message in the panel
 * Without data-server the socket is ws(s)://<origin of this script>/ws.
 * Any element on the page with a data-cited-open attribute opens the panel when clicked.
 *
 * Safety: everything that comes from the server or the user is inserted with textContent or
 * createTextNode, never as HTML. Styles live in the shadow root (a constructed stylesheet where
 * the browser has them, so a strict style-src CSP on the host page does not block them).
 * Wire contract: shared PROTOCOL.md (ask / feedback / reset / handoff; answer / feedback_saved /
 * reset_done / handoff_saved / error).
 */
(function () {
  'use strict';

  if (window.__citedWidgetLoaded) return; // the tag pasted twice must not give two launchers
  window.__citedWidgetLoaded = true;

  // ---------------------------------------------------------------- configuration
  var script = document.currentScript || (function () {
    var all = document.querySelectorAll('script[src*="widget.js"]');
    return all.length ? all[all.length - 1] : null;
  })();
  var data = (script && script.dataset) || {};
  var scriptUrl = new URL(script && script.src ? script.src : location.href, location.href);

  function toWs(u) {
    var url = new URL(u, scriptUrl);
    if (url.protocol === 'https:') url.protocol = 'wss:';
    else if (url.protocol === 'http:') url.protocol = 'ws:';
    return url;
  }
  var wsUrl = data.server ? toWs(data.server)
    : toWs((scriptUrl.protocol === 'https:' ? 'https://' : 'http://') + scriptUrl.host + '/ws');
  // The source view is served by the same server as the socket.
  var httpOrigin = (wsUrl.protocol === 'wss:' ? 'https://' : 'http://') + wsUrl.host;

  var config = {
    title: (data.title || '').trim() || 'Ask the clinic',
    accent: (data.accent || '').trim() || '#0f766e',
    staff: parseContact((data.staffContact || '').trim()),
    handoff: (data.handoff || '').trim().toLowerCase() !== 'off',
    privacy: safeLink((data.privacyUrl || '').trim()),
    greeting: (data.greeting || '').trim() ||
      'Hi! Ask me anything about scalp micropigmentation: cost, pain, how long it lasts, ' +
      'aftercare and more. Every answer quotes the source it comes from.'
  };
  var STARTERS = ['How much does it cost?', 'Does it hurt?', 'Is it permanent?',
    'How many sessions will I need?'];
  var MAX_QUESTION = 4000; // the server refuses longer questions (too_large)

  function safeLink(u) {
    if (!/^https?:\/\//i.test(u)) return null;
    try { return new URL(u).href; } catch (e) { return null; }
  }
  // Hand-off target: only mailto:, tel: and http(s) links; anything else is ignored.
  function parseContact(c) {
    if (!c) return null;
    if (/^mailto:/i.test(c)) return { kind: 'email', href: c, label: 'Email the clinic' };
    if (/^tel:/i.test(c)) return { kind: 'tel', href: c, label: 'Call the clinic' };
    if (/^https?:\/\//i.test(c)) {
      try { return { kind: 'url', href: new URL(c).href, label: 'Contact the clinic' }; } catch (e) { return null; }
    }
    if (/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(c)) return { kind: 'email', href: 'mailto:' + c, label: 'Email the clinic' };
    if (/^\+?[0-9][0-9 ().-]{5,}$/.test(c)) return { kind: 'tel', href: 'tel:' + c.replace(/[^0-9+]/g, ''), label: 'Call the clinic' };
    return null;
  }
  function contactHref(question) {
    var s = config.staff;
    if (!s) return null;
    if (s.kind === 'email' && s.href.indexOf('?') < 0 && question) {
      return s.href + '?subject=' + encodeURIComponent('A question from your website') +
        '&body=' + encodeURIComponent('Hello,\n\nI asked your website assistant:\n\n"' + question +
        '"\n\nIt could not answer, could you help?\n');
    }
    return s.href;
  }

  // ---------------------------------------------------------------- tiny DOM helpers (no HTML parsing anywhere)
  var SVG_NS = 'http://www.w3.org/2000/svg';
  function h(tag, props) {
    var el = document.createElement(tag);
    if (props) {
      for (var k in props) {
        if (!Object.prototype.hasOwnProperty.call(props, k) || props[k] == null || props[k] === false) continue;
        var v = props[k];
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k === 'on') { for (var ev in v) el.addEventListener(ev, v[ev]); }
        else if (k === 'hidden') el.hidden = !!v;
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, c) {
    if (c == null || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { append(el, x); }); return; }
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  var ICONS = {
    chat: 'M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6c-.5.4-1.3.1-1.3-.6V16A2.5 2.5 0 0 1 4 13.5z',
    close: 'M6 6l12 12M18 6L6 18',
    send: 'M4 12l15-7-5 15-2.5-6.5z',
    restart: 'M4 12a8 8 0 1 0 2.4-5.7M4 4v5h5',
    up: 'M7 11v9H4v-9zm0 0l4-8c1.5 0 2.5 1 2.5 2.5V9h5a2 2 0 0 1 2 2.3l-1.2 7A2 2 0 0 1 17.3 20H7',
    down: 'M7 13V4H4v9zm0 0l4 8c1.5 0 2.5-1 2.5-2.5V15h5a2 2 0 0 0 2-2.3l-1.2-7A2 2 0 0 0 17.3 4H7',
    alert: 'M12 3l10 18H2zM12 10v5M12 18v.01',
    scale: 'M12 3v18M5 21h14M4 7h16M7 7l-3 7a3 3 0 0 0 6 0zM17 7l-3 7a3 3 0 0 0 6 0z',
    doc: 'M7 3h7l5 5v13H7zM14 3v5h5M10 13h6M10 17h6',
    person: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0',
    offline: 'M2 8.5a15 15 0 0 1 20 0M5.5 12a10 10 0 0 1 13 0M9 15.5a5 5 0 0 1 6 0M12 19v.01M3 3l18 18',
    check: 'M5 12.5l4.5 4.5L19 7',
    external: 'M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5'
  };
  function icon(name, cls) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'icon' + (cls ? ' ' + cls : ''));
    var p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', ICONS[name]);
    svg.appendChild(p);
    return svg;
  }
  function srOnly(text) { return h('span', { class: 'sr-only', text: text }); }
  function str(v) { return typeof v === 'string' ? v : ''; }
  function capitalise(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : s; }
  // Server suggestions may be all lower case ("how often do i need touch ups"): tidy for display.
  function tidyQuestion(s) {
    s = capitalise(s.trim()).replace(/\bi\b/g, 'I').replace(/\bsmp\b/g, 'SMP');
    if (!/[?.!]$/.test(s) && /^(how|what|why|when|where|who|which|is|are|can|do|does|did|will|would|should|could|am)\b/i.test(s)) s += '?';
    return s;
  }

  // ---------------------------------------------------------------- styles
  var STYLES = [
    ':host{all:initial !important;}',
    '*,*::before,*::after{box-sizing:border-box;}',
    '[hidden]{display:none !important;}',
    '.root{--accent:#0f766e;--accent-fg:#fff;--accent-soft:#e6f2f1;--accent-ink:#0f766e;--ink:#1c2430;--muted:#556070;--line:#e3e7ed;--bg:#f6f7f9;',
    ' font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);-webkit-font-smoothing:antialiased;text-align:left;letter-spacing:normal;}',
    '.sr-only{position:absolute !important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0;}',
    '.icon{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round;flex:none;}',
    'button,input,a{font:inherit;color:inherit;}',
    'button{cursor:pointer;}',
    ':focus{outline:none;}',
    ':focus-visible{outline:2px solid var(--accent-ink);outline-offset:2px;}',

    /* launcher */
    '.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;display:inline-flex;align-items:center;gap:8px;height:52px;padding:0 20px 0 16px;border:0;border-radius:26px;',
    ' background:var(--accent);color:var(--accent-fg);font-weight:600;font-size:15px;box-shadow:0 6px 20px rgba(16,24,40,.22),0 2px 6px rgba(16,24,40,.12);transition:transform .15s ease,box-shadow .15s ease;}',
    '.launcher:hover{transform:translateY(-1px);box-shadow:0 10px 28px rgba(16,24,40,.26),0 2px 6px rgba(16,24,40,.12);}',
    '.launcher:focus-visible{outline:3px solid var(--accent-ink);outline-offset:3px;}',
    '.launcher .icon{width:22px;height:22px;}',
    '.launcher .i-close{display:none;}',
    '.root.open .launcher{width:52px;padding:0;justify-content:center;}',
    '.root.open .launcher .label,.root.open .launcher .i-chat{display:none;}',
    '.root.open .launcher .i-close{display:block;}',
    '.launcher .dot{position:absolute;top:2px;right:4px;width:12px;height:12px;border-radius:50%;background:#e11d48;border:2px solid #fff;}',

    /* panel */
    '.panel{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:384px;height:min(640px,calc(100vh - 112px));display:flex;flex-direction:column;background:#fff;',
    ' border-radius:18px;overflow:hidden;box-shadow:0 18px 56px rgba(16,24,40,.22),0 4px 14px rgba(16,24,40,.10);border:1px solid rgba(16,24,40,.06);animation:cw-in .18s ease-out;}',
    '@keyframes cw-in{from{opacity:0;transform:translateY(10px) scale(.98);}to{opacity:1;transform:none;}}',
    '.head{display:flex;align-items:center;gap:12px;padding:14px 10px 14px 16px;background:var(--accent);color:var(--accent-fg);}',
    '.avatar{width:38px;height:38px;border-radius:50%;display:grid;place-items:center;background:rgba(255,255,255,.18);flex:none;}',
    '.avatar.dark{background:rgba(0,0,0,.10);}',
    '.head-text{flex:1;min-width:0;}',
    '.title{margin:0;font-size:16px;font-weight:650;line-height:1.25;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;}',
    '.sub{margin:2px 0 0;font-size:12.5px;opacity:.92;display:flex;align-items:center;gap:6px;white-space:nowrap;overflow:hidden;}',
    '.sub span:last-child{overflow:hidden;text-overflow:ellipsis;}',
    '.state{width:8px;height:8px;border-radius:50%;background:#cbd5e1;box-shadow:0 0 0 2px rgba(255,255,255,.35);}',
    '.state.online{background:#4ade80;}',
    '.state.offline{background:#fbbf24;}',
    '.hbtn{width:36px;height:36px;border:0;border-radius:10px;background:transparent;color:inherit;display:grid;place-items:center;flex:none;}',
    '.hbtn:hover{background:rgba(255,255,255,.16);}',
    '.hbtn:focus-visible{outline:2px solid currentColor;outline-offset:-2px;}',
    '.banner{display:flex;gap:10px;align-items:flex-start;padding:10px 14px;font-size:13.5px;line-height:1.4;background:#fff7e6;color:#7a4a00;border-bottom:1px solid #f6dfb0;}',
    '.banner.ok{background:#ecfdf3;color:#05603a;border-bottom-color:#b7ebcb;}',
    '.banner .icon{width:18px;height:18px;margin-top:1px;}',
    '.log{position:relative;flex:1;overflow-y:auto;padding:18px 14px 8px;background:var(--bg);display:flex;flex-direction:column;gap:12px;scroll-behavior:smooth;overscroll-behavior:contain;}',
    '.msg{display:flex;flex-direction:column;max-width:88%;}',
    '.msg.user{align-self:flex-end;align-items:flex-end;}',
    '.msg.bot{align-self:flex-start;}',
    '.bubble{padding:10px 13px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:normal;}',
    '.user .bubble{background:var(--accent);color:var(--accent-fg);border-bottom-right-radius:5px;}',
    '.bot .bubble{background:#fff;border:1px solid var(--line);border-bottom-left-radius:5px;box-shadow:0 1px 2px rgba(16,24,40,.04);}',
    '.note{font-size:12px;color:var(--muted);margin:4px 4px 0;display:flex;gap:8px;align-items:center;}',
    '.linkbtn{border:0;background:none;padding:0;color:var(--accent-ink);text-decoration:underline;font-size:12px;}',
    '.p{margin:0;}',
    '.p:not(:first-child){margin-top:8px;}',

    /* citation markers and quotes */
    '.cite{display:inline-flex;align-items:center;justify-content:center;min-width:20px;height:20px;padding:0 5px;margin:0 1px;border-radius:6px;border:1px solid transparent;',
    ' background:var(--accent-soft);color:var(--accent-ink);font-size:11.5px;font-weight:700;line-height:1;vertical-align:2px;}',
    '.cite:hover{border-color:var(--accent-ink);}',
    '.cite[aria-expanded="true"]{background:var(--accent);color:var(--accent-fg);}',
    '.nw{white-space:nowrap;}',
    '.cards{display:flex;flex-direction:column;gap:8px;white-space:normal;}',
    '.cards:not(:empty){margin-top:8px;}',
    '.card{border:1px solid var(--line);border-left:3px solid var(--accent);border-radius:10px;padding:9px 11px;background:#fbfcfd;font-size:13.5px;animation:cw-in .14s ease-out;}',
    '.card-head{display:flex;gap:7px;align-items:baseline;font-weight:600;font-size:12.5px;color:var(--muted);}',
    '.card-n{color:var(--accent-ink);flex:none;}',
    '.quote{margin:6px 0;padding:0;font-style:italic;color:var(--ink);quotes:"\\201C" "\\201D";}',
    '.quote::before{content:open-quote;}',
    '.quote::after{content:close-quote;}',
    '.card a{display:inline-flex;align-items:center;gap:4px;font-size:12.5px;font-weight:600;color:var(--accent-ink);text-decoration:none;}',
    '.card a:hover{text-decoration:underline;}',
    '.card a .icon{width:14px;height:14px;}',

    /* statuses */
    '.tag{display:inline-flex;align-items:center;gap:6px;font-size:12px;font-weight:700;letter-spacing:.02em;text-transform:uppercase;margin-bottom:6px;}',
    '.tag .icon{width:16px;height:16px;}',
    '.conflict .tag{color:#92400e;}',
    '.side{white-space:pre-wrap;border-radius:10px;padding:8px 10px;margin-top:8px;border:1px solid #f3e3c3;background:#fffaf0;}',
    '.side:nth-of-type(even){border-color:#d9e2f5;background:#f5f8ff;}',
    '.side-label{display:block;font-size:11.5px;font-weight:700;color:var(--muted);text-transform:uppercase;letter-spacing:.03em;margin-bottom:2px;}',
    '.side-src{display:block;font-size:12px;color:var(--muted);margin-top:4px;white-space:normal;}',
    '.urgent .bubble{border:1.5px solid #dc2626;background:#fff5f5;padding:0;overflow:hidden;}',
    '.urgent-head{display:flex;gap:8px;align-items:center;padding:9px 12px;background:#b91c1c;color:#fff;font-weight:700;white-space:normal;}',
    '.urgent-contact{padding:9px 12px 0;font-weight:600;color:#7f1d1d;white-space:normal;}',
    '.urgent-cta{padding:8px 12px 2px;}',
    '.urgent-body{padding:8px 12px 10px;margin-top:8px;border-top:1px solid #f5caca;}',
    '.urgent-contact:last-child,.urgent-cta:last-child{padding-bottom:10px;}',
    '.urgent .cite{background:#fde2e2;color:#991b1b;}',
    '.urgent .cite[aria-expanded="true"]{background:#b91c1c;color:#fff;}',
    '.urgent .card{border-left-color:#dc2626;}',
    '.handoff{margin-top:10px;padding-top:10px;border-top:1px dashed var(--line);white-space:normal;display:flex;flex-direction:column;gap:8px;align-items:flex-start;}',
    '.handoff-text{font-size:13.5px;color:var(--muted);}',
    '.cta{display:inline-flex;align-items:center;gap:7px;padding:8px 14px;border-radius:999px;background:var(--accent);color:var(--accent-fg);text-decoration:none;font-weight:600;font-size:14px;border:0;}',
    '.cta .icon{width:17px;height:17px;}',
    '.cta.danger{background:#b91c1c;color:#fff;}',
    '.error .bubble{background:#fff;border-color:#f1c0c0;color:#7f1d1d;}',

    /* feedback */
    '.fb{display:flex;align-items:center;gap:4px;margin:4px 2px 0;font-size:12px;color:var(--muted);}',
    '.fb-q{margin-right:2px;}',
    '.thumb{width:30px;height:28px;border:1px solid transparent;border-radius:8px;background:transparent;color:var(--muted);display:grid;place-items:center;}',
    '.thumb .icon{width:16px;height:16px;}',
    '.thumb:hover:not([aria-disabled]){background:#eceff3;color:var(--ink);}',
    '.thumb[aria-pressed="true"]{background:var(--accent-soft);color:var(--accent-ink);border-color:var(--accent-soft);}',
    '.thumb[aria-disabled]{cursor:default;}',
    '.fb-done{white-space:nowrap;display:inline-flex;align-items:center;gap:4px;color:#05603a;font-weight:600;}',
    '.fb-done .icon{width:14px;height:14px;}',

    /* chips and typing */
    '.chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px;}',
    '.chip{border:1px solid var(--accent-ink);background:#fff;color:var(--accent-ink);border-radius:999px;padding:6px 12px;font-size:13.5px;line-height:1.3;text-align:left;}',
    '.chip:hover{background:var(--accent-soft);}',
    '.typing .bubble{display:inline-flex;gap:4px;align-items:center;padding:13px 14px;}',
    '.typing i{width:7px;height:7px;border-radius:50%;background:#9aa4b2;animation:cw-dot 1.2s infinite ease-in-out;}',
    '.typing i:nth-child(2){animation-delay:.15s;}',
    '.typing i:nth-child(3){animation-delay:.3s;}',
    '@keyframes cw-dot{0%,60%,100%{transform:translateY(0);opacity:.5;}30%{transform:translateY(-4px);opacity:1;}}',

    /* composer */
    '.composer{display:flex;gap:8px;align-items:center;padding:10px 12px;border-top:1px solid var(--line);background:#fff;}',
    '.input{flex:1;min-width:0;height:44px;padding:0 16px;border:1px solid #cfd6df;border-radius:22px;background:#fff;color:var(--ink);font-size:15px;}',
    '.input::placeholder{color:#6b7583;}',
    '.input:focus{border-color:var(--accent-ink);box-shadow:0 0 0 3px var(--accent-soft);outline:none;}',
    '.send{width:44px;height:44px;border:0;border-radius:50%;background:var(--accent);color:var(--accent-fg);display:grid;place-items:center;flex:none;}',
    '.send:disabled{opacity:.45;cursor:default;}',
    '.send .icon{width:19px;height:19px;}',
    '.foot{margin:0;padding:0 14px 9px;background:#fff;font-size:11.5px;color:var(--muted);text-align:center;}',
    '.foot a,.foot .linkbtn{color:var(--accent-ink);font-size:11.5px;}',

    /* the hand-off form */
    '.hf{display:flex;flex-direction:column;gap:8px;white-space:normal;}',
    '.hf-title{font-weight:650;margin:0;}',
    '.hf label{display:flex;flex-direction:column;gap:3px;font-size:13px;font-weight:600;color:var(--ink);}',
    '.hf .opt{font-weight:400;color:var(--muted);}',
    '.hf input[type=text],.hf input[type=email],.hf textarea{font:inherit;font-weight:400;font-size:14px;padding:8px 10px;border:1px solid #cfd6df;border-radius:10px;background:#fff;color:var(--ink);width:100%;}',
    '.hf textarea{min-height:64px;resize:vertical;}',
    '.hf input:focus,.hf textarea:focus{border-color:var(--accent-ink);outline:none;box-shadow:0 0 0 3px var(--accent-soft);}',
    '.hf .consent{flex-direction:row;align-items:flex-start;gap:8px;font-weight:400;}',
    '.hf .consent input{margin-top:3px;flex:none;}',
    '.hf-actions{display:flex;gap:8px;align-items:center;flex-wrap:wrap;}',
    '.hf-error{color:#991b1b;font-size:13px;margin:0;}',
    '.hf-done{display:flex;gap:8px;align-items:flex-start;color:#05603a;font-weight:600;}',
    '.cta.ghost{background:#fff;color:var(--accent-ink);border:1px solid var(--accent-ink);}',


    /* phone: full-screen panel */
    '@media (max-width:479.98px){',
    ' .panel{inset:0;right:0;bottom:0;width:100%;height:100%;max-height:none;border-radius:0;border:0;}',
    ' .root.open .launcher{display:none;}',
    ' .launcher{right:16px;bottom:16px;}',
    ' .msg{max-width:92%;}',
    '}',
    '@media (prefers-reduced-motion:reduce){*{animation:none !important;transition:none !important;scroll-behavior:auto !important;}}',
    '@media (forced-colors:active){.cite,.chip,.thumb,.launcher,.send{border:1px solid ButtonText;}}'
  ].join('\n');

  // The panel's footer: what the answers are, the clinic's privacy notice, and a way to reach the
  // clinic at any time (the hand-off form, or the contact link where there is no inbox).
  function footer() {
    var f = h('p', { class: 'foot' }, 'Answers quote the clinic\u2019s sources. Not medical advice.');
    if (config.privacy) {
      append(f, [' \u00b7 ', h('a', { href: config.privacy, target: '_blank', rel: 'noopener noreferrer', text: 'Privacy' })]);
    }
    if (config.handoff) {
      append(f, [' \u00b7 ', h('button', { type: 'button', class: 'linkbtn talk', text: 'Talk to the clinic',
        on: { click: function () { offerHandoff(lastUnanswered || lastQuestion, null); } } })]);
    } else if (config.staff) {
      append(f, [' \u00b7 ', h('a', { href: contactHref(''), target: config.staff.kind === 'url' ? '_blank' : null, rel: 'noopener', text: 'Talk to the clinic' })]);
    }
    return f;
  }

  // ---------------------------------------------------------------- build the shadow DOM
  var host = document.createElement('cited-widget');
  host.style.cssText = 'all:initial;position:static;display:block;';
  var shadow = host.attachShadow({ mode: 'open' });
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    shadow.adoptedStyleSheets = [sheet];
  } catch (e) {
    shadow.appendChild(h('style', { text: STYLES })); // older browsers
  }

  var root = h('div', { class: 'root' });
  // Accent: accept only something the browser parses as a colour; pick black or white text on it.
  (function applyAccent(c) {
    if (!(window.CSS && CSS_supports('color', c))) c = '#0f766e';
    root.style.setProperty('--accent', c);
    var rgb = resolveColour(c);
    if (!rgb) return;
    var lum = luminance(rgb);
    var onAccent = contrast(lum, 1) >= 4.5 || contrast(lum, 1) >= contrast(lum, 0) ? '#fff' : '#111827';
    root.style.setProperty('--accent-fg', onAccent);
    // Accent used as text on white needs 4.5:1; if it hasn't, darken it for text use.
    var ink = rgb.slice();
    for (var i = 0; i < 12 && contrast(luminance(ink), 1) < 4.5; i++) ink = ink.map(function (x) { return Math.round(x * 0.85); });
    root.style.setProperty('--accent-ink', 'rgb(' + ink.join(',') + ')');
    root.style.setProperty('--accent-soft', 'rgba(' + rgb.join(',') + ',0.12)');
    if (onAccent !== '#fff') root.classList.add('light-accent');
  })(config.accent);
  function CSS_supports(p, v) { try { return window.CSS.supports(p, v); } catch (e) { return false; } }
  function resolveColour(c) {
    var probe = document.createElement('span');
    probe.style.color = c;
    probe.style.display = 'none';
    document.documentElement.appendChild(probe);
    var m = getComputedStyle(probe).color.match(/\d+(\.\d+)?/g);
    probe.remove();
    return m && m.length >= 3 ? m.slice(0, 3).map(Number) : null;
  }
  function luminance(rgb) {
    var a = rgb.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2];
  }
  function contrast(l1, l2) { return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05); }

  var live = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });
  var liveUrgent = h('div', { class: 'sr-only', 'aria-live': 'assertive', 'aria-atomic': 'true' });

  var stateDot = h('span', { class: 'state' });
  var stateText = h('span', { text: 'Quotes its sources' });
  var restartBtn = h('button', { type: 'button', class: 'hbtn', 'aria-label': 'New conversation', title: 'New conversation' }, icon('restart'));
  var closeBtn = h('button', { type: 'button', class: 'hbtn', 'aria-label': 'Close chat', title: 'Close' }, icon('close'));
  var banner = h('div', { class: 'banner', role: 'status', hidden: true });
  var log = h('div', { class: 'log', role: 'region', 'aria-label': 'Conversation', tabindex: '0' });
  var input = h('input', {
    class: 'input', id: 'cw-input', type: 'text', autocomplete: 'off', maxlength: String(MAX_QUESTION),
    placeholder: 'Ask about cost, pain, aftercare…', enterkeyhint: 'send'
  });
  var sendBtn = h('button', { type: 'submit', class: 'send', 'aria-label': 'Send' }, icon('send'));
  var form = h('form', { class: 'composer', novalidate: true },
    h('label', { for: 'cw-input', class: 'sr-only', text: 'Your question' }), input, sendBtn);
  var avatar = h('div', { class: 'avatar' }, icon('chat'));
  var panel = h('section', { class: 'panel', id: 'cw-panel', role: 'dialog', 'aria-labelledby': 'cw-title', hidden: true },
    h('div', { class: 'head' },
      avatar,
      h('div', { class: 'head-text' },
        h('h2', { class: 'title', id: 'cw-title', text: config.title }),
        h('p', { class: 'sub' }, stateDot, stateText)),
      restartBtn, closeBtn),
    banner, log, form,
    footer());
  var unreadDot = h('span', { class: 'dot', hidden: true });
  var launcher = h('button', {
    type: 'button', class: 'launcher', 'aria-label': 'Ask a question', 'aria-expanded': 'false',
    'aria-controls': 'cw-panel', 'aria-haspopup': 'dialog'
  }, icon('chat', 'i-chat'), icon('close', 'i-close'), h('span', { class: 'label', 'aria-hidden': 'true', text: 'Ask a question' }), unreadDot);
  if (root.classList.contains('light-accent')) avatar.classList.add('dark');

  root.appendChild(live);
  root.appendChild(liveUrgent);
  root.appendChild(panel);
  root.appendChild(launcher);
  shadow.appendChild(root);

  function mount() { (document.body || document.documentElement).appendChild(host); }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);

  // ---------------------------------------------------------------- state
  var seq = 0;              // for ask ids c1, c2, ...
  var uid = 0;              // for element ids inside the shadow root
  var pendingAsks = new Map(); // id -> {text, el (user message), status (note element)}
  var handoffForms = new Map(); // hand-off message id -> its form's controller
  var lastUnanswered = '';   // the patient's last question the sources could not answer
  var lastQuestion = '';
  var outbox = [];          // messages not yet written to the socket, in order
  var unacked = [];         // written, but no reply yet: sent again after a reconnect
  var feedbackEls = new Map(); // answer_id -> feedback row
  var ws = null, online = false, everOnline = false, attempt = 0, retryTimer = null, connectTimer = null;
  var started = false;      // the connection is only opened once the patient shows interest
  var typingEl = null, lastChips = null, bannerTimer = null;

  // ---------------------------------------------------------------- open / close and keyboard
  var phone = window.matchMedia ? window.matchMedia('(max-width: 479.98px)') : { matches: false };
  var savedOverflow = null;

  function isOpen() { return !panel.hidden; }
  function open() {
    if (isOpen()) { input.focus(); return; }
    panel.hidden = false;
    root.classList.add('open');
    launcher.setAttribute('aria-expanded', 'true');
    unreadDot.hidden = true;
    if (!log.childElementCount) greet();
    start();
    if (phone.matches) {
      panel.setAttribute('aria-modal', 'true');
      savedOverflow = document.documentElement.style.overflow;
      document.documentElement.style.overflow = 'hidden';
    }
    scrollDown();
    input.focus();
  }
  function close() {
    if (!isOpen()) return;
    panel.hidden = true;
    root.classList.remove('open');
    launcher.setAttribute('aria-expanded', 'false');
    panel.removeAttribute('aria-modal');
    if (savedOverflow !== null) { document.documentElement.style.overflow = savedOverflow; savedOverflow = null; }
    launcher.focus();
  }
  launcher.addEventListener('click', function () { if (isOpen()) close(); else open(); });
  closeBtn.addEventListener('click', close);
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { e.preventDefault(); close(); return; }
    // Full-screen on a phone the page behind is covered: keep Tab inside the panel.
    if (e.key === 'Tab' && phone.matches) {
      var f = Array.prototype.filter.call(panel.querySelectorAll('button,a[href],input,[tabindex="0"]'),
        function (x) { return !x.disabled && x.offsetParent !== null; });
      if (!f.length) return;
      var first = f[0], last = f[f.length - 1], act = shadow.activeElement;
      if (e.shiftKey && act === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && act === last) { e.preventDefault(); first.focus(); }
    }
  });
  document.addEventListener('click', function (e) {
    var t = e.target && e.target.closest && e.target.closest('[data-cited-open]');
    if (t) { e.preventDefault(); open(); }
  });

  // ---------------------------------------------------------------- the conversation view
  function scrollDown() { requestAnimationFrame(function () { log.scrollTop = log.scrollHeight; }); }
  function addToLog(el) {
    if (typingEl && typingEl.parentNode === log) log.insertBefore(el, typingEl); else log.appendChild(el);
    scrollDown();
    return el;
  }
  function announce(text, urgent) {
    var region = urgent ? liveUrgent : live;
    region.textContent = '';
    setTimeout(function () { region.textContent = text; }, 60);
  }
  function greet() {
    var m = h('div', { class: 'msg bot greeting' }, srOnly('Assistant: '),
      h('div', { class: 'bubble', text: config.greeting }));
    addToLog(m);
    showChips(m, STARTERS, false);
  }
  function showChips(msgEl, list, fromServer) {
    if (lastChips) lastChips.remove();
    lastChips = null;
    if (!list || !list.length) return;
    var box = h('div', { class: 'chips', role: 'group', 'aria-label': 'Suggested questions' });
    list.slice(0, 3 + (fromServer ? 0 : 1)).forEach(function (s) {
      var label = tidyQuestion(s);
      box.appendChild(h('button', { type: 'button', class: 'chip', text: label, on: { click: function () { ask(label); input.focus(); } } }));
    });
    msgEl.appendChild(box);
    lastChips = box;
  }
  function addUserMessage(text) {
    var status = h('div', { class: 'note', hidden: true });
    var m = h('div', { class: 'msg user' }, srOnly('You: '), h('div', { class: 'bubble', text: text }), status);
    addToLog(m);
    return { el: m, status: status };
  }
  function setTyping(on) {
    if (on && !typingEl) {
      typingEl = h('div', { class: 'msg bot typing', role: 'status', 'aria-label': 'The assistant is typing' },
        h('div', { class: 'bubble' }, h('i'), h('i'), h('i')));
      log.appendChild(typingEl);
      scrollDown();
    } else if (!on && typingEl) {
      typingEl.remove();
      typingEl = null;
    }
  }
  function refreshTyping() {
    var waiting = false;
    unacked.forEach(function (m) { if (m.type === 'ask') waiting = true; });
    setTyping(online && waiting);
  }
  function systemNote(text, retryText) {
    var m = h('div', { class: 'msg bot error' }, srOnly('Assistant: '), h('div', { class: 'bubble', text: text }));
    if (retryText) {
      m.appendChild(h('div', { class: 'note' }, h('button', {
        type: 'button', class: 'linkbtn', text: 'Try again',
        on: { click: function () { m.remove(); ask(retryText); } }
      })));
    }
    addToLog(m);
    announce(text);
  }

  // Text with [n] markers -> text nodes and marker buttons; a marker's quote opens in `cards`.
  // A run of markers stays on one line with the word before it and the punctuation after it.
  function renderRich(container, text, byN, cards) {
    var re = /((?:\[\d{1,3}\])+)([.,;:!?)]*)/g, last = 0, m;
    while ((m = re.exec(text))) {
      var parts = m[1].match(/\d{1,3}/g).map(function (n) { return byN[n]; });
      if (parts.some(function (c) { return !c; })) continue; // no such citation: leave the literal text
      var before = text.slice(last, m.index);
      var word = /\S*\s*$/.exec(before)[0];
      if (before.length > word.length) container.appendChild(document.createTextNode(before.slice(0, before.length - word.length)));
      var nw = h('span', { class: 'nw' }, word);
      parts.forEach(function (c) { nw.appendChild(markerButton(c, cards)); });
      append(nw, m[2]);
      container.appendChild(nw);
      last = re.lastIndex;
    }
    if (last < text.length) container.appendChild(document.createTextNode(text.slice(last)));
  }
  function markerButton(c, cards) {
    var cardId = 'cw-q' + (++uid);
    var btn = h('button', {
      type: 'button', class: 'cite', 'aria-expanded': 'false', 'aria-controls': cardId,
      'aria-label': 'Source ' + c.n + ': ' + (c.title || 'quote'), title: c.title || ''
    }, String(c.n));
    var card = null;
    btn.addEventListener('click', function () {
      if (card) {
        var show = card.hidden;
        card.hidden = !show;
        btn.setAttribute('aria-expanded', String(show));
        return;
      }
      card = quoteCard(c, cardId);
      cards.appendChild(card);
      btn.setAttribute('aria-expanded', 'true');
      if (card.getBoundingClientRect().bottom > log.getBoundingClientRect().bottom) card.scrollIntoView({ block: 'nearest' });
    });
    return btn;
  }
  function quoteCard(c, id) {
    var href = httpOrigin + '/source?id=' + encodeURIComponent(c.source) + '&q=' + encodeURIComponent(c.quote);
    return h('div', { class: 'card', id: id, role: 'group', 'aria-label': 'Source ' + c.n },
      h('div', { class: 'card-head' }, h('span', { class: 'card-n', text: '[' + c.n + ']' }), h('span', { class: 'card-title', text: c.title || c.source })),
      h('blockquote', { class: 'quote', text: c.quote }),
      c.source ? h('a', { href: href, target: '_blank', rel: 'noopener noreferrer' },
        'Read the whole source', srOnly(' (opens in a new tab)'), icon('external')) : null);
  }
  function splitSentences(text) {
    // A sentence ends at . ! or ? (after any [n] markers) followed by space and a capital or a quote.
    return text.replace(/([.!?])\s+(?=["\u201C(A-Z])/g, '$1\u0000').split('\u0000');
  }

  function renderAnswer(a, question) {
    var status = str(a.status);
    var cits = Array.isArray(a.citations) ? a.citations.filter(function (c) { return c && typeof c === 'object'; }) : [];
    var byN = {};
    cits.forEach(function (c) {
      var n = Number(c.n);
      if (Number.isInteger(n)) byN[n] = { n: n, source: str(c.source), title: str(c.title), quote: str(c.quote) };
    });
    var text = str(a.text);
    var msg = h('div', {
      class: 'msg bot ' + (status || 'answered') + (a.conflict === true ? ' conflict' : ''),
      'data-status': status, 'data-answer-id': str(a.answer_id) || null
    });
    msg.appendChild(srOnly(status === 'urgent' ? 'Assistant, urgent: ' : 'Assistant: '));
    var bubble = h('div', { class: 'bubble' });
    msg.appendChild(bubble);

    if (status === 'urgent') {
      // Stands out: a red header with an icon, then the contact line (the answer's first
      // paragraph, which tells the person whom to contact) and the clinic's contact, then the rest.
      bubble.appendChild(h('div', { class: 'urgent-head' }, icon('alert'), 'Urgent: please get help now'));
      var paras = text.split(/\n{2,}/).filter(function (x) { return x.trim(); });
      var contactLine = h('div', { class: 'urgent-contact' });
      renderRich(contactLine, paras.shift() || '', byN, contactLine);
      bubble.appendChild(contactLine);
      var href = contactHref('');
      if (href) {
        bubble.appendChild(h('div', { class: 'urgent-cta' },
          h('a', { class: 'cta danger', href: href, target: config.staff.kind === 'url' ? '_blank' : null, rel: 'noopener' },
            icon('person'), config.staff.label)));
      }
      if (config.handoff) {
        bubble.appendChild(h('div', { class: 'urgent-cta' },
          h('button', { type: 'button', class: 'cta ghost', on: { click: function () { offerHandoff(question, msg); } } },
            icon('person'), 'Ask the clinic to contact me')));
      }
      if (paras.length) {
        var body = h('div', { class: 'urgent-body' });
        bubble.appendChild(body);
        appendParagraphs(body, paras.join('\n\n'), byN);
      }
    } else if (a.conflict === true) {
      bubble.appendChild(h('div', { class: 'tag' }, icon('scale'), 'Sources disagree'));
      renderConflict(bubble, text, byN);
    } else {
      appendParagraphs(bubble, text, byN);
    }

    if (status === 'no_answer') lastUnanswered = question;
    if (question) lastQuestion = question;
    if (status === 'no_answer' && config.handoff) {
      bubble.appendChild(h('div', { class: 'handoff' },
        h('span', { class: 'handoff-text', text: 'A member of our team can answer this personally.' }),
        h('button', { type: 'button', class: 'cta', on: { click: function () { offerHandoff(question, msg); } } },
          icon('person'), 'Pass my question to the clinic')));
    } else if (status === 'no_answer') {
      var hrefNa = contactHref(question);
      bubble.appendChild(h('div', { class: 'handoff' },
        h('span', { class: 'handoff-text', text: hrefNa ? 'A member of our team can answer this personally.' : 'Please contact the clinic directly; our team will be glad to help.' }),
        hrefNa ? h('a', { class: 'cta', href: hrefNa, target: config.staff.kind === 'url' ? '_blank' : null, rel: 'noopener' },
          icon('person'), 'Ask the clinic\u2019s staff') : null));
    }

    if (str(a.answer_id)) msg.appendChild(feedbackRow(str(a.answer_id)));
    addToLog(msg);
    var sugg = Array.isArray(a.suggestions) ? a.suggestions.filter(function (s) { return typeof s === 'string' && s.trim(); }) : [];
    showChips(msg, sugg, true);
    // A long answer is read from its start; a short one just scrolls the log to the end.
    requestAnimationFrame(function () {
      if (msg.offsetHeight > log.clientHeight - 48) log.scrollTop = msg.offsetTop - 12;
      else log.scrollTop = log.scrollHeight;
    });

    var spoken = text.replace(/\s*\[\d{1,3}\]/g, '');
    if (a.conflict === true) spoken = 'Sources disagree. ' + spoken;
    if (status === 'no_answer' && config.staff) spoken += ' You can ask the clinic\u2019s staff with the link below.';
    announce((status === 'urgent' ? 'Urgent. ' : '') + spoken, status === 'urgent');
    if (!isOpen()) unreadDot.hidden = false;
  }
  function appendParagraphs(container, text, byN) {
    text.split(/\n{2,}/).forEach(function (para) {
      if (!para.trim()) return;
      var p = h('p', { class: 'p' });
      var cards = h('div', { class: 'cards' });
      renderRich(p, para, byN, cards);
      container.appendChild(p);
      container.appendChild(cards);
    });
  }
  // A conflict answer: the sentences that carry citations are the sides; each gets its own box.
  function renderConflict(container, text, byN) {
    var sentences = splitSentences(text.replace(/\s+/g, ' ').trim());
    var cited = sentences.filter(function (s) { return /\[\d{1,3}\]/.test(s); });
    var sideNo = 0;
    function side(content, ns) {
      var box = h('div', { class: 'side' }, h('span', { class: 'side-label', text: 'View ' + (++sideNo) }));
      var cards = h('div', { class: 'cards' });
      var body = h('span');
      renderRich(body, content, byN, cards);
      box.appendChild(body);
      var titles = [];
      ns.forEach(function (n) { var c = byN[n]; if (c && c.title && titles.indexOf(c.title) < 0) titles.push(c.title); });
      if (titles.length) box.appendChild(h('span', { class: 'side-src', text: (titles.length > 1 ? 'Sources: ' : 'Source: ') + titles.join(' \u00b7 ') }));
      box.appendChild(cards);
      container.appendChild(box);
    }
    function numbers(s) { var out = [], m, re = /\[(\d{1,3})\]/g; while ((m = re.exec(s))) out.push(Number(m[1])); return out; }
    if (cited.length >= 2) {
      var intro = [];
      sentences.forEach(function (s) {
        if (/\[\d{1,3}\]/.test(s)) {
          // The tag above already says "Sources disagree": don't say it twice.
          intro = intro.filter(function (x) { return !/^(the )?sources disagree\.?$/i.test(x.trim()); });
          if (intro.length) container.appendChild(h('p', { class: 'p', text: intro.join(' ') }));
          intro = [];
          side(s, numbers(s));
        } else if (sideNo === 0) intro.push(s);
        else container.appendChild(h('p', { class: 'p', text: s }));
      });
    } else {
      // Not split into sentences per side: show the text, then each source's own words.
      appendParagraphs(container, text, byN);
      Object.keys(byN).forEach(function (n) {
        var c = byN[n];
        var box = h('div', { class: 'side' }, h('span', { class: 'side-label', text: 'Source ' + c.n + ': ' + (c.title || c.source) }),
          h('span', { class: 'quote', text: c.quote }));
        container.appendChild(box);
      });
    }
  }

  function feedbackRow(answerId) {
    var up = h('button', { type: 'button', class: 'thumb', 'aria-label': 'Helpful', 'aria-pressed': 'false', title: 'Helpful' }, icon('up'));
    var down = h('button', { type: 'button', class: 'thumb', 'aria-label': 'Not helpful', 'aria-pressed': 'false', title: 'Not helpful' }, icon('down'));
    var label = h('span', { class: 'fb-q', text: 'Was this helpful?' });
    var row = h('div', { class: 'fb', role: 'group', 'aria-label': 'Feedback on this answer' }, label, up, down);
    var chosen = false;
    function choose(helpful) {
      // aria-disabled rather than disabled: the focused thumb keeps the keyboard focus.
      if (chosen) return;
      chosen = true;
      up.setAttribute('aria-disabled', 'true');
      down.setAttribute('aria-disabled', 'true');
      (helpful ? up : down).setAttribute('aria-pressed', 'true');
      (helpful ? down : up).hidden = true;
      label.textContent = 'Sending feedback\u2026';
      row.appendChild(label); // after the chosen thumb from now on
      feedbackEls.set(answerId, { row: row, label: label });
      enqueue({ type: 'feedback', answer_id: answerId, helpful: helpful });
    }
    up.addEventListener('click', function () { choose(true); });
    down.addEventListener('click', function () { choose(false); });
    return row;
  }
  function feedbackSaved(answerId) {
    var f = feedbackEls.get(answerId);
    if (!f) return;
    feedbackEls.delete(answerId);
    var done = h('span', { class: 'fb-done' }, icon('check'), 'Thanks, your feedback was saved');
    f.row.setAttribute('aria-label', 'Feedback saved');
    f.label.replaceWith(done);
    announce('Thanks, your feedback was saved.');
  }
  // The server takes feedback only for answers it gave on this connection: after a reconnect,
  // one for an earlier answer is refused. Say so on its row instead of as an error.
  function feedbackRefused(answerId) {
    var f = feedbackEls.get(answerId);
    if (!f) return;
    feedbackEls.delete(answerId);
    f.label.textContent = 'This answer can no longer be rated';
  }

  // ---------------------------------------------------------------- asking
  function ask(raw) {
    var text = String(raw || '').trim();
    if (!text) return;
    if (text.length > MAX_QUESTION) {
      systemNote('That question is too long. Please keep it under ' + MAX_QUESTION + ' characters.');
      return;
    }
    if (lastChips) { lastChips.remove(); lastChips = null; }
    var id = 'c' + (++seq);
    var um = addUserMessage(text);
    pendingAsks.set(id, { text: text, el: um.el, status: um.status });
    enqueue({ type: 'ask', id: id, text: text });
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var v = input.value;
    if (!v.trim()) return;
    input.value = '';
    updateSend();
    ask(v);
  });
  function updateSend() { sendBtn.disabled = !input.value.trim(); }
  input.addEventListener('input', updateSend);
  updateSend();

  restartBtn.addEventListener('click', function () {
    // Forget the conversation here and on the server; replies still on their way are dropped.
    pendingAsks.clear();
    feedbackEls.clear();
    handoffForms.clear();
    lastUnanswered = lastQuestion = '';
    outbox = outbox.filter(function (m) { return m.type !== 'ask'; });
    unacked = unacked.filter(function (m) { return m.type !== 'ask'; });
    setTyping(false);
    lastChips = null;
    while (log.firstChild) log.removeChild(log.firstChild);
    if (everOnline || online) enqueue({ type: 'reset' });
    greet();
    announce('New conversation started.');
    input.focus();
  });

  // ---------------------------------------------------------------- the connection
  function enqueue(msg) {
    outbox.push(msg);
    start();
    flush();
    markQueued();
    if (!online && retryTimer && attempt > 1) { clearTimeout(retryTimer); retryTimer = null; connect(); } // the patient is waiting: try now
  }
  function flush() {
    while (online && ws && outbox.length) {
      var m = outbox[0];
      try { ws.send(JSON.stringify(m)); } catch (e) { break; }
      outbox.shift();
      unacked.push(m);
    }
    markQueued();
    refreshTyping();
  }
  function markQueued() {
    pendingAsks.forEach(function (p, id) {
      var queued = outbox.some(function (m) { return m.type === 'ask' && m.id === id; });
      if (queued && !online) {
        if (p.status.hidden) scrollDown();
        p.status.hidden = false;
        p.status.textContent = 'Not sent yet \u00b7 will send automatically';
      } else if (!queued) {
        p.status.hidden = true;
        p.status.textContent = '';
      }
    });
  }
  function start() {
    if (started) return;
    started = true;
    connect();
  }
  function connect() {
    if (ws) return;
    retryTimer = null;
    setState(everOnline ? 'reconnecting' : 'connecting');
    var sock;
    try { sock = new WebSocket(wsUrl.href); } catch (e) { scheduleRetry(); return; }
    ws = sock;
    // A handshake that hangs counts as a failure.
    connectTimer = setTimeout(function () { if (ws === sock && !online) sock.close(); }, 8000);
    sock.addEventListener('open', function () {
      if (ws !== sock) return;
      clearTimeout(connectTimer);
      online = true;
      attempt = 0;
      var wasOffline = everOnline;
      everOnline = true;
      setState('online', wasOffline);
      flush();
    });
    sock.addEventListener('message', function (ev) {
      if (ws !== sock || typeof ev.data !== 'string') return;
      var m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      if (m && typeof m === 'object') receive(m);
    });
    sock.addEventListener('close', function () {
      if (ws !== sock) return;
      clearTimeout(connectTimer);
      ws = null;
      online = false;
      // Whatever got no reply goes out again, first, once we are back.
      outbox = unacked.concat(outbox);
      unacked = [];
      setTyping(false);
      markQueued();
      setState('offline');
      scheduleRetry();
    });
  }
  function scheduleRetry() {
    if (retryTimer) return;
    var base = Math.min(15000, 500 * Math.pow(2, attempt));
    attempt++;
    retryTimer = setTimeout(connect, base * (0.8 + Math.random() * 0.4));
  }
  window.addEventListener('online', function () {
    if (started && !ws) { clearTimeout(retryTimer); retryTimer = null; attempt = 0; connect(); }
  });

  function setState(s, recovered) {
    stateDot.className = 'state' + (s === 'online' ? ' online' : s === 'offline' || s === 'reconnecting' ? ' offline' : '');
    clearTimeout(bannerTimer);
    banner.className = 'banner';
    while (banner.firstChild) banner.removeChild(banner.firstChild);
    if (s === 'online') {
      stateText.textContent = 'Online \u00b7 quotes its sources';
      if (recovered) {
        banner.className = 'banner ok';
        append(banner, [icon('check'), h('span', { text: 'Back online.' })]);
        banner.hidden = false;
        bannerTimer = setTimeout(function () { banner.hidden = true; }, 2500);
      } else banner.hidden = true;
    } else if (s === 'connecting') {
      stateText.textContent = 'Connecting\u2026';
    } else {
      stateText.textContent = 'Offline \u00b7 reconnecting\u2026';
      append(banner, [icon('offline'), h('span', {
        text: everOnline ? 'You\u2019re offline. Reconnecting\u2026 Anything you send now will be delivered when the connection is back.'
          : 'Can\u2019t reach the assistant right now. Retrying\u2026 Anything you send will be delivered once connected.'
      })]);
      banner.hidden = false;
    }
  }

  function takeUnacked(pred) {
    for (var i = 0; i < unacked.length; i++) if (pred(unacked[i])) return unacked.splice(i, 1)[0];
    return null;
  }
  function receive(m) {
    switch (m.type) {
      case 'answer': {
        var id = typeof m.id === 'string' ? m.id : null;
        if (id) takeUnacked(function (x) { return x.type === 'ask' && x.id === id; });
        refreshTyping();
        var p = id ? pendingAsks.get(id) : null;
        if (id && !p) return; // answer to a forgotten conversation, or a duplicate after a resend
        if (p) pendingAsks.delete(id);
        renderAnswer(m, p ? p.text : '');
        return;
      }
      case 'feedback_saved': {
        var aid = str(m.answer_id);
        takeUnacked(function (x) { return x.type === 'feedback' && x.answer_id === aid; });
        feedbackSaved(aid);
        return;
      }
      case 'handoff_saved': {
        var hid = str(m.id);
        takeUnacked(function (x) { return x.type === 'handoff' && x.id === hid; });
        var form = handoffForms.get(hid);
        if (form) { handoffForms.delete(hid); form.saved(str(m.handoff_id)); }
        return;
      }
      case 'reset_done':
        takeUnacked(function (x) { return x.type === 'reset'; });
        return;
      case 'error': {
        var eid = typeof m.id === 'string' ? m.id : null;
        if (eid && handoffForms.has(eid)) {
          takeUnacked(function (x) { return x.type === 'handoff' && x.id === eid; });
          var failed = handoffForms.get(eid);
          handoffForms.delete(eid);
          failed.failed(str(m.code), str(m.message));
          return;
        }
        var sent = eid ? takeUnacked(function (x) { return x.type === 'ask' && x.id === eid; }) : null;
        var pa = eid ? pendingAsks.get(eid) : null;
        if (eid) pendingAsks.delete(eid);
        refreshTyping();
        if (eid && !pa) return;
        var code = str(m.code);
        var retry = pa ? pa.text : (sent && sent.text) || null;
        if (!eid && code === 'rate_limited') {
          // A feedback that was refused: send it again a little later.
          var fb = takeUnacked(function (x) { return x.type === 'feedback'; });
          if (fb) { setTimeout(function () { enqueue(fb); }, 1500); return; }
        }
        if (!eid && code === 'bad_request') {
          var stale = takeUnacked(function (x) { return x.type === 'feedback'; });
          if (stale) { feedbackRefused(stale.answer_id); return; }
        }
        var say = {
          rate_limited: 'You\u2019re sending messages a little fast. Please wait a moment and try again.',
          too_large: 'That message is too long for me. Please shorten it.',
          internal: 'Sorry, something went wrong on our side.',
          bad_utf8: 'Sorry, I couldn\u2019t read that message.'
        }[code] || 'Sorry, I couldn\u2019t process that message.';
        systemNote(say, code === 'too_large' || code === 'bad_utf8' ? null : retry);
        return;
      }
      default:
        return;
    }
  }

  // ---------------------------------------------------------------- hand-off to the clinic's staff
  function randomId() {
    var bytes = new Uint8Array(9);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return 'h-' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function contactKind(v) {
    if (/^[^\s@<>"(),;]+@[^\s@<>"(),;]+\.[^\s@<>"(),;]{2,}$/.test(v)) return 'email';
    var digits = v.replace(/[^0-9]/g, '');
    if (/^\+?[0-9 ().-]+$/.test(v) && digits.length >= 7 && digits.length <= 15) return 'phone';
    return null;
  }
  // The hand-off form, as a message in the chat: name (optional), email or phone, the question
  // (prefilled, editable) and the consent. "Sent" shows only once the server has stored it; a
  // failure says so and keeps what was typed.
  function offerHandoff(question, afterEl) {
    open();
    var n = ++uid;
    var nameIn = h('input', { type: 'text', id: 'hf-name-' + n, autocomplete: 'name', maxlength: '100' });
    var contactIn = h('input', { type: 'text', id: 'hf-contact-' + n, autocomplete: 'email', inputmode: 'email', required: true, maxlength: '254', 'aria-describedby': 'hf-err-' + n });
    var questionIn = h('textarea', { id: 'hf-q-' + n, required: true, maxlength: String(MAX_QUESTION), rows: '3' });
    questionIn.value = question || '';
    var consentIn = h('input', { type: 'checkbox', id: 'hf-consent-' + n, required: true });
    var error = h('p', { class: 'hf-error', id: 'hf-err-' + n, role: 'alert', hidden: true });
    var sendBtn2 = h('button', { type: 'submit', class: 'cta' }, icon('send'), 'Send to the clinic');
    var cancelBtn = h('button', { type: 'button', class: 'linkbtn', text: 'Cancel' });
    var formEl = h('form', { class: 'hf', novalidate: true, 'aria-label': 'Ask the clinic to contact you' },
      h('p', { class: 'hf-title', text: 'The clinic\u2019s staff will get back to you' }),
      h('label', { for: 'hf-name-' + n }, h('span', {}, 'Your name ', h('span', { class: 'opt', text: '(optional)' })), nameIn),
      h('label', { for: 'hf-contact-' + n }, 'Email or phone', contactIn),
      h('label', { for: 'hf-q-' + n }, 'Your question', questionIn),
      h('label', { class: 'consent', for: 'hf-consent-' + n }, consentIn, h('span', { text: 'The clinic will contact you about this question.' })),
      error,
      h('div', { class: 'hf-actions' }, sendBtn2, cancelBtn));
    var msg = h('div', { class: 'msg bot handoff-form' }, srOnly('Assistant: '), h('div', { class: 'bubble' }, formEl));
    if (afterEl && afterEl.parentNode === log && afterEl.nextSibling) log.insertBefore(msg, afterEl.nextSibling); else addToLog(msg);
    scrollDown();
    setTimeout(function () { (question ? contactIn : questionIn).focus(); }, 30);
    var sending = null;

    function showError(text) {
      error.textContent = text;
      error.hidden = false;
      announce(text);
    }
    function setBusy(on) {
      [nameIn, contactIn, questionIn, consentIn, sendBtn2].forEach(function (x) { x.disabled = on; });
      sendBtn2.lastChild.textContent = on ? 'Sending\u2026' : 'Send to the clinic';
    }
    formEl.addEventListener('input', function () { if (!sending) error.hidden = true; });
    cancelBtn.addEventListener('click', function () {
      if (sending) handoffForms.delete(sending);
      msg.remove();
      input.focus();
    });
    formEl.addEventListener('submit', function (e) {
      e.preventDefault();
      error.hidden = true;
      var contact = contactIn.value.trim(), q = questionIn.value.trim();
      if (!contactKind(contact)) { showError('Please give an email address or a phone number the clinic can reach you on.'); contactIn.focus(); return; }
      if (!q) { showError('Please write your question.'); questionIn.focus(); return; }
      if (!consentIn.checked) { showError('Please tick the box so the clinic may contact you.'); consentIn.focus(); return; }
      sending = randomId();
      setBusy(true);
      handoffForms.set(sending, {
        saved: function () {
          sending = null;
          var done = h('div', { class: 'hf-done', role: 'status' }, icon('check'),
            h('span', { text: 'Sent. The clinic will contact you at ' + contact + ' about your question.' }));
          formEl.replaceWith(done);
          announce('Sent. The clinic will contact you.');
        },
        failed: function (code, message) {
          sending = null;
          setBusy(false);
          if (code === 'bad_request' && /contact details|not available/i.test(message) && config.staff) {
            showError('Messages can\u2019t be sent from here. Please contact the clinic directly.');
            var href = contactHref(q);
            error.appendChild(h('span', {}, ' ', h('a', { href: href, target: config.staff.kind === 'url' ? '_blank' : null, rel: 'noopener', text: config.staff.label })));
          } else if (code === 'rate_limited') {
            showError('That was a little fast. Please wait a moment and press Send again.');
          } else {
            showError('Sorry, your message could not be sent' + (message ? ' (' + message + ')' : '') + '. What you typed is still here; please try again.');
          }
        }
      });
      var m = { type: 'handoff', id: sending, contact: contact, question: q, consent: true };
      if (nameIn.value.trim()) m.name = nameIn.value.trim();
      enqueue(m);
    });
  }

  window.citedWidget = { open: open, close: close, ask: function (t) { open(); ask(t); } };
})();
