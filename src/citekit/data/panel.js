/* citekit Cite panel: progressive enhancement of the markup made by
   citekit.panel(). Without this script every citation stays visible. */
(function () {
  "use strict";
  // The script may be emitted with every panel: the first copy does the work.
  // (Checking for the function too: an element id="citekitPanel" is also a global.)
  var done = window.citekitPanel;
  if (done && typeof done.enhanceAll === "function") { done.enhanceAll(); return; }

  var ROOT = ".citekit[data-citekit-enhanced]";

  function all(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }
  function part(root, cls) { return root.querySelector(".citekit-" + cls); }

  function select(root, tab, focus) {
    all(root, ".citekit-tab").forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;  // roving tabindex: one tab stop for the list
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    });
    part(root, "status").textContent = "";
    if (focus) tab.focus();
  }

  function setOpen(root, open, focus) {
    var toggle = part(root, "cite");
    part(root, "body").hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (!focus) return;
    if (open) root.querySelector('.citekit-tab[aria-selected="true"]').focus();
    else toggle.focus();
  }

  function enhance(root) {
    if (root.hasAttribute("data-citekit-enhanced")) return;
    root.setAttribute("data-citekit-enhanced", "");
    all(root, ".citekit-style-name").forEach(function (n) { n.hidden = true; });
    part(root, "cite").hidden = false;
    part(root, "tabs").hidden = false;
    part(root, "actions").hidden = false;
    var tab = root.querySelector('.citekit-tab[aria-selected="true"]') || part(root, "tab");
    select(root, tab, false);
    setOpen(root, root.hasAttribute("data-citekit-open"), false);
  }

  function enhanceAll() { all(document, ".citekit[data-citekit]").forEach(enhance); }

  function announce(root, key) {
    var status = part(root, "status");
    // Clearing first makes a second identical message count as a change for screen readers.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = root.getAttribute(key) || ""; }, 50);
  }

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function copy(root) {
    var tab = root.querySelector('.citekit-tab[aria-selected="true"]');
    var cit = document.getElementById(tab.getAttribute("aria-controls")).querySelector(".citekit-citation");
    var html = cit.innerHTML;
    var text = cit.getAttribute("data-citekit-text") || cit.textContent;
    var done = function () { announce(root, "data-citekit-copied"); };
    var fallback = function () {
      // Last resort: select the text, so a failed copy still leaves it ready for Ctrl+C.
      selectText(cit);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      announce(root, ok ? "data-citekit-copied" : "data-citekit-copy-failed");
    };
    var plain = function () {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, fallback);
      } else {
        fallback();
      }
    };
    if (navigator.clipboard && navigator.clipboard.write && window.ClipboardItem) {
      try {
        var item = new ClipboardItem({
          "text/html": new Blob([html], { type: "text/html" }),
          "text/plain": new Blob([text], { type: "text/plain" })
        });
        navigator.clipboard.write([item]).then(done, plain);
      } catch (e) { plain(); }
    } else {
      plain();
    }
  }

  document.addEventListener("click", function (ev) {
    var el = ev.target.closest && ev.target.closest(".citekit-cite, .citekit-tab, .citekit-copy, .citekit-close");
    var root = el && el.closest(ROOT);
    if (!root) return;
    if (el.classList.contains("citekit-cite")) {
      setOpen(root, el.getAttribute("aria-expanded") !== "true", true);
    } else if (el.classList.contains("citekit-tab")) {
      select(root, el, true);
    } else if (el.classList.contains("citekit-copy")) {
      copy(root);
    } else {
      setOpen(root, false, true);
    }
  });

  document.addEventListener("keydown", function (ev) {
    var root = ev.target.closest && ev.target.closest(ROOT);
    if (!root) return;
    if (ev.key === "Escape" && !part(root, "body").hidden) {
      setOpen(root, false, true);
      return;
    }
    if (!ev.target.classList.contains("citekit-tab")) return;
    var tabs = all(root, ".citekit-tab");
    var i = tabs.indexOf(ev.target);
    var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
    if (next === undefined) return;
    ev.preventDefault();
    select(root, tabs[(next + tabs.length) % tabs.length], true);
  });

  window.citekitPanel = { enhance: enhance, enhanceAll: enhanceAll };
  // Panels already parsed are enhanced at once (no flash of the static form),
  // the ones further down the page when parsing ends.
  enhanceAll();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhanceAll);
})();
