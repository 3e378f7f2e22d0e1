/*
 * Fernhill Goods chat widget: the one script a page includes.
 *   <script>window.FernhillChat = { socketUrl: "https://rasa.example.com", title: "Help" };</script>
 *   <script src="https://shop.example.com/widget/fernhill-chat.js" defer></script>
 * It loads the widget's ES modules and stylesheet from where it was loaded itself; no build step.
 */
(function () {
  "use strict";
  if (window.fernhillChatWidget || window.__fernhillChatLoading) return;
  window.__fernhillChatLoading = true;
  var script = document.currentScript || document.querySelector('script[src*="fernhill-chat.js"]');
  var scriptUrl = script ? script.src : new URL("/widget/fernhill-chat.js", location.href).href;

  function boot() {
    var host = document.createElement("div");
    host.id = "fernhill-chat";
    document.body.appendChild(host);
    import(new URL("chat/widget.js", scriptUrl).href)
      .then(function (widget) {
        window.fernhillChatWidget = widget.start(window.FernhillChat || {}, scriptUrl, host);
      })
      .catch(function (error) {
        console.error("Fernhill chat could not start", error);
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
