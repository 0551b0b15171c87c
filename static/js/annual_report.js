/* Live checks of the annual report form (政府信息公开工作年度报告), vanilla JS, no libraries.
 *
 * Reads the format, the message templates and last year's figures from the JSON the page embeds
 * (#annual-config, built from reports/annual/format.py and checks.py), recomputes the checks on every
 * keystroke and shows the Chinese messages under each table, on the cells concerned (red or yellow
 * border, message as tooltip) and in the live list at the top. The server runs the same checks again
 * on save, submit and export; figures quoted in the prose are checked there only.
 */
(function () {
  "use strict";
  var configNode = document.getElementById("annual-config");
  var form = document.getElementById("annual-form");
  if (!configNode || !form) { return; }
  var cfg = JSON.parse(configNode.textContent);
  var F = cfg.format;
  var M = cfg.messages;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function input(code) { return form.querySelector('[data-code="' + code + '"]'); }
  function textarea(key) { return form.querySelector('[data-section="' + key + '"]'); }

  // A count as typed: blank → 0, whole numbers ≥ 0, otherwise null (invalid).
  function parseValue(raw, decimal) {
    var text = String(raw == null ? "" : raw).trim().replace(/[,，]/g, "");
    if (text === "" || text === "-" || text === "—" || text === "/") { return 0; }
    var pattern = decimal ? /^\d+(\.\d+)?$/ : /^\d+$/;
    return pattern.test(text) ? Number(text) : null;
  }

  function current() {
    var values = {};
    Object.keys(F.fields).forEach(function (code) {
      var el = input(code);
      values[code] = el ? parseValue(el.value, F.decimal_fields.indexOf(code) >= 0) : 0;
    });
    return values;
  }

  function n(values, code) { var v = values[code]; return typeof v === "number" ? v : 0; }
  function t3(row, col) { return "t3." + row + "." + col; }
  function t4(group, col) { return "t4." + group + "." + col; }
  function plain(text) { return String(text || "").replace(/[\s。.，,；;！!：:、]+/g, ""); }

  function check(values) {
    var found = [];
    function add(level, check, field, vals) { found.push({ level: level, field: field, message: format(M[check], vals) }); }

    Object.keys(F.fields).forEach(function (code) {
      if (values[code] === null) {
        var decimal = F.decimal_fields.indexOf(code) >= 0;
        add("error", decimal ? "bad_amount" : "bad_count", code, { name: F.fields[code], value: input(code).value });
      }
    });
    F.t3_columns.forEach(function (col) {
      var c = col.code;
      var nw = n(values, t3("new", c)), carried = n(values, t3("carried", c));
      var total = n(values, t3("total", c)), next = n(values, t3("carry_next", c));
      if (nw + carried !== total + next) {
        add("error", "t3_balance", t3("carry_next", c), { column: col.text, "new": nw, carried: carried,
          left: nw + carried, total: total, carry_next: next, right: total + next });
      }
    });
    F.t3_columns.forEach(function (col) {
      var parts = F.t3_total_parts.reduce(function (sum, row) { return sum + n(values, t3(row, col.code)); }, 0);
      var total = n(values, t3("total", col.code));
      if (parts !== total) {
        add("error", "t3_column_total", t3("total", col.code), { column: col.text, total: total, parts: parts });
      }
    });
    F.t3_rows.forEach(function (row) {
      var parts = F.t3_columns.slice(0, 6).reduce(function (sum, col) { return sum + n(values, t3(row.code, col.code)); }, 0);
      var total = n(values, t3(row.code, "total"));
      if (parts !== total) {
        add("error", "t3_row_total", t3(row.code, "total"), { row: row.display, total: total, parts: parts });
      }
    });
    F.t4_groups.forEach(function (group) {
      var parts = F.t4_columns.slice(0, 4).reduce(function (sum, col) { return sum + n(values, t4(group.code, col.code)); }, 0);
      var total = n(values, t4(group.code, "total"));
      if (parts !== total) {
        add("error", "t4_total", t4(group.code, "total"), { group: group.name, total: total, parts: parts });
      }
    });
    var prev = cfg.previous;
    if (prev) {
      F.t3_columns.forEach(function (col) {
        var carried = n(values, t3("carried", col.code));
        var last = Number(prev.figures[t3("carry_next", col.code)] || 0);
        if (carried !== last) {
          add("error", "carried_from_last_year", t3("carried", col.code),
            { column: col.text, carried: carried, year: prev.year, carry_next: last });
        }
      });
    }
    F.sections.forEach(function (section) {
      var el = textarea(section.key);
      var text = el ? el.value : "";
      if (cfg.text_required.indexOf(section.key) >= 0 && !plain(text)) {
        add("error", "section_missing", "section." + section.key, { heading: section.heading });
      }
      if (section.key === "problems" && cfg.nothing_words.indexOf(plain(text)) >= 0) {
        add("error", "section_five_none", "section.problems", { text: text.trim().replace(/[。.]+$/, "") });
      }
      if (text.indexOf(cfg.placeholder) >= 0) {
        add("error", "section_placeholder", "section." + section.key, { heading: section.heading });
      }
    });
    if (prev) {
      F.t2_document_rows.forEach(function (row) {
        var lastValid = Number(prev.figures["t2." + row.code + ".valid"] || 0);
        var issued = n(values, "t2." + row.code + ".issued"), repealed = n(values, "t2." + row.code + ".repealed");
        var valid = n(values, "t2." + row.code + ".valid"), expected = lastValid + issued - repealed;
        if (expected !== valid) {
          add("warning", "valid_documents", "t2." + row.code + ".valid", { row: row.text, last_valid: lastValid,
            issued: issued, repealed: repealed, expected: expected, valid: valid });
        }
      });
      F.sections.forEach(function (section) {
        var el = textarea(section.key);
        var text = plain(el ? el.value : "");
        if (text && text === plain(prev.sections[section.key])) {
          add("warning", "section_copied", "section." + section.key, { heading: section.heading, year: prev.year });
        }
      });
    }
    return found;
  }

  function item(finding) {
    var li = document.createElement("li");
    li.className = finding.level === "error" ? "text-danger" : "text-warning-emphasis";
    li.textContent = (finding.level === "error" ? "✗ " : "⚠ 警告：") + finding.message;
    return li;
  }

  function render(found) {
    form.querySelectorAll(".annual-live-invalid, .is-warning").forEach(function (el) {
      el.classList.remove("annual-live-invalid", "is-invalid", "is-warning");
      el.removeAttribute("title");
    });
    form.querySelectorAll(".annual-table-msgs, [data-section-msgs]").forEach(function (el) { el.textContent = ""; });
    var list = document.getElementById("live-findings");
    list.textContent = "";
    var errors = 0;
    found.forEach(function (finding) {
      if (finding.level === "error") { errors += 1; }
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
      if (target) {
        target.classList.add("annual-live-invalid", finding.level === "error" ? "is-invalid" : "is-warning");
        target.title = target.title ? target.title + "\n" + finding.message : finding.message;
      }
      if (box) { box.appendChild(item(finding)); }
    });
    var summary = document.getElementById("live-summary");
    var warnings = found.length - errors;
    if (!found.length) {
      summary.className = "badge text-bg-success";
      summary.textContent = "全部通过";
    } else {
      summary.className = "badge " + (errors ? "text-bg-danger" : "text-bg-warning");
      summary.textContent = (errors ? errors + "处错误" : "") + (errors && warnings ? "，" : "") + (warnings ? warnings + "处警告" : "");
    }
  }

  var timer = null;
  function run() { render(check(current())); }
  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 120);
  });
  run();
  window.annualReportChecks = { check: check, current: current, run: run };
})();
