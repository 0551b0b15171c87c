/* The annual report form (政府信息公开工作年度报告): entering figures quickly, checks from the server.
 *
 * - Focusing a cell selects its content, so typing replaces a 0 instead of appending to it; Enter and
 *   the arrow keys move down and up a column as in a spreadsheet (Enter does not submit the form).
 * - Pasting a row or block copied from Excel/WPS (tab-separated columns, one line per row) into a cell
 *   fills the cells right and down from it, by each cell's position in its table (data-grid/-r/-c);
 *   read-only cells (computed totals, figures kept elsewhere) keep their place and are not changed.
 * - The checks are not repeated here: the form is posted (debounced) to the page's check URL
 *   (reports.views.annual.annual_check, which runs reports/annual/checks.py), and the findings and
 *   computed totals it returns are shown in the live list, under each table and on the cells.
 */
(function () {
  "use strict";
  var form = document.getElementById("annual-form");
  if (!form || !form.dataset.checkUrl) { return; }
  var checkUrl = form.dataset.checkUrl;

  function input(code) { return form.querySelector('[data-code="' + code + '"]'); }
  function textarea(key) { return form.querySelector('[data-section="' + key + '"]'); }

  // ---------------------------------------------------------------- focus selects
  form.addEventListener("focusin", function (event) {
    var el = event.target;
    if (el.classList && el.classList.contains("annual-num") && !el.readOnly) {
      // Only while it still has the focus: select() focuses its element, and a late timer (a busy machine,
      // a fast typist) would pull the focus back from the field the user moved on to, typing into this cell.
      window.setTimeout(function () { if (document.activeElement === el) { el.select(); } }, 0);
    }
  });
  // A mouse-up after the focus would otherwise put the caret back where the click was.
  form.addEventListener("mouseup", function (event) {
    var el = event.target;
    if (!el.classList || !el.classList.contains("annual-num") || el.readOnly) { return; }
    if (el.dataset.justFocused) {
      // The focus already selected the cell; select again in case the mouse-down's caret undid it.
      event.preventDefault();
      delete el.dataset.justFocused;
      el.select();
    } else if (el.value.trim() === "0") {
      el.select();  // a cell showing 0: typing replaces it (58, not 580 or 058)
      event.preventDefault();
    }
  });
  // A press whose release landed elsewhere (the page moved under the mouse) must not leave its mark.
  form.addEventListener("focusout", function (event) {
    if (event.target.dataset) { delete event.target.dataset.justFocused; }
  });
  form.addEventListener("mousedown", function (event) {
    var el = event.target;
    if (el.classList && el.classList.contains("annual-num") && document.activeElement !== el) {
      el.dataset.justFocused = "1";
    }
  });

  // ---------------------------------------------------------------- Enter and arrows move like a spreadsheet
  // Enter (or ↓) goes to the cell below, Shift+Enter (or ↑) above; read-only totals are skipped, and
  // Enter never submits the form half-filled.
  form.addEventListener("keydown", function (event) {
    var el = event.target;
    if (!el.classList || !el.classList.contains("annual-num")) { return; }
    var step = 0;
    if (event.key === "Enter" || event.key === "ArrowDown") { step = event.shiftKey ? -1 : 1; }
    if (event.key === "ArrowUp") { step = -1; }
    if (!step) { return; }
    event.preventDefault();
    var r = Number(el.dataset.r) + step;
    for (var tries = 0; tries < 30; tries += 1, r += step) {
      var next = cellAt(el.dataset.grid, r, Number(el.dataset.c));
      if (!next) { return; }
      if (!next.readOnly) { next.focus(); return; }
    }
  });

  // ---------------------------------------------------------------- paste from Excel/WPS
  function cellAt(grid, r, c) {
    return form.querySelector('.annual-num[data-grid="' + grid + '"][data-r="' + r + '"][data-c="' + c + '"]');
  }

  function parseClipboard(text) {
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
    return lines.map(function (line) { return line.split("\t"); });
  }

  form.addEventListener("paste", function (event) {
    var start = event.target;
    if (!start.classList || !start.classList.contains("annual-num")) { return; }
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!text || (text.indexOf("\t") < 0 && text.indexOf("\n") < 0)) { return; }  // one value: the default
    event.preventDefault();
    var rows = parseClipboard(text);
    var grid = start.dataset.grid, r0 = Number(start.dataset.r), c0 = Number(start.dataset.c);
    var filled = 0;
    rows.forEach(function (values, i) {
      values.forEach(function (value, j) {
        var cell = cellAt(grid, r0 + i, c0 + j);
        if (!cell || cell.readOnly) { return; }
        cell.value = value.trim();
        cell.classList.add("annual-pasted");
        filled += 1;
      });
    });
    var note = document.getElementById("paste-note");
    if (note) { note.textContent = "已粘贴 " + filled + " 个单元格。"; }
    schedule();
  });

  // ---------------------------------------------------------------- checks from the server
  function item(finding) {
    var li = document.createElement("li");
    li.className = finding.dismissed ? "text-muted" : (finding.level === "error" ? "text-danger" : "text-warning-emphasis");
    li.textContent = (finding.level === "error" ? "✗ " : "⚠ 警告：") + finding.message + (finding.dismissed ? "（已排除）" : "");
    return li;
  }

  function render(result) {
    Object.keys(result.totals).forEach(function (code) {
      var el = input(code);
      if (el) { el.value = result.totals[code]; }
    });
    form.querySelectorAll(".annual-live-invalid").forEach(function (el) {
      el.classList.remove("annual-live-invalid", "is-invalid", "is-warning");
      el.removeAttribute("title");
    });
    form.querySelectorAll(".annual-table-msgs, [data-section-msgs]").forEach(function (el) { el.textContent = ""; });
    var list = document.getElementById("live-findings");
    list.textContent = "";
    result.findings.forEach(function (finding) {
      var row = item(finding);
      row.classList.add("list-group-item");
      list.appendChild(row);
      var target, box;
      if (finding.field.indexOf("section.") === 0) {
        var key = finding.field.slice(8);
        target = textarea(key);
        box = form.querySelector('[data-section-msgs="' + key + '"]');
      } else {
        target = input(finding.field);
        box = form.querySelector('.annual-table-msgs[data-table="' + finding.field.split(".")[0] + '"]');
      }
      if (target && !finding.dismissed) {
        target.classList.add("annual-live-invalid", finding.level === "error" ? "is-invalid" : "is-warning");
        target.title = target.title ? target.title + "\n" + finding.message : finding.message;
      }
      if (box) { box.appendChild(item(finding)); }
    });
    var summary = document.getElementById("live-summary");
    if (!result.findings.length) {
      summary.className = "badge text-bg-success";
      summary.textContent = "全部通过";
    } else {
      summary.className = "badge " + (result.errors ? "text-bg-danger" : "text-bg-warning");
      summary.textContent = (result.errors ? result.errors + "处错误" : "") + (result.errors && result.warnings ? "，" : "") +
        (result.warnings ? result.warnings + "处警告" : "");
    }
  }

  var timer = null, pending = null, sequence = 0;
  // The form says aria-busy from the first keystroke until the answer to the last one has been shown:
  // a check still waiting out its debounce counts as pending, and an answer to an older state is dropped.
  function run() {
    window.clearTimeout(timer);
    timer = null;
    var mine = ++sequence;
    if (pending) { pending.abort(); }
    pending = new AbortController();
    var summary = document.getElementById("live-summary");
    form.setAttribute("aria-busy", "true");
    fetch(checkUrl, { method: "POST", body: new FormData(form), credentials: "same-origin",
                      headers: { "X-Requested-With": "fetch" }, signal: pending.signal })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (result) {
        if (mine !== sequence) { return; }
        render(result);
        if (timer === null) { form.removeAttribute("aria-busy"); }
      })
      .catch(function (error) {
        if (error.name === "AbortError" || mine !== sequence) { return; }
        if (timer === null) { form.removeAttribute("aria-busy"); }
        summary.className = "badge text-bg-secondary";
        summary.textContent = "暂时无法检查（保存时服务器仍会检查）";
      });
  }
  function schedule() {
    window.clearTimeout(timer);
    form.setAttribute("aria-busy", "true");
    timer = window.setTimeout(run, 250);
  }
  form.addEventListener("input", schedule);
  run();
  window.annualReportChecks = { run: run };
})();
