// A checkbox with data-check-all="NAME" ticks or clears every checkbox named NAME on the page (no inline handlers).
document.addEventListener("change", (event) => {
  const name = event.target.dataset && event.target.dataset.checkAll;
  if (!name) return;
  document.querySelectorAll(`input[type=checkbox][name="${name}"]`).forEach((box) => { box.checked = event.target.checked; });
  document.querySelectorAll(`input[data-check-all="${name}"]`).forEach((box) => { box.checked = event.target.checked; });
});
