// Authoring: a live preview of the body (and, when editing, of the impact on the other
// editions), and image upload that inserts the image's Markdown at the cursor.
(function () {
  "use strict";
  const form = document.getElementById("authoring-form");
  if (!form) return;
  const body = document.getElementById("authoring-body");
  const preview = document.getElementById("authoring-preview");
  const impact = document.getElementById("authoring-live-impact");
  const sourceEdition = document.getElementById("source-edition");
  const csrf = document.querySelector('meta[name="csrf-token"]');
  const headers = csrf ? { "X-CSRFToken": csrf.content } : {};
  let timer = null;
  let asked = 0;

  function paragraphs(target, sentences) {
    target.replaceChildren(...sentences.map((sentence) => {
      const p = document.createElement("p");
      p.textContent = sentence;
      return p;
    }));
  }

  async function refresh() {
    const ticket = ++asked;
    const response = await fetch(form.dataset.previewUrl, {
      method: "POST",
      headers: headers,
      body: new FormData(form),
      credentials: "same-origin",
    });
    if (!response.ok || ticket !== asked) return;  // a newer keystroke already asked again
    const result = await response.json();
    preview.innerHTML = result.html;  // sanitized on the server (nh3)
    if (impact) paragraphs(impact, result.error ? [result.error] : result.impact || []);
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  }

  // The preview takes the direction of the article's edition, whatever the interface's.
  function followEdition() {
    const option = sourceEdition.selectedOptions[0];
    for (const element of [preview, body.closest("[dir]")]) {
      element.dir = option.dataset.dir;
      element.lang = option.value;
    }
  }

  form.addEventListener("input", soon);
  if (sourceEdition) {
    sourceEdition.addEventListener("change", followEdition);
    followEdition();
  }
  refresh();

  const upload = document.getElementById("image-upload");
  const status = document.getElementById("image-status");
  upload.addEventListener("click", async () => {
    const file = document.getElementById("image-file").files[0];
    if (!file) return;
    const data = new FormData();
    data.append("image", file);
    data.append("alt", document.getElementById("image-alt").value);
    data.append("caption", document.getElementById("image-caption").value);
    const response = await fetch(form.dataset.uploadUrl, {
      method: "POST", headers: headers, body: data, credentials: "same-origin",
    });
    const result = await response.json();
    if (!response.ok) {
      status.textContent = result.error;
      return;
    }
    const at = body.selectionStart;
    const block = "\n\n" + result.markdown + "\n\n";
    body.value = body.value.slice(0, at) + block + body.value.slice(at);
    status.textContent = "";
    soon();
  });
})();
