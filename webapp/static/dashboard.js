// Progressive enhancement only: every action works without this script.
"use strict";

// "Use" next to a translation-memory match copies it into the segment's text area.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".dash-use-memory");
  if (!button) return;
  const field = document.querySelector(`textarea[name="${button.dataset.target}"]`);
  if (field) {
    field.value = button.dataset.text;
    field.focus();
  }
});

// A newsletter issue's articles: drag one to move it. The hidden inputs follow the list's
// order, so "Save the issue" saves the new order; the Up and Down buttons do the same
// without this script, and from the keyboard.
document.querySelectorAll("[data-sortable]").forEach((list) => {
  let dragged = null;
  list.addEventListener("dragstart", (event) => {
    dragged = event.target.closest("li[draggable]");
    if (dragged) event.dataTransfer.effectAllowed = "move";
  });
  list.addEventListener("dragover", (event) => {
    const over = event.target.closest("li[draggable]");
    if (!dragged || !over || over === dragged) return;
    event.preventDefault();
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });
  list.addEventListener("drop", (event) => event.preventDefault());
  list.addEventListener("dragend", () => {
    dragged = null;
  });
});
