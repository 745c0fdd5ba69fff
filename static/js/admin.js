"use strict";
// The back office's inputs that Django's scripts draw without a name a screen reader can say
// (axe-core's rules aria-input-field-name, label and aria-prohibited-attr); the inputs Django
// renders itself are named on the server (congress/admin_names.py).
// - An autocomplete box (Select2) is named by the value chosen only, and its search field (a
//   list of several) by nothing: both are named by the field's label as well.
// - A list of several chosen values holds Select2's clear button among its items.
// - The two-list selector's search icon carries a name but no role: it is an image.
// Run once the page's own scripts have drawn them (the autocomplete boxes when the document is
// ready, after Django's handler; the selector on load), and for each row an inline adds.
{
    function nameInputs(root) {
        for (const select of root.querySelectorAll("select.admin-autocomplete")) {
            const container = select.nextElementSibling;
            const box = container && container.classList.contains("select2")
                ? container.querySelector(".select2-selection") : null;
            const label = select.labels && select.labels[0];
            // The field's label, or in a row of a table its column (congress/admin_names.py).
            const name = label ? label.textContent.replace(/[:：]\s*$/, "").trim() : select.getAttribute("aria-label");
            if (!box || !name) {
                continue;
            }
            // The box says the field, then the value chosen ("单位 县教育局"); the value's own
            // text box, and a list's search field, say the field.
            box.id = box.id || `${select.id}-box`;
            box.setAttribute("aria-label", name);
            const chosen = box.querySelector(".select2-selection__rendered[id]");
            box.setAttribute("aria-labelledby", chosen ? `${box.id} ${chosen.id}` : box.id);
            chosen?.setAttribute("aria-label", name);
            container.querySelector(".select2-search__field")?.setAttribute("aria-label", name);
            // A list of several: Select2 puts its clear button (a span) among the chosen items'
            // <li>, which a plain <ul> may not hold; as an ARIA list it may.
            box.querySelector("ul.select2-selection__rendered")?.setAttribute("role", "list");
        }
        for (const icon of root.querySelectorAll(".selector-filter .search-label-icon[aria-label]")) {
            icon.setAttribute("role", "img");
        }
    }
    if (window.django && django.jQuery) {
        django.jQuery(() => nameInputs(document));
    }
    window.addEventListener("load", () => nameInputs(document));
    document.addEventListener("formset:added", (event) => nameInputs(event.target));
}
