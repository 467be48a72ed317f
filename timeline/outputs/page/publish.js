(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("tl-data").textContent);
  var C = {};  // the records' fields, a column each; a column of few values comes as a table and codes
  Object.keys(D.columns).forEach(function (f) {
    var col = D.columns[f];
    C[f] = Array.isArray(col) ? col : col.codes.map(function (k) { return col.values[k]; });
  });
  var N = D.t0.length, t0 = D.t0, t1 = D.t1;
  var canvas = document.getElementById("tl-canvas"), fig = document.getElementById("tl-chart");
  var card = document.getElementById("tl-card"), cardTitle = document.getElementById("tl-card-title");
  var cardBody = document.getElementById("tl-card-body"), form = document.getElementById("tl-controls");
  var count = document.getElementById("tl-count");
  var ctl = {kind: document.getElementById("tl-kind"), category: document.getElementById("tl-category"),
             outlet: document.getElementById("tl-outlet"), q: document.getElementById("tl-q")};
  var view = {kind: "", category: "", outlet: "", q: "", event: ""};
  var byId = {}, outletsOf = [], searchText = [];
  for (var i = 0; i < N; i++) {
    byId[C.id[i]] = i;
    var o = {};
    D.cites[i].forEach(function (s) { o[D.sources[s][0]] = 1; });
    outletsOf.push(o);
  }
  var shown = [], selected = -1, px = new Float32Array(N), py = new Float32Array(N);

  // --- the view: filters, search, hash ------------------------------------------------------
  function text(i) {
    if (searchText[i] === undefined) {
      var li = document.getElementById("event-" + C.id[i]);
      searchText[i] = (li ? li.textContent : [C.title[i], C.label[i], C.claimed_by[i]].join(" ")).toLowerCase();
    }
    return searchText[i];
  }
  function visible(i) {
    if (view.kind && C.kind[i] !== view.kind) return false;
    if (view.category && C.category[i] !== view.category) return false;
    if (view.outlet && !outletsOf[i][view.outlet]) return false;
    if (view.q) {
      var words = view.q.toLowerCase().split(/\s+/), t = text(i);
      for (var w = 0; w < words.length; w++) if (words[w] && t.indexOf(words[w]) < 0) return false;
    }
    return true;
  }
  function readHash() {
    var v = {kind: "", category: "", outlet: "", q: "", event: ""};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var kv = part.split("=");
      if (kv.length === 2 && Object.prototype.hasOwnProperty.call(v, kv[0])) {
        try { v[kv[0]] = decodeURIComponent(kv[1].replace(/\+/g, " ")); } catch (e) { /* a broken link: ignored */ }
      }
    });
    return v;
  }
  function writeHash() {
    var parts = [];
    Object.keys(view).forEach(function (k) { if (view[k]) parts.push(k + "=" + encodeURIComponent(view[k])); });
    var h = parts.length ? "#" + parts.join("&") : "";
    if (h !== location.hash && !(h === "" && location.hash === "#")) {
      history.replaceState(null, "", h || location.pathname + location.search);
    }
  }
  var listFiltered = false;
  function filterList() {
    var any = view.kind || view.category || view.outlet || view.q;
    if (!any && !listFiltered) return;
    listFiltered = !!any;
    for (var i = 0; i < N; i++) {
      var li = document.getElementById("event-" + C.id[i]);
      if (li) li.hidden = any ? !visible(i) : false;
    }
  }
  function apply(from) {
    ["kind", "category", "outlet", "q"].forEach(function (k) {
      if (from === "hash" && ctl[k]) {
        ctl[k].value = view[k];
        if (ctl[k].value !== view[k]) view[k] = "";  // a value the page does not have
      }
    });
    shown = [];
    for (var i = 0; i < N; i++) if (visible(i)) shown.push(i);
    if (count) count.textContent = shown.length === N ? N.toLocaleString("en") + " events" :
      shown.length.toLocaleString("en") + " of " + N.toLocaleString("en") + " events shown";
    draw();
    filterList();
    var listN = document.getElementById("tl-list-n");
    if (listN) listN.textContent = shown.length === N ? N.toLocaleString("en") : shown.length.toLocaleString("en") + " of " + N.toLocaleString("en");
    var e = byId[view.event];
    if (e !== undefined && visible(e)) open(e, false); else close(false);  // an event the filters hide has no card
  }

  // --- the scale: time, with long empty stretches cut short ---------------------------------
  var segs = [];
  (function () {
    if (!N) return;
    var days = t0.slice().sort(function (a, b) { return a - b; }), lo = days[0], hi = Math.max(days[N - 1], maxOf(t1));
    var gaps = [];
    for (var i = 1; i < N; i++) if (days[i] - days[i - 1] > 0) gaps.push([days[i] - days[i - 1], days[i - 1], days[i]]);
    gaps.sort(function (a, b) { return b[0] - a[0]; });
    var cuts = [], rest = hi - lo;
    for (var g = 0; g < gaps.length && cuts.length < 3; g++) {
      if (gaps[g][0] > Math.max(3650, 2 * (rest - gaps[g][0]))) { cuts.push(gaps[g]); rest -= gaps[g][0]; } else break;
    }
    cuts.sort(function (a, b) { return a[1] - b[1]; });
    var start = lo;
    cuts.forEach(function (c) { segs.push([start, c[1]]); start = c[2]; });
    segs.push([start, hi]);
    var total = 0;
    segs.forEach(function (s) { total += s[1] - s[0]; });
    var pad = Math.max(60, total * 0.02);
    segs = segs.map(function (s) { return [s[0] - pad, s[1] + pad]; });
  })();
  function maxOf(a) { var m = -Infinity; for (var i = 0; i < a.length; i++) if (a[i] > m) m = a[i]; return m; }
  var GAP = 26;
  function layoutSegs(len) {  // pixel start and length of each piece of the axis
    var room = len - GAP * (segs.length - 1), total = 0, out = [], at = 0;
    segs.forEach(function (s) { total += s[1] - s[0]; });
    var min = Math.min(60, room / segs.length), free = room - min * segs.length;
    segs.forEach(function (s) {
      var w = min + free * (s[1] - s[0]) / total;
      out.push([at, w]); at += w + GAP;
    });
    return out;
  }
  function segOf(day) {
    for (var k = 0; k < segs.length - 1; k++) if (day <= segs[k][1]) return k;
    return segs.length - 1;
  }
  function pos(day, lay) {
    for (var k = 0; k < segs.length; k++) {
      if (day <= segs[k][1] || k === segs.length - 1) {
        var s = segs[k], L = lay[k];
        return L[0] + L[1] * (Math.min(Math.max(day, s[0]), s[1]) - s[0]) / (s[1] - s[0]);
      }
    }
    return 0;
  }
  function dayOf(y, m) { return Date.UTC(y, m, 1) / 864e5; }
  function ticks(s, len) {  // [day, label] for one piece of the axis, about one per 90 px
    var yrs = (s[1] - s[0]) / 365.25, want = Math.max(1, len / 90), out = [];
    var steps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500];
    var first = new Date(s[0] * 864e5).getUTCFullYear(), last = new Date(s[1] * 864e5).getUTCFullYear();
    if (yrs / want < 0.5) {  // months
      var ms = [1, 2, 3, 6].filter(function (m) { return yrs * 12 / m <= want * 1.3; })[0] || 6;
      var names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
      for (var y = first; y <= last; y++) for (var m = 0; m < 12; m += ms) {
        var d = dayOf(y, m);
        if (d >= s[0] && d <= s[1]) out.push([d, m === 0 ? String(y) : names[m]]);
      }
      return out;
    }
    var step = steps.filter(function (st) { return yrs / st <= want * 1.3; })[0] || 1000;
    for (var yy = Math.ceil(first / step) * step; yy <= last; yy += step) {
      var dd = dayOf(yy, 0);
      if (dd >= s[0] && dd <= s[1]) out.push([dd, String(yy)]);
    }
    if (!out.length) out.push([s[0] + (s[1] - s[0]) / 2, String(new Date((s[0] + (s[1] - s[0]) / 2) * 864e5).getUTCFullYear())]);
    return out;
  }

  // --- drawing -----------------------------------------------------------------------------
  var css = getComputedStyle(document.documentElement);
  function colour(name) { return css.getPropertyValue(name).trim() || "#555"; }
  var lanes = [], laneOf = new Int32Array(N);
  (function () {
    var seen = {};
    for (var i = 0; i < N; i++) {
      var c = C.category[i];
      if (!(c in seen)) { seen[c] = lanes.length; lanes.push(C.category_label[i] || c); }
      laneOf[i] = seen[c];
    }
  })();
  function shape(ctx, kind, x, y, r) {
    if (kind === "claim") { ctx.moveTo(x, y - r * 1.25); ctx.lineTo(x + r * 1.25, y); ctx.lineTo(x, y + r * 1.25); ctx.lineTo(x - r * 1.25, y); ctx.closePath(); }
    else if (kind === "statistic") { ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8); }
    else if (kind === "context") { ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.1, y + r * 0.8); ctx.lineTo(x - r * 1.1, y + r * 0.8); ctx.closePath(); }
    else { ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 6.2832); }
  }
  function fit(ctx, s, w) {
    if (ctx.measureText(s).width <= w) return s;
    while (s.length > 1 && ctx.measureText(s + "…").width > w) s = s.slice(0, Math.max(1, Math.floor(s.length * 0.8)));
    return s + "…";
  }
  function pixels(ctx, n, r, dpr) {  // thousands of markers too small to tell shapes apart: squares written as pixels
    var cw = ctx.canvas.width, ch = ctx.canvas.height, rgba = {}, ok = true;
    Object.keys(D.kinds).forEach(function (k) {
      var m = /^#([0-9a-f]{6})$/i.exec(colour("--k-" + k));
      if (!m) { ok = false; return; }
      var v = parseInt(m[1], 16);
      rgba[k] = (255 << 24 | (v & 255) << 16 | (v >> 8 & 255) << 8 | v >> 16) >>> 0;  // little-endian RGBA
    });
    if (!ok || new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) return false;
    var img = ctx.getImageData(0, 0, cw, ch), buf = new Uint32Array(img.data.buffer), half = Math.max(1, Math.round(r * dpr));
    for (var a = 0; a < n; a++) {
      var i = shown[a], c = rgba[C.kind[i]];
      if (c === undefined) continue;
      var x0 = Math.max(0, Math.round(px[i] * dpr) - half), x1 = Math.min(cw, Math.round(px[i] * dpr) + half);
      var y0 = Math.max(0, Math.round(py[i] * dpr) - half), y1 = Math.min(ch, Math.round(py[i] * dpr) + half);
      for (var y = y0; y < y1; y++) buf.fill(c, y * cw + x0, y * cw + x1);
    }
    ctx.putImageData(img, 0, 0);
    return true;
  }
  var vertical = false, W = 0, H = 0;
  function draw() {
    if (!fig) return;
    W = Math.max(200, fig.clientWidth);
    vertical = W < 600;
    var n = shown.length, LANE = 46, AXIS = 30;
    H = vertical ? Math.round(Math.min(8000, Math.max(420, n * 24 + 40))) : lanes.length * LANE + AXIS + 8;
    var dpr = window.devicePixelRatio || 1;
    if (H * dpr > 16000) dpr = 16000 / H;
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
    canvas.style.height = H + "px";
    var ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = colour("--bg"); ctx.fillRect(0, 0, W, H);
    var ink = colour("--ink"), muted = colour("--muted"), rule = colour("--rule");
    ctx.font = "12px Arial, 'Liberation Sans', Helvetica, sans-serif";
    ctx.textBaseline = "middle";
    var r = n > 5000 ? 2.5 : n > 500 ? 4 : 6;
    var left = vertical ? 56 : 12, len = vertical ? H - 24 : W - 24, lay = layoutSegs(len);
    // axis, ticks and the cuts in it
    ctx.strokeStyle = rule; ctx.fillStyle = muted; ctx.lineWidth = 1;
    segs.forEach(function (s, k) {
      var L = lay[k];
      ticks(s, L[1]).forEach(function (t) {
        var p = pos(t[0], lay);
        ctx.beginPath();
        if (vertical) { ctx.moveTo(left - 6, 12 + p); ctx.lineTo(W - 4, 12 + p); ctx.stroke(); ctx.textAlign = "right"; ctx.fillText(t[1], left - 10, 12 + p); }
        else { ctx.moveTo(left + p, 4); ctx.lineTo(left + p, H - AXIS + 4); ctx.stroke(); ctx.textAlign = "center"; ctx.fillText(t[1], left + p, H - AXIS / 2); }
      });
      if (k > 0) {
        var g = lay[k][0] - GAP / 2;
        ctx.save(); ctx.strokeStyle = muted; ctx.lineWidth = 1.5; ctx.beginPath();
        for (var z = 0; z < 2; z++) {
          var o = z * 5 - 2.5;
          if (vertical) { ctx.moveTo(left - 10, 12 + g + o - 3); ctx.lineTo(left + 10, 12 + g + o + 3); }
          else { ctx.moveTo(left + g + o - 3, H - AXIS + 10); ctx.lineTo(left + g + o + 3, H - AXIS - 2); }
        }
        ctx.stroke(); ctx.restore();
      }
    });
    if (!vertical) {  // lane names
      ctx.textAlign = "left"; ctx.fillStyle = muted;
      lanes.forEach(function (name, k) {
        ctx.beginPath(); ctx.strokeStyle = rule; ctx.moveTo(0, k * LANE + 0.5); ctx.lineTo(W, k * LANE + 0.5); ctx.stroke();
        ctx.fillText(name, 4, k * LANE + 9);
      });
    }
    // positions
    for (var a = 0; a < n; a++) {
      var i = shown[a];
      var p0 = pos(t0[i], lay);
      if (vertical) { px[i] = left + 14; py[i] = 12 + p0; }
      else { px[i] = left + p0; py[i] = laneOf[i] * LANE + 28; }
    }
    // spans, then the markers of each kind in one path
    ctx.lineWidth = 3; ctx.globalAlpha = 0.45;
    Object.keys(D.kinds).forEach(function (k) {
      ctx.strokeStyle = colour("--k-" + k); ctx.beginPath();
      for (var a = 0; a < n; a++) {
        var i = shown[a];
        if (C.kind[i] !== k || t1[i] <= t0[i] || vertical) continue;
        var q = pos(Math.min(t1[i], segs[segOf(t0[i])][1]), lay);  // a span stops at a cut in the axis
        if (vertical) { ctx.moveTo(px[i], py[i]); ctx.lineTo(px[i], 12 + q); }
        else { ctx.moveTo(px[i], py[i]); ctx.lineTo(left + q, py[i]); }
      }
      ctx.stroke();
    });
    ctx.globalAlpha = 1; ctx.lineWidth = 1;
    if (n > 5000 && pixels(ctx, n, r, dpr)) { /* drawn */ } else Object.keys(D.kinds).forEach(function (k) {  // Skia fills one path of thousands of shapes slowly: a few hundred a path
      ctx.fillStyle = colour("--k-" + k);
      var inPath = 0;
      ctx.beginPath();
      for (var a = 0; a < n; a++) {
        var i = shown[a];
        if (C.kind[i] !== k) continue;
        shape(ctx, k, px[i], py[i], r);
        if (++inPath === 300) { ctx.fill(); ctx.beginPath(); inPath = 0; }
      }
      ctx.fill();
    });
    // labels where they fit: left to right in each lane, or top to bottom on a phone
    // each label on a halo of the background, so that no bar, band or grid line runs through its letters
    ctx.fillStyle = ink; ctx.textAlign = "left"; ctx.strokeStyle = colour("--bg"); ctx.lineWidth = 4; ctx.lineJoin = "round";
    var free = new Float64Array(vertical ? 1 : lanes.length).fill(-1e9), labelled = 0;
    for (var b = 0; b < n && labelled < 400; b++) {
      var j = shown[b], lane = vertical ? 0 : laneOf[j];
      var at = vertical ? py[j] : px[j] + r + 4;
      if (at < free[lane]) continue;
      var label = C.label[j] || C.title[j];
      if (vertical) {
        var v = fit(ctx, label, W - px[j] - 16);
        ctx.strokeText(v, px[j] + r + 6, py[j]); ctx.fillText(v, px[j] + r + 6, py[j]);
        free[lane] = at + 18;
      } else {
        var nextX = W - 4;
        for (var c = b + 1; c < n; c++) if (laneOf[shown[c]] === lane) { nextX = px[shown[c]] - r - 2; break; }
        if (nextX - at < 40) { free[lane] = nextX; continue; }  // no room before the next marker: no need to measure
        var room = Math.min(220, W - 4 - at), s = fit(ctx, label, room);
        var w = ctx.measureText(s).width;
        if (at + w > nextX) { s = fit(ctx, label, nextX - at); w = ctx.measureText(s).width; }
        ctx.strokeText(s, at, py[j]); ctx.fillText(s, at, py[j]);
        free[lane] = at + w + 8;
      }
      labelled++;
    }
    if (selected >= 0 && visible(selected)) {
      ctx.strokeStyle = ink; ctx.lineWidth = 2.5; ctx.beginPath();
      ctx.arc(px[selected], py[selected], r + 5, 0, 6.2832); ctx.stroke();
    }
  }

  // --- the card ----------------------------------------------------------------------------
  function open(i, focus) {
    selected = i;
    var li = document.getElementById("event-" + C.id[i]);
    cardTitle.textContent = C.title[i];
    cardBody.textContent = "";
    if (li) {
      for (var c = li.firstChild; c; c = c.nextSibling) {
        if (c.nodeName === "H3") continue;
        var copy = c.cloneNode(true);
        if (copy.removeAttribute) copy.removeAttribute("id");
        cardBody.appendChild(copy);
      }
    } else {
      var p = document.createElement("p");
      p.textContent = C.date_label[i] + " · " + (D.kinds[C.kind[i]] || C.kind[i]);
      cardBody.appendChild(p);
    }
    card.hidden = false;
    draw();
    // on a phone the chart is long: the card opens under its marker (in an iframe as tall as the page, the
    // reader's view is the parent's, which this page cannot scroll)
    card.className = vertical ? "card over" : "card";
    card.style.top = vertical ? Math.round(py[i] + 16) + "px" : "";
    if (view.event !== C.id[i]) { view.event = C.id[i]; writeHash(); }
    if (focus) card.focus({preventScroll: true});
    // its first passage in view, scrolled no further than that (the chart above stays in sight where there is room)
    var cb = card.getBoundingClientRect(), qb = (card.querySelector("blockquote") || card).getBoundingClientRect();
    if (cb.top < 0) window.scrollBy(0, cb.top - 8);
    else if (qb.bottom > innerHeight) window.scrollBy(0, Math.min(cb.top - 8, qb.bottom - innerHeight + 16));
    report();
  }
  function close(focusChart) {
    if (card.hidden && selected < 0) return;
    card.hidden = true; selected = -1;
    if (view.event) { view.event = ""; writeHash(); }
    draw();
    if (focusChart) canvas.focus();
    report();
  }
  function nearest(x, y) {
    var best = -1, bd = 18 * 18;
    for (var a = 0; a < shown.length; a++) {
      var i = shown[a], dx = px[i] - x, dy = py[i] - y, d = dx * dx + dy * dy;
      if (d <= bd) { bd = d; best = i; }
    }
    return best;
  }
  canvas.addEventListener("click", function (e) {
    var b = canvas.getBoundingClientRect(), i = nearest(e.clientX - b.left, e.clientY - b.top);
    if (i >= 0) open(i, false);
  });
  canvas.addEventListener("keydown", function (e) {
    if (!shown.length) return;
    var k = shown.indexOf(selected), step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[e.key];
    if (step) {
      e.preventDefault();
      k = k < 0 ? (step > 0 ? 0 : shown.length - 1) : Math.min(shown.length - 1, Math.max(0, k + step));
      open(shown[k], false); canvas.focus({preventScroll: true});
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault(); open(shown[e.key === "Home" ? 0 : shown.length - 1], false); canvas.focus({preventScroll: true});
    } else if ((e.key === "Enter" || e.key === " ") && selected >= 0) { e.preventDefault(); open(selected, true); }
    else if (e.key === "Escape") close(true);
  });
  document.getElementById("tl-close").addEventListener("click", function () { close(true); });
  card.addEventListener("keydown", function (e) { if (e.key === "Escape") close(true); });
  window.timeline = {  // for a page that embeds or tests this one: where a marker is, in the canvas's px
    marker: function (id) { var i = byId[id]; return i === undefined || !visible(i) ? null : {x: px[i], y: py[i]}; },
    shown: function () { return shown.map(function (i) { return C.id[i]; }); }
  };

  // --- controls, resizing, embedding ---------------------------------------------------------
  if (form) {
    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var timer = 0;
    ["kind", "category", "outlet", "q"].forEach(function (k) {
      ctl[k].addEventListener(k === "q" ? "input" : "change", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { view[k] = ctl[k].value.trim(); view.event = ""; writeHash(); apply("controls"); },
                           k === "q" ? 150 : 0);
      });
    });
    form.addEventListener("reset", function () {
      setTimeout(function () { view = {kind: "", category: "", outlet: "", q: "", event: ""}; writeHash(); apply("controls"); }, 0);
    });
  }
  window.addEventListener("hashchange", function () { view = readHash(); apply("hash"); });
  var lastW = 0, pending = 0;
  function report() {
    if (window.parent === window) return;
    var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({type: "timeline:height", height: h}, "*");
  }
  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      if (!pending) pending = requestAnimationFrame(function () {
        pending = 0;
        if (fig.clientWidth !== lastW) { lastW = fig.clientWidth; draw(); }
        report();
      });
    }).observe(document.documentElement);
  }
  if (window.matchMedia) {
    var mq = matchMedia("(prefers-color-scheme: dark)");
    var redraw = function () { css = getComputedStyle(document.documentElement); draw(); };
    if (mq.addEventListener) mq.addEventListener("change", redraw);
  }
  window.addEventListener("beforeprint", draw);

  view = readHash();
  apply("hash");
  lastW = fig.clientWidth;
  requestAnimationFrame(function () {  // two frames: the chart has been painted
    requestAnimationFrame(function () {
      window.timelineDrawn = performance.now();
      document.documentElement.setAttribute("data-drawn", "");
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    searchText = [];
    if (view.kind || view.category || view.outlet || view.q || view.event) apply("hash");
    report();
  });
  window.addEventListener("load", report);
})();
