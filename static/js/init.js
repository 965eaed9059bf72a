import { initAll } from "/static/build/govuk-frontend.min.js";

initAll();

// Conditional reveal (the return's reason fields): shown only while the rating they depend on is chosen.
// Without JavaScript every field shows, each saying when it applies.
for (const box of document.querySelectorAll("[data-reveal-when]")) {
  const control = document.getElementById(box.dataset.revealWhen);
  if (!control) continue;
  const values = box.dataset.revealValues.split(" ");
  const update = () => { box.hidden = !values.includes(control.value); };
  control.addEventListener("change", update);
  update();
}

// "Start from last quarter's narrative": ticking it puts last quarter's words in an empty narrative box now
// (without JavaScript the server does the same when the section is saved).
for (const box of document.querySelectorAll("input[data-fill]")) {
  box.addEventListener("change", () => {
    const target = document.getElementById(box.dataset.fill);
    if (box.checked && target && !target.value.trim()) target.value = box.dataset.text;
  });
}

// On a phone the dashboard's filters fold away below its headline (they stay open on wider screens).
for (const details of document.querySelectorAll("details[data-fold-below]")) {
  if (window.innerWidth < Number(details.dataset.foldBelow)) details.open = false;
}

// A table wider than the screen scrolls inside its wrapper: make the wrapper reachable by keyboard and named.
for (const wrapper of document.querySelectorAll(".govuk-table__wrapper")) {
  if (wrapper.scrollWidth > wrapper.clientWidth) {
    const caption = wrapper.querySelector("caption");
    wrapper.tabIndex = 0;
    wrapper.setAttribute("role", "region");
    wrapper.setAttribute("aria-label", (caption ? caption.textContent.trim() : "Table") + " (scrolls sideways)");
  }
}

// The budget scenario's year: choosing one lists that year's organisations at once (the button does it without
// JavaScript).
for (const input of document.querySelectorAll("input[data-follow-year]")) {
  input.addEventListener("change", () => {
    if (/^\d{4}\/\d{2}$/.test(input.value.trim())) input.form.submit();
  });
}
