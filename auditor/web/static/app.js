// crm-audit serve: the page's behaviour. No framework, no CDN; every client string goes in via
// textContent (never innerHTML), so names from the files cannot become markup.
"use strict";
(function () {
  const cfg = JSON.parse(document.getElementById("config").textContent);
  const T = cfg.t;
  const $ = (id) => document.getElementById(id);
  const fmt = (s, vals) => s.replace(/\{(\w+)\}/g, (_, k) => (k in vals ? vals[k] : ""));
  const mb = (n) => (n / 1048576).toFixed(n < 10485760 ? 2 : 1);
  const num = (n) => (n === null || n === undefined ? "" : Number(n).toLocaleString(cfg.lang === "ru" ? "ru-RU" : "en-US"));
  let chosen = [];       // [{file, path}]
  let current = null;    // audit id shown
  let timer = null;
  let lastState = null;

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // ---- choosing files ----------------------------------------------------------------------
  function readEntry(entry, out) {
    if (entry.isFile) {
      return new Promise((ok) => entry.file((f) => { out.push({ file: f, path: entry.fullPath.replace(/^\//, "") }); ok(); }, () => ok()));
    }
    if (entry.isDirectory) {
      const reader = entry.createReader();
      return new Promise((ok) => {
        const all = [];
        const more = () => reader.readEntries((batch) => {   // readEntries returns at most 100 at a time
          if (!batch.length) { Promise.all(all.map((e) => readEntry(e, out))).then(ok); return; }
          all.push(...batch); more();
        }, () => ok());
        more();
      });
    }
    return Promise.resolve();
  }

  function add(items) {
    const known = new Set(chosen.map((c) => c.path + "\0" + c.file.size));
    for (const it of items) if (!known.has(it.path + "\0" + it.file.size)) chosen.push(it);
    chosen.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    showChosen();
  }

  function showChosen() {
    const body = $("chosen").tBodies[0];
    body.replaceChildren();
    let total = 0;
    chosen.forEach((c, i) => {
      total += c.file.size;
      const tr = el("tr");
      tr.append(el("td", { class: "path" }, c.path), el("td", { class: "num" }, mb(c.file.size)));
      const td = el("td", { class: "bar-col" });
      const bar = el("div", { class: "bar" });
      bar.append(el("i", { id: "up-" + i }));
      td.append(bar);
      tr.append(td);
      body.append(tr);
    });
    $("chosen").hidden = chosen.length === 0;
    $("total-size").textContent = mb(total);
    const over = total > cfg.limit;
    $("too-big").hidden = !over;
    $("too-big").textContent = over ? fmt(T.too_big, { mb: Math.round(cfg.limit / 1048576) }) : "";
    $("start").disabled = chosen.length === 0 || over;
    $("clear").disabled = chosen.length === 0;
  }

  const drop = $("drop");
  ["dragenter", "dragover"].forEach((ev) => drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add("over"); }));
  ["dragleave", "drop"].forEach((ev) => drop.addEventListener(ev, () => drop.classList.remove("over")));
  drop.addEventListener("drop", async (e) => {
    e.preventDefault();
    const out = [];
    const entries = [...(e.dataTransfer.items || [])].map((it) => it.webkitGetAsEntry && it.webkitGetAsEntry()).filter(Boolean);
    if (entries.length) await Promise.all(entries.map((en) => readEntry(en, out)));
    else for (const f of e.dataTransfer.files) out.push({ file: f, path: f.name });
    add(out);
  });
  drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("pick-files").click(); } });
  $("pick-files").addEventListener("change", (e) => { add([...e.target.files].map((f) => ({ file: f, path: f.name }))); e.target.value = ""; });
  $("pick-folder").addEventListener("change", (e) => { add([...e.target.files].map((f) => ({ file: f, path: f.webkitRelativePath || f.name }))); e.target.value = ""; });
  $("clear").addEventListener("click", () => { chosen = []; showChosen(); });

  // ---- upload ------------------------------------------------------------------------------
  $("form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (!chosen.length) return;
    const fd = new FormData();
    fd.append("lang", $("audit-lang").value);
    if ($("as-of").value) fd.append("as_of", $("as-of").value);
    const sa = $("self-assessment").files[0];
    if (sa) fd.append("self_assessment", sa, sa.name);
    chosen.forEach((c) => fd.append("files", c.file, c.path));
    const ends = [];
    let acc = 0;
    chosen.forEach((c) => { acc += c.file.size; ends.push(acc); });
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/audits");
    $("start").disabled = true;
    showRun(null);
    setStage(T.uploading, 0);
    $("run").scrollIntoView({ behavior: "smooth", block: "start" });
    xhr.upload.onprogress = (p) => {
      // multipart sends the parts in order: bytes sent so far say how far each file is
      const sent = Math.min(p.loaded, acc);
      chosen.forEach((c, i) => {
        const start = ends[i] - c.file.size;
        const share = c.file.size ? Math.max(0, Math.min(1, (sent - start) / c.file.size)) : (sent >= start ? 1 : 0);
        const bar = $("up-" + i);
        if (bar) bar.style.width = (share * 100).toFixed(1) + "%";
      });
      const share = p.lengthComputable ? p.loaded / p.total : sent / (acc || 1);
      $("total-bar").style.width = (share * 100).toFixed(1) + "%";
      setStage(T.uploading + " " + mb(p.loaded) + " / " + mb(p.total || acc) + " MB", share * 0.1);
    };
    xhr.onerror = () => { failed(T.network); $("start").disabled = false; };
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON: shown below */ }
      if (xhr.status !== 202) { failed(body.error || (T.error + " " + xhr.status)); $("start").disabled = false; return; }
      chosen = []; showChosen();
      history.pushState(null, "", "/audits/" + encodeURIComponent(body.id) + "?lang=" + cfg.lang);
      follow(body.id);
    };
    xhr.send(fd);
  });

  // ---- following an audit ------------------------------------------------------------------
  function showRun(id) {
    $("run").hidden = false;
    $("result").hidden = true;
    $("scorecard-box").hidden = true;
    $("run-error").hidden = true;
    $("recognition").tBodies[0].replaceChildren();
    current = id;
  }
  function setStage(text, share) {
    $("run-stage").textContent = text;
    $("run-bar").style.width = (Math.max(0, Math.min(1, share)) * 100).toFixed(1) + "%";
  }
  function failed(msg) {
    $("run-error").hidden = false;
    $("run-error").textContent = msg;
    $("run-state").textContent = T.failed;
    $("run-state").className = "state s-failed";
  }
  function follow(id) {
    showRun(id);
    lastState = null;
    clearTimeout(timer);
    poll();
  }
  async function poll() {
    if (!current) return;
    const id = current;
    let s;
    try {
      const r = await fetch("/api/audits/" + encodeURIComponent(id), { cache: "no-store" });
      if (r.status === 404) { failed((await r.json()).error); return; }
      s = await r.json();
    } catch (_) { failed(T.network); timer = setTimeout(poll, 3000); return; }
    if (id !== current) return;
    render(s);
    if (s.state === "queued" || s.state === "running") timer = setTimeout(poll, 700);
    else if (lastState !== s.state) refreshHistory();
    lastState = s.state;
  }

  function stageText(s) {
    if (s.state === "queued") return s.queue_position ? fmt(T.queue_place, { n: s.queue_position }) : T.queued;
    const label = T["stage_" + s.stage] || s.stage;
    const d = s.detail;
    if (s.stage === "loading" && d && typeof d === "object") {
      let txt = fmt(T.stage_loading, { k: d.index, n: d.total }) + ": " + d.file;
      if (d.rows !== undefined) txt += " (" + num(d.rows) + " " + T.rows + ")";
      return txt;
    }
    return d && typeof d === "string" ? label + ": " + d : label;
  }

  function render(s) {
    $("run-title").textContent = T.audit + " " + s.id;
    $("run-state").textContent = T[s.state] || s.state;
    $("run-state").className = "state s-" + s.state;
    setStage(stageText(s), 0.1 + 0.9 * (s.progress || 0));
    $("run-error").hidden = !s.error;
    $("run-error").textContent = s.error || "";
    renderFiles(s);
    const finished = s.state === "done" || s.state === "failed";
    $("rerun").disabled = !finished;
    if (s.state === "done") {
      $("result").hidden = false;
      $("level").textContent = s.level === null ? "—" : String(s.level);
      const links = { "dl-json": "audit.json", "dl-html": "scorecard.html", "dl-xlsx": "scorecard.xlsx", "dl-duckdb": "audit.duckdb", "dl-exp": "expectations.zip" };
      for (const [aid, name] of Object.entries(links)) {
        const a = $(aid);
        a.hidden = !s.outputs[name];
        if (s.outputs[name]) a.href = s.outputs[name];
      }
      if (s.outputs["scorecard.html"]) {
        const src = s.outputs["scorecard.html"] + "?inline=1";
        if ($("scorecard").getAttribute("src") !== src) $("scorecard").setAttribute("src", src);
        $("scorecard-box").hidden = false;
      }
    } else {
      $("result").hidden = true;
      $("scorecard-box").hidden = true;
    }
  }

  function renderFiles(s) {
    const body = $("recognition").tBodies[0];
    const keep = {};
    body.querySelectorAll("select").forEach((sel) => { keep[sel.dataset.file] = sel.value; });
    body.replaceChildren();
    const seen = new Set();
    for (const f of s.files) {
      const tr = el("tr", { class: f.problem ? "problem" : f.status === "skipped" ? "skipped" : "" });
      tr.append(el("td", { class: "path" }, f.path));
      tr.append(el("td", {}, f.system || ""), el("td", {}, f.entity || ""));
      tr.append(el("td", { class: "num" }, num(f.rows_read)), el("td", { class: "num" }, num(f.rows_loaded)),
                el("td", { class: "num" }, num(f.rows_rejected)));
      tr.append(el("td", { class: "why" }, f.status === "skipped" ? T.skipped : (f.problem || "")));
      const td = el("td");
      if (f.status !== "skipped" && !seen.has(f.file_id)) {   // one choice per uploaded file
        const sel = el("select", { "data-file": String(f.file_id), "aria-label": T.col_override + " " + f.path });
        sel.append(el("option", { value: "" }, T.auto));
        for (const se of cfg.systems) sel.append(el("option", { value: se }, se));
        sel.value = keep[f.file_id] !== undefined ? keep[f.file_id] : (f.override || "");
        td.append(sel);
      }
      seen.add(f.file_id);
      tr.append(td);
      body.append(tr);
    }
  }

  $("rerun").addEventListener("click", async () => {
    const overrides = {};
    $("recognition").querySelectorAll("select").forEach((sel) => { overrides[sel.dataset.file] = sel.value; });
    $("rerun").disabled = true;
    const r = await fetch("/api/audits/" + encodeURIComponent(current) + "/rerun", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ overrides }),
    });
    const body = await r.json().catch(() => ({}));
    if (r.status !== 202) { failed(body.error || (T.error + " " + r.status)); return; }
    $("scorecard").removeAttribute("src");
    follow(current);
  });

  // ---- earlier audits ----------------------------------------------------------------------
  async function refreshHistory() {
    let data;
    try { data = await (await fetch("/api/audits", { cache: "no-store" })).json(); } catch (_) { return; }
    const body = $("audits").tBodies[0];
    body.replaceChildren();
    if (!data.audits.length) { const tr = el("tr", { class: "empty" }); tr.append(el("td", {}, T.none_yet)); body.append(tr); }
    for (const a of data.audits) {
      const tr = el("tr", { "data-id": a.id });
      const td = el("td");
      td.append(el("a", { href: a.page_url + "?lang=" + cfg.lang }, a.created_label));
      tr.append(td);
      tr.append(el("td", {}, a.names.join(", ") + (a.files > 3 ? " …" : "") + " (" + a.files + ")"));
      tr.append(el("td", { class: "state s-" + a.state }, (T[a.state] || a.state) + (a.level ? " · " + T.level + " " + a.level : "")));
      const b = el("button", { type: "button", class: "secondary delete", "data-id": a.id }, T.delete);
      const tdb = el("td");
      tdb.append(b);
      tr.append(tdb);
      body.append(tr);
    }
  }
  $("audits").addEventListener("click", async (e) => {
    const b = e.target.closest("button.delete");
    if (!b || !confirm(T.confirm_delete)) return;
    const r = await fetch("/api/audits/" + encodeURIComponent(b.dataset.id), { method: "DELETE" });
    if (r.status === 204 || r.status === 404) {
      if (b.dataset.id === current) { current = null; $("run").hidden = true; history.pushState(null, "", "/?lang=" + cfg.lang); }
      refreshHistory();
    }
  });
  $("audits").addEventListener("click", (e) => {
    const a = e.target.closest("a");
    if (!a || !a.closest("tr")) return;
    e.preventDefault();
    history.pushState(null, "", a.getAttribute("href"));
    follow(a.closest("tr").dataset.id);
  });

  if (cfg.open) follow(cfg.open);
  showChosen();
})();
