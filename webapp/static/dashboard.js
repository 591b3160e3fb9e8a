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
