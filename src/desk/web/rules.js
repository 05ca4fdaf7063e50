// The rule editor of `guihua serve` (规则 page): line numbers beside the
// text, a lint as one types (POST /api/lint), saving (POST /api/rules/FILE).
// Errors are marked at their line in the gutter and listed below.
"use strict";
(function () {
  const text = document.getElementById("text");
  if (!text) return;
  const gutter = document.getElementById("gutter");
  const status = document.getElementById("status");
  const diags = document.getElementById("diags");
  const file = text.dataset.file;
  let marks = new Map();
  let timer = null;
  let seq = 0;

  function lines() {
    return text.value.split("\n").length;
  }

  function drawGutter() {
    const n = lines();
    const frag = document.createDocumentFragment();
    for (let i = 1; i <= n; i++) {
      const s = document.createElement("span");
      s.textContent = String(i);
      s.dataset.line = String(i);
      const m = marks.get(i);
      if (m) {
        s.className = m.severity === "error" ? "err" : "warn";
        s.title = m.message;
      }
      frag.appendChild(s);
    }
    gutter.replaceChildren(frag);
    gutter.scrollTop = text.scrollTop;
  }

  function goTo(line) {
    const all = text.value.split("\n");
    let at = 0;
    for (let i = 0; i < line - 1 && i < all.length; i++) at += all[i].length + 1;
    text.focus();
    text.setSelectionRange(at, at);
    const lh = parseFloat(getComputedStyle(text).lineHeight) || 20;
    text.scrollTop = Math.max(0, (line - 5) * lh);
    gutter.scrollTop = text.scrollTop;
  }

  function show(answer, prefix) {
    marks = new Map();
    diags.replaceChildren();
    for (const d of answer.diagnostics || []) {
      const old = marks.get(d.line);
      if (!old || (old.severity !== "error" && d.severity === "error")) marks.set(d.line, d);
      const li = document.createElement("li");
      li.className = d.severity === "error" ? "err" : "warn";
      li.dataset.line = String(d.line);
      li.textContent = "第 " + d.line + " 行第 " + d.column + " 列：" + d.rendered;
      li.addEventListener("click", () => goTo(d.line));
      diags.appendChild(li);
    }
    drawGutter();
    let words = answer.errors
      ? answer.errors + " 个错误，" + answer.warnings + " 个警告"
      : "没有错误，" + answer.warnings + " 个警告";
    if (answer.other_files) words += "（其他文件另有 " + answer.other_files + " 个错误）";
    status.textContent = prefix + words;
    status.dataset.errors = String(answer.errors);
  }

  async function post(url, body) {
    const r = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "text/plain; charset=utf-8", "X-Guihua": "editor" },
      body: body,
    });
    let answer = null;
    try {
      answer = await r.json();
    } catch (_) {
      answer = { error: "服务器没有给出可读的回答 (HTTP " + r.status + ")" };
    }
    return { ok: r.ok, answer: answer };
  }

  async function lint() {
    const mine = ++seq;
    const { ok, answer } = await post("/api/lint?file=" + encodeURIComponent(file), text.value);
    if (mine !== seq) return;
    if (!ok) {
      status.textContent = answer.error;
      return;
    }
    show(answer, "检查：");
  }

  async function save() {
    status.textContent = "正在保存…";
    const mine = ++seq;
    const { ok, answer } = await post("/api/rules/" + encodeURIComponent(file), text.value);
    if (mine !== seq) return;
    if (!ok) {
      status.textContent = "未保存：" + answer.error;
      status.dataset.saved = "no";
      return;
    }
    show(answer.lint, "已保存（原文件备份为 " + answer.backup + "）；" + (answer.reloaded ? "页面已按新规则更新；" : ""));
    status.dataset.saved = "yes";
  }

  text.addEventListener("input", () => {
    drawGutter();
    clearTimeout(timer);
    timer = setTimeout(lint, 500);
  });
  text.addEventListener("scroll", () => {
    gutter.scrollTop = text.scrollTop;
  });
  text.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "s") {
      e.preventDefault();
      if (text.dataset.editable === "true") save();
    }
  });
  document.getElementById("lint").addEventListener("click", lint);
  document.getElementById("save").addEventListener("click", save);
  drawGutter();
  const start = parseInt(text.dataset.line, 10);
  if (start > 0) goTo(start);
  lint();
})();
