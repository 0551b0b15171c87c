// Unit pickers on the item form: a filter box above each multi-select and the chosen names listed below,
// so picking a few units out of dozens needs neither scrolling nor Ctrl-click guesswork.
(function () {
  "use strict";
  document.querySelectorAll("select[data-unit-picker]").forEach(function (select) {
    var filter = document.createElement("input");
    filter.type = "search";
    filter.className = "form-control form-control-sm mb-1";
    filter.placeholder = "输入名称筛选，如“发改”“街道”";
    filter.setAttribute("aria-label", "筛选" + (select.getAttribute("aria-label") || "单位"));
    select.parentNode.insertBefore(filter, select);

    var chosen = document.createElement("div");
    chosen.className = "small mt-1";
    select.parentNode.insertBefore(chosen, select.nextSibling);

    function showChosen() {
      var names = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
        .map(function (o) { return o.text; });
      chosen.textContent = names.length ? "已选：" + names.join("、") : "未选择";
    }
    filter.addEventListener("input", function () {
      var term = filter.value.trim();
      Array.prototype.forEach.call(select.options, function (o) {
        o.hidden = term !== "" && o.text.indexOf(term) === -1 && !o.selected;
      });
    });
    // A plain click toggles one option without dropping the others (no Ctrl needed).
    select.addEventListener("mousedown", function (event) {
      var option = event.target;
      if (option.tagName !== "OPTION" || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      event.preventDefault();
      option.selected = !option.selected;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    select.addEventListener("change", showChosen);
    showChosen();
  });
})();
