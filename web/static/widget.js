/* Vraagbaak: the loader a municipality puts on its site.
 *
 *   <script src="https://vraagbaak.example/widget.js" data-municipality="GM9001" defer></script>
 *
 * A classic script, so that it can find itself (document.currentScript). It reads its
 * own address and data attributes and loads the widget's modules and CSS from the same
 * origin, under a versioned path. Optional: data-name="Bloemendijk" names the
 * municipality in the panel's title.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var version = "__VRAAGBAAK_VERSION__";
  var src = new URL(script.src, document.baseURI);
  var options = {
    origin: src.origin,
    base: src.origin + "/widget/" + version + "/",
    municipality: script.getAttribute("data-municipality") || "",
    name: script.getAttribute("data-name") || ""
  };

  function start() {
    import(options.base + "main.js")
      .then(function (widget) {
        widget.mount(options);
      })
      .catch(function (err) {
        console.error("Vraagbaak: the widget could not be loaded", err);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
